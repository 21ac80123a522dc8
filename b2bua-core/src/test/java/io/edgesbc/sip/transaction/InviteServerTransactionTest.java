package io.edgesbc.sip.transaction;

import static io.edgesbc.sip.transaction.Fixtures.responseTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.Fixtures.RecordingServerTu;
import io.edgesbc.sip.transaction.Fixtures.RecordingSink;
import io.edgesbc.sip.transaction.InviteServerTransaction.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class InviteServerTransactionTest {

    private final VirtualTimeScheduler clock = Fixtures.scheduler();
    private final RecordingSink sink = new RecordingSink(clock);
    private final RecordingServerTu tu = new RecordingServerTu();
    private final SipRequest invite = Fixtures.invite();
    private final SipResponse ringing = responseTo(invite, 180, "Ringing", "bobtag");
    private final SipResponse busy = responseTo(invite, 486, "Busy Here", "bobtag");
    private final SipResponse ok = responseTo(invite, 200, "OK", "bobtag");
    private final SipRequest ack = Messages.ackFor(invite, busy);

    private InviteServerTransaction started(boolean reliable) {
        return started(reliable, TimerConfig.DEFAULT);
    }

    private InviteServerTransaction started(boolean reliable, TimerConfig timers) {
        InviteServerTransaction tx = new InviteServerTransaction(invite, reliable, timers, clock, sink, tu);
        tx.start();
        return tx;
    }

    private void advance(long millis) {
        clock.advanceTimeBy(Duration.ofMillis(millis));
    }

    @Test
    void startPassesTheInviteToTheTuInProceeding() {
        InviteServerTransaction tx = started(false);
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
        assertThat(tu.events).containsExactly("request INVITE");
        assertThat(sink.sent).isEmpty();
    }

    @Test
    void sends100TryingWhenTheTuIsSilentFor200ms() {
        started(false);
        advance(199);
        assertThat(sink.sent).isEmpty();
        advance(1);
        assertThat(sink.sent).hasSize(1);
        SipResponse trying = (SipResponse) sink.last();
        assertThat(trying.statusCode()).isEqualTo(100);
        // RFC 3261 §8.2.6: Via, From, To, Call-ID, CSeq copied; §17.2.1: no To tag; §8.2.6.1: Timestamp.
        assertThat(trying.vias()).isEqualTo(invite.vias());
        assertThat(trying.callId()).isEqualTo(invite.callId());
        assertThat(trying.cseq()).isEqualTo(invite.cseq());
        assertThat(trying.headers().first(HeaderName.FROM)).isEqualTo(invite.headers().first(HeaderName.FROM));
        assertThat(trying.toTag()).isNull();
        assertThat(trying.headers().first(HeaderName.TIMESTAMP)).isEqualTo("54");
        advance(60_000);
        assertThat(sink.sent).hasSize(1); // sent once, not retransmitted
    }

    @Test
    void no100TryingWhenTheTuAnswersInTime() {
        InviteServerTransaction tx = started(false);
        advance(150);
        tx.sendResponse(ringing);
        advance(1_000);
        assertThat(sink.sent).containsExactly(ringing);
    }

    @Test
    void the100TryingDelayIsConfigurable() {
        started(false, TimerConfig.DEFAULT.withTryingDelay(Duration.ofSeconds(1)));
        advance(999);
        assertThat(sink.sent).isEmpty();
        advance(1);
        assertThat(sink.startLines()).containsExactly("SIP/2.0 100 Trying");
    }

    @Test
    void zeroTryingDelaySends100AtOnce() {
        started(false, TimerConfig.DEFAULT.withTryingDelay(Duration.ZERO));
        assertThat(sink.startLines()).containsExactly("SIP/2.0 100 Trying");
    }

    @Test
    void retransmittedInviteInProceedingResendsTheLastProvisional() {
        InviteServerTransaction tx = started(false);
        tx.receiveRequest(invite); // nothing sent yet: nothing to resend
        assertThat(sink.sent).isEmpty();
        advance(200); // 100 Trying
        tx.receiveRequest(invite);
        assertThat(sink.startLines()).containsExactly("SIP/2.0 100 Trying", "SIP/2.0 100 Trying");
        tx.sendResponse(ringing);
        tx.receiveRequest(invite);
        assertThat(sink.sent.subList(2, 4)).containsExactly(ringing, ringing);
        assertThat(tu.events).containsExactly("request INVITE");
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
    }

    @Test
    void finalErrorMovesToCompletedAndTimerGRetransmitsUpToT2() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(busy);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        advance(20_000);
        // RFC 3261 §17.2.1: 500, 1000, 2000, 4000, 4000 ... ms apart.
        assertThat(sink.sentAtMillis).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L, 15_500L, 19_500L);
        assertThat(sink.sent).allMatch(m -> m == busy);
    }

    @Test
    void retransmittedInviteInCompletedResendsTheFinal() {
        InviteServerTransaction tx = started(true);
        tx.sendResponse(busy);
        tx.receiveRequest(invite);
        assertThat(sink.sent).containsExactly(busy, busy);
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void timerHFiresWithoutAckAndTellsTheTu() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(busy);
        advance(31_999);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "timeout", "terminated");
        int sent = sink.sent.size();
        advance(10_000);
        assertThat(sink.sent).hasSize(sent); // Timer G cancelled with the state
    }

    @Test
    void ackMovesToConfirmedWhichAbsorbsAckRetransmissionsUntilTimerI() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(busy);
        advance(600);
        tx.receiveRequest(ack);
        assertThat(tx.state()).isEqualTo(State.CONFIRMED);
        int sent = sink.sent.size();
        tx.receiveRequest(ack);
        tx.receiveRequest(invite);
        advance(4_999);
        assertThat(tx.state()).isEqualTo(State.CONFIRMED);
        assertThat(sink.sent).hasSize(sent); // Timer G stopped, retransmissions absorbed
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "terminated"); // no timeout: Timer H cancelled
        advance(60_000);
        assertThat(tu.events).hasSize(2);
    }

    @Test
    void reliableTransportHasNoTimerGAndNoWaitInConfirmed() {
        InviteServerTransaction tx = started(true);
        tx.sendResponse(busy);
        advance(10_000);
        assertThat(sink.sent).containsExactly(busy);
        tx.receiveRequest(ack);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "terminated");
    }

    @Test
    void reliableTransportStillHasTimerH() {
        InviteServerTransaction tx = started(true);
        tx.sendResponse(busy);
        advance(32_000);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "timeout", "terminated");
    }

    @Test
    void twoHundredMovesToAcceptedWhichAbsorbsInviteRetransmissions() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(ringing);
        assertThat(tx.sendResponse(ok)).isTrue();
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
        tx.receiveRequest(invite);
        advance(10_000);
        // The transaction does not retransmit the 2xx itself, nor answer the INVITE again.
        assertThat(sink.sent).containsExactly(ringing, ok);
        assertThat(tu.events).containsExactly("request INVITE");
    }

    @Test
    void acceptedSendsTheTus2xxRetransmissionsOnly() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(ok);
        assertThat(tx.sendResponse(ok)).isTrue();
        assertThat(tx.sendResponse(ringing)).isFalse();
        assertThat(tx.sendResponse(busy)).isFalse();
        assertThat(sink.sent).containsExactly(ok, ok);
    }

    @Test
    void acceptedPassesAckToTheTu() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(ok);
        SipRequest ackFor2xx = Messages.ackFor(invite, ok);
        tx.receiveRequest(ackFor2xx);
        assertThat(tu.events).containsExactly("request INVITE", "ack");
        assertThat(tu.requests.get(1)).isSameAs(ackFor2xx);
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
    }

    @Test
    void timerLTerminatesAcceptedAfter64T1() {
        InviteServerTransaction tx = started(true);
        tx.sendResponse(ok);
        advance(31_999);
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "terminated");
    }

    @Test
    void transportErrorInProceedingInformsTheTuAndTerminates() {
        InviteServerTransaction tx = started(false);
        sink.failing = true;
        assertThat(tx.sendResponse(ringing)).isFalse();
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "transport-error", "terminated");
    }

    @Test
    void transportErrorOnTimerGInCompletedTerminates() {
        InviteServerTransaction tx = started(false);
        tx.sendResponse(busy);
        sink.failing = true;
        advance(500);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request INVITE", "transport-error", "terminated");
    }

    @Test
    void transportErrorInAcceptedInformsTheTuAndStays() {
        InviteServerTransaction tx = started(false);
        sink.failing = true;
        assertThat(tx.sendResponse(ok)).isFalse();
        assertThat(tx.state()).isEqualTo(State.ACCEPTED);
        assertThat(tu.events).containsExactly("request INVITE", "transport-error");
        advance(32_000);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
    }

    @Test
    void completedDiscardsFurtherResponsesFromTheTu() {
        InviteServerTransaction tx = started(true);
        tx.sendResponse(busy);
        assertThat(tx.sendResponse(ok)).isFalse();
        assertThat(tx.sendResponse(ringing)).isFalse();
        assertThat(sink.sent).containsExactly(busy);
        assertThat(tx.lastResponse()).isSameAs(busy);
    }

    @Test
    void acceptedAndConfirmedLetGoOfTheRequestCompletedKeepsIt() {
        InviteServerTransaction accepted = started(false);
        accepted.sendResponse(ringing);
        assertThat(accepted.request()).isSameAs(invite);
        accepted.sendResponse(ok);
        // RFC 6026 §8.7: Accepted waits for Timer L with the key and the TU's 2xx only.
        assertThat(accepted.state()).isEqualTo(State.ACCEPTED);
        assertThat(accepted.request()).isNull();
        accepted.receiveRequest(invite); // a retransmission is still absorbed
        assertThat(sink.sent).containsExactly(ringing, ok);
        // It keeps the 2xx's status and To-tag (ACK and CANCEL matching), not the 2xx itself.
        assertThat(accepted.lastResponse()).isNull();
        assertThat(accepted.lastResponseStatus()).isEqualTo(200);
        assertThat(accepted.lastResponseToTag()).isEqualTo("bobtag");
        assertThat(accepted.sendResponse(ok)).as("the TU's 2xx retransmission still goes out").isTrue();
        assertThat(sink.last()).isSameAs(ok);
        assertThat(accepted.lastResponse()).isNull();

        InviteServerTransaction rejected = started(false);
        rejected.sendResponse(busy);
        // Completed keeps it: Timer H tells the TU about this request.
        assertThat(rejected.request()).isSameAs(invite);
        rejected.receiveRequest(invite);
        assertThat(sink.last()).isSameAs(busy);
        rejected.receiveRequest(ack);
        assertThat(rejected.state()).isEqualTo(State.CONFIRMED);
        assertThat(rejected.request()).isNull();
        assertThat(rejected.lastResponse()).as("nothing is resent in Confirmed").isNull();
        assertThat(rejected.lastResponseStatus()).isEqualTo(486);
        assertThat(rejected.lastResponseToTag()).isEqualTo("bobtag");
    }

    @Test
    void beforeAnyResponseThereIsNoStatusAndNoTag() {
        InviteServerTransaction tx = started(true);
        assertThat(tx.lastResponseStatus()).isZero();
        assertThat(tx.lastResponseToTag()).isNull();
        tx.sendResponse(ringing);
        assertThat(tx.lastResponseStatus()).isEqualTo(180);
        assertThat(tx.lastResponse()).isSameAs(ringing);
    }
}
