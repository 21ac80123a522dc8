package io.edgesbc.sip.transaction;

import static io.edgesbc.sip.transaction.Fixtures.responseTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.transaction.Fixtures.RecordingClientTu;
import io.edgesbc.sip.transaction.Fixtures.RecordingSink;
import io.edgesbc.sip.transaction.NonInviteClientTransaction.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class NonInviteClientTransactionTest {

    private final VirtualTimeScheduler clock = Fixtures.scheduler();
    private final RecordingSink sink = new RecordingSink(clock);
    private final RecordingClientTu tu = new RecordingClientTu();
    private final SipRequest options = Fixtures.options();

    private NonInviteClientTransaction started(boolean reliable) {
        NonInviteClientTransaction tx = new NonInviteClientTransaction(options, reliable, TimerConfig.DEFAULT, clock,
                sink, tu);
        tx.start();
        return tx;
    }

    private void advance(long millis) {
        clock.advanceTimeBy(Duration.ofMillis(millis));
    }

    @Test
    void startSendsTheRequestAndEntersTrying() {
        NonInviteClientTransaction tx = started(false);
        assertThat(tx.state()).isEqualTo(State.TRYING);
        assertThat(sink.sent).containsExactly(options);
        assertThat(tx.key()).isEqualTo(new TransactionKey.Client("z9hG4bKopt1", "OPTIONS"));
    }

    @Test
    void timerERetransmitsDoublingUpToT2InTrying() {
        started(false);
        advance(40_000);
        // RFC 3261 §17.1.2.2: 500, 1000, 2000, 4000, 4000 ... ms apart; Timer F at 32 s.
        assertThat(sink.sentAtMillis).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L, 15_500L, 19_500L,
                23_500L, 27_500L, 31_500L);
    }

    @Test
    void timerFTimesOutTryingWith408() {
        NonInviteClientTransaction tx = started(false);
        advance(31_999);
        assertThat(tx.state()).isEqualTo(State.TRYING);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("timeout 408", "terminated");
        assertThat(tu.responses.get(0).cseq().method()).isEqualTo("OPTIONS");
    }

    @Test
    void provisionalMovesToProceedingWhereTimerEUsesT2() {
        NonInviteClientTransaction tx = started(false);
        advance(200);
        tx.receiveResponse(responseTo(options, 100, "Trying", null));
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
        assertThat(tu.events).containsExactly("response 100");
        advance(9_000);
        // The pending Timer E still fires at 500 ms; from then on every T2.
        assertThat(sink.sentAtMillis).containsExactly(0L, 500L, 4_500L, 8_500L);
    }

    @Test
    void timerFTimesOutProceedingToo() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(options, 100, "Trying", null));
        tx.receiveResponse(responseTo(options, 182, "Queued", null));
        assertThat(tu.events).containsExactly("response 100", "response 182");
        advance(32_000);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 100", "response 182", "timeout 408", "terminated");
    }

    @Test
    void finalInTryingCompletesAndStopsTimersEAndF() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(options, 200, "OK", "b"));
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        assertThat(tu.events).containsExactly("response 200");
        advance(4_999);
        assertThat(sink.sent).hasSize(1);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
    }

    @Test
    void finalInProceedingCompletes() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(options, 100, "Trying", null));
        tx.receiveResponse(responseTo(options, 404, "Not Found", "b"));
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        assertThat(tu.events).containsExactly("response 100", "response 404");
    }

    @Test
    void completedAbsorbsRetransmittedResponsesAndTimerKFiresAfterT4() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(options, 200, "OK", "b"));
        tx.receiveResponse(responseTo(options, 200, "OK", "b"));
        tx.receiveResponse(responseTo(options, 100, "Trying", null));
        assertThat(tu.events).containsExactly("response 200");
        advance(4_999);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 200", "terminated");
        assertThat(sink.sent).hasSize(1);
    }

    @Test
    void reliableTransportHasNoTimerEAndNoWaitInCompleted() {
        NonInviteClientTransaction tx = started(true);
        advance(31_999);
        assertThat(sink.sent).hasSize(1);
        tx.receiveResponse(responseTo(options, 200, "OK", "b"));
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 200", "terminated");
    }

    @Test
    void reliableTransportStillHasTimerF() {
        NonInviteClientTransaction tx = started(true);
        advance(32_000);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("timeout 408", "terminated");
    }

    @Test
    void transportErrorInTryingGives503() {
        sink.failing = true;
        NonInviteClientTransaction tx = started(false);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("transport-error 503", "terminated");
    }

    @Test
    void transportErrorOnARetransmissionInProceedingGives503() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(options, 100, "Trying", null));
        sink.failing = true;
        advance(500);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("response 100", "transport-error 503", "terminated");
        assertThat(tu.responses.get(1).statusCode()).isEqualTo(503);
    }

    @Test
    void transportErrorInCompletedIsIgnored() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(responseTo(options, 200, "OK", "b"));
        tx.transportError(new RuntimeException("late"));
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        assertThat(tu.events).containsExactly("response 200");
    }

    @Test
    void inviteAndAckAreRejected() {
        assertThatThrownBy(() -> new NonInviteClientTransaction(Fixtures.invite(), false, TimerConfig.DEFAULT, clock,
                sink, tu)).isInstanceOf(IllegalArgumentException.class);
        SipRequest ack = Fixtures.invite().toBuilder().method("ACK").build();
        assertThatThrownBy(() -> new NonInviteClientTransaction(ack, false, TimerConfig.DEFAULT, clock, sink, tu))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completedLetsGoOfTheRequestAfterTheTuHadTheFinal() {
        NonInviteClientTransaction tx = started(false);
        tx.receiveResponse(Fixtures.responseTo(options, 200, "OK", "b"));
        assertThat(tu.requests).containsExactly(options);
        assertThat(tx.request()).isNull();
        advance(60_000);
        assertThat(tx.isTerminated()).isTrue();
    }
}
