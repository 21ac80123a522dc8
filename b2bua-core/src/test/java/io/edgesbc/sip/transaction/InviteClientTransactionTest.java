package io.edgesbc.sip.transaction;

import static io.edgesbc.sip.transaction.Fixtures.invite;
import static io.edgesbc.sip.transaction.Fixtures.responseTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.transaction.Fixtures.RecordingClientTu;
import io.edgesbc.sip.transaction.Fixtures.RecordingSink;
import io.edgesbc.sip.transaction.InviteClientTransaction.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class InviteClientTransactionTest {

    private final VirtualTimeScheduler clock = Fixtures.scheduler();
    private final RecordingSink sink = new RecordingSink(clock);
    private final RecordingClientTu tu = new RecordingClientTu();
    private final SipRequest invite = invite();

    private InviteClientTransaction started(boolean reliable) {
        return started(reliable, TimerConfig.DEFAULT);
    }

    private InviteClientTransaction started(boolean reliable, TimerConfig timers) {
        InviteClientTransaction tx = new InviteClientTransaction(invite, reliable, timers, clock, sink, tu);
        tx.start();
        return tx;
    }

    private void advance(long millis) {
        clock.advanceTimeBy(Duration.ofMillis(millis));
    }

    @Test
    void startSendsTheInviteAndEntersCalling() {
        InviteClientTransaction tx = new InviteClientTransaction(invite, false, TimerConfig.DEFAULT, clock, sink, tu);
        assertThat(tx.state()).isNull();
        tx.start();
        assertThat(tx.state()).isEqualTo(State.CALLING);
        assertThat(sink.sent).containsExactly(invite);
        assertThat(tx.key()).isEqualTo(new TransactionKey.Client(Fixtures.BRANCH, "INVITE"));
        assertThatThrownBy(tx::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void timerARetransmitsWithDoublingIntervalsWithoutT2Cap() {
        started(false);
        advance(40_000);
        // RFC 3261 §17.1.1.2: 0, T1, 3*T1, 7*T1 ... ; Timer B ends it at 64*T1 = 32 s.
        assertThat(sink.sentAtMillis).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L);
        assertThat(sink.sent).allMatch(m -> m == invite);
    }

    @Test
    void timerBTimesOutAt64T1WithSynthesized408() {
        InviteClientTransaction tx = started(false);
        advance(31_999);
        assertThat(tx.state()).isEqualTo(State.CALLING);
        assertThat(tu.events).isEmpty();
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("timeout 408", "terminated");
        var timeout = tu.responses.get(0);
        assertThat(timeout.callId()).isEqualTo(invite.callId());
        assertThat(timeout.cseq()).isEqualTo(invite.cseq());
        assertThat(timeout.topVia().branch()).isEqualTo(Fixtures.BRANCH);
        int sent = sink.sent.size();
        advance(100_000);
        assertThat(sink.sent).hasSize(sent);
    }

    @Test
    void timerBFollowsT1() {
        InviteClientTransaction tx = started(false, TimerConfig.DEFAULT.withT1(Duration.ofMillis(100)));
        advance(6_399);
        assertThat(tx.state()).isEqualTo(State.CALLING);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
    }

    @Test
    void reliableTransportHasNoTimerAButStillTimerB() {
        InviteClientTransaction tx = started(true);
        advance(31_999);
        assertThat(sink.sent).hasSize(1);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("timeout 408", "terminated");
    }

    @Test
    void provisionalMovesToProceedingAndStopsTimersAAndB() {
        InviteClientTransaction tx = started(false);
        advance(600); // one retransmission
        tx.receiveResponse(responseTo(invite, 180, "Ringing", "t1"));
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
        assertThat(tu.events).containsExactly("response 180");
        advance(120_000);
        // No more retransmissions, and Timer B does not time out a Proceeding transaction.
        assertThat(sink.sent).hasSize(2);
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
    }

    @Test
    void provisionalsInProceedingGoToTheTu() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 100, "Trying", null));
        tx.receiveResponse(responseTo(invite, 183, "Session Progress", "t1"));
        tx.receiveResponse(responseTo(invite, 180, "Ringing", "t1"));
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
        assertThat(tu.events).containsExactly("response 100", "response 183", "response 180");
    }

    @Test
    void finalErrorInCallingSendsAckAndCompletes() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        assertThat(tu.events).containsExactly("response 486");
        assertThat(sink.sent).hasSize(2);
        assertAckFor(sink.last(), "bobtag");
        assertThat(tx.ack()).isSameAs(sink.last());
    }

    @Test
    void finalErrorInProceedingSendsAckAndCompletes() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 180, "Ringing", "bobtag"));
        tx.receiveResponse(responseTo(invite, 603, "Decline", "bobtag"));
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        assertThat(tu.events).containsExactly("response 180", "response 603");
        assertAckFor(sink.last(), "bobtag");
    }

    /** RFC 3261 §17.1.1.3. */
    private void assertAckFor(Object message, String toTag) {
        assertThat(message).isInstanceOf(SipRequest.class);
        SipRequest ack = (SipRequest) message;
        assertThat(ack.method()).isEqualTo("ACK");
        assertThat(ack.requestUri()).isEqualTo(invite.requestUri());
        assertThat(ack.callId()).isEqualTo(invite.callId());
        assertThat(ack.headers().first(HeaderName.FROM)).isEqualTo(invite.headers().first(HeaderName.FROM));
        assertThat(ack.cseq().number()).isEqualTo(invite.cseq().number());
        assertThat(ack.cseq().method()).isEqualTo("ACK");
        assertThat(ack.toTag()).isEqualTo(toTag);
        assertThat(ack.to().uri()).isEqualTo(invite.to().uri());
        assertThat(ack.vias()).containsExactly(invite.topVia());
        assertThat(ack.headers().lines(HeaderName.ROUTE)).containsExactly("<sip:p1.example.com;lr>",
                "<sip:p2.example.com;lr>");
        assertThat(ack.maxForwards()).isEqualTo(69);
        assertThat(ack.hasBody()).isFalse();
    }

    @Test
    void completedAnswersRetransmittedFinalsWithAckAndAbsorbsThem() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        assertThat(sink.startLines()).containsExactly(invite.startLine(), "ACK sip:bob@biloxi.example.com SIP/2.0",
                "ACK sip:bob@biloxi.example.com SIP/2.0", "ACK sip:bob@biloxi.example.com SIP/2.0");
        assertThat(tu.events).containsExactly("response 486");
        // Provisionals and 2xx are not passed up either.
        tx.receiveResponse(responseTo(invite, 180, "Ringing", "bobtag"));
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        assertThat(tu.events).containsExactly("response 486");
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
    }

    @Test
    void timerDTerminatesCompletedAfter32sOnUnreliableTransport() {
        InviteClientTransaction tx = started(false);
        advance(1_000);
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        int sent = sink.sent.size();
        advance(31_999);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        // Timer A was cancelled on leaving Calling.
        assertThat(sink.sent).hasSize(sent);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 486", "terminated");
    }

    @Test
    void timerDIsConfigurable() {
        InviteClientTransaction tx = started(false, TimerConfig.DEFAULT.withTimerD(Duration.ofSeconds(40)));
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        advance(39_999);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
    }

    @Test
    void reliableTransportTerminatesRightAfterTheFinalErrorResponse() {
        InviteClientTransaction tx = started(true);
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        // Timer D is zero: the ACK is still sent, the TU sees the response before the end.
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 486", "terminated");
        assertAckFor(sink.last(), "bobtag");
    }

    @Test
    void twoHundredInCallingMovesToAcceptedWithoutAck() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
        assertThat(tu.events).containsExactly("response 200");
        advance(10_000);
        // No ACK (the TU's job, §13.2.2.4) and no retransmissions.
        assertThat(sink.sent).containsExactly(invite);
        assertThat(tx.ack()).isNull();
    }

    @Test
    void twoHundredInProceedingMovesToAccepted() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 180, "Ringing", "bobtag"));
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
        assertThat(tu.events).containsExactly("response 180", "response 200");
    }

    @Test
    void acceptedForwardsEvery2xxAndAbsorbsTheRest() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag")); // retransmission
        tx.receiveResponse(responseTo(invite, 200, "OK", "carol")); // another fork
        tx.receiveResponse(responseTo(invite, 180, "Ringing", "dave"));
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "erin"));
        assertThat(tu.events).containsExactly("response 200", "response 200", "response 200");
        assertThat(tu.responses).extracting(r -> r.toTag()).containsExactly("bobtag", "bobtag", "carol");
        assertThat(sink.sent).containsExactly(invite);
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
    }

    @Test
    void aHandedOverTransactionGivesItsLaterEventsToTheNewUserOnly() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        RecordingClientTu next = new RecordingClientTu();
        tx.handOver(next);
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag")); // retransmission (RFC 6026 §8.4)
        advance(32_000); // Timer M
        assertThat(tu.events).containsExactly("response 200");
        assertThat(next.events).containsExactly("response 200", "terminated");
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
    }

    @Test
    void timerMTerminatesAcceptedAfter64T1OnAnyTransport() {
        for (boolean reliable : new boolean[] {false, true}) {
            RecordingClientTu user = new RecordingClientTu();
            InviteClientTransaction tx = new InviteClientTransaction(invite, reliable, TimerConfig.DEFAULT, clock,
                    sink, user);
            tx.start();
            tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
            advance(31_999);
            assertThat(tx.state()).isEqualTo(State.ACCEPTED);
            advance(1);
            assertThat(tx.state()).isEqualTo(State.TERMINATED);
            assertThat(user.events).containsExactly("response 200", "terminated");
        }
    }

    @Test
    void transportErrorOnTheInviteGives503AndTerminates() {
        sink.failing = true;
        InviteClientTransaction tx = started(false);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("transport-error 503", "terminated");
        assertThat(tu.responses.get(0).callId()).isEqualTo(invite.callId());
        advance(60_000);
        assertThat(tu.events).hasSize(2); // Timer B was cancelled
    }

    @Test
    void transportErrorOnARetransmissionGives503() {
        InviteClientTransaction tx = started(false);
        sink.failing = true;
        advance(500);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("transport-error 503", "terminated");
    }

    @Test
    void asynchronousTransportErrorInCallingGives503() {
        InviteClientTransaction tx = started(false);
        tx.transportError(new java.io.IOException("connection reset"));
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("transport-error 503", "terminated");
    }

    /** As the transport reports it: later, from another thread, through {@link TransportSink#reportingTo}. */
    @Test
    void aFailureReportedLaterReachesTheTransactionOnItsOwnLoop() {
        InviteClientTransaction tx = started(false);
        assertThat(sink.owners).containsExactly(tx); // the sink is told whose message it sends
        TransportSink.reportingTo(sink.owners.get(0), clock).accept(new java.io.IOException("connection refused"));
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("transport-error 503", "terminated");
    }

    @Test
    void aFailureReportedAfterItsLoopStoppedIsDropped() {
        InviteClientTransaction tx = started(false);
        reactor.core.scheduler.Scheduler stopped = reactor.core.scheduler.Schedulers.newSingle("stopped");
        stopped.dispose();
        TransportSink.reportingTo(tx, stopped).accept(new java.io.IOException("connection refused"));
        assertThat(tx.state()).isEqualTo(State.CALLING);
        assertThat(tu.events).isEmpty();
    }

    @Test
    void transportErrorOnTheAckInCompletedTerminates() {
        InviteClientTransaction tx = started(false);
        sink.failing = true;
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 486", "transport-error 503", "terminated");
    }

    @Test
    void terminatedIgnoresEverything() {
        InviteClientTransaction tx = started(true);
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        int sent = sink.sent.size();
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        tx.transportError(new RuntimeException("late"));
        assertThat(sink.sent).hasSize(sent);
        assertThat(tu.events).containsExactly("response 486", "terminated");
    }

    @Test
    void terminationHooksRunOnceAndAtOnceWhenAlreadyTerminated() {
        InviteClientTransaction tx = started(false);
        int[] runs = new int[1];
        tx.whenTerminated(() -> runs[0]++);
        advance(32_000);
        assertThat(runs[0]).isEqualTo(1);
        tx.whenTerminated(() -> runs[0]++);
        assertThat(runs[0]).isEqualTo(2);
    }

    @Test
    void onlyInviteIsAccepted() {
        assertThatThrownBy(() -> new InviteClientTransaction(Fixtures.options(), false, TimerConfig.DEFAULT, clock,
                sink, tu)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptedLetsGoOfTheInviteAfterTheTuHadThe2xx() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        assertThat(tu.requests).containsExactly(invite);
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
        assertThat(tx.request()).isNull();
        tx.receiveResponse(responseTo(invite, 200, "OK", "bobtag"));
        assertThat(tu.requests).hasSize(2);
    }

    @Test
    void completedKeepsTheInviteForItsAck() {
        InviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(invite, 486, "Busy Here", "bobtag"));
        assertThat(tx.request()).isSameAs(invite);
    }
}
