package io.edgesbc.sip.transaction;

import static io.edgesbc.sip.transaction.Fixtures.responseTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.Fixtures.RecordingServerTu;
import io.edgesbc.sip.transaction.Fixtures.RecordingSink;
import io.edgesbc.sip.transaction.NonInviteServerTransaction.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class NonInviteServerTransactionTest {

    private final VirtualTimeScheduler clock = Fixtures.scheduler();
    private final RecordingSink sink = new RecordingSink(clock);
    private final RecordingServerTu tu = new RecordingServerTu();
    private final SipRequest options = Fixtures.options();
    private final SipResponse trying = responseTo(options, 100, "Trying", null);
    private final SipResponse ok = responseTo(options, 200, "OK", "b");

    private NonInviteServerTransaction started(boolean reliable) {
        NonInviteServerTransaction tx = new NonInviteServerTransaction(options, reliable, TimerConfig.DEFAULT, clock,
                sink, tu);
        tx.start();
        return tx;
    }

    private void advance(long millis) {
        clock.advanceTimeBy(Duration.ofMillis(millis));
    }

    @Test
    void startPassesTheRequestToTheTuInTrying() {
        NonInviteServerTransaction tx = started(false);
        assertThat(tx.state()).isEqualTo(State.TRYING);
        assertThat(tu.requests).containsExactly(options);
        assertThat(sink.sent).isEmpty();
        assertThat(tx.key()).isEqualTo(new TransactionKey.Server("z9hG4bKopt1", "pc33.atlanta.example.com:5060",
                "OPTIONS"));
    }

    @Test
    void tryingAbsorbsRetransmissions() {
        NonInviteServerTransaction tx = started(false);
        tx.receiveRequest(options);
        tx.receiveRequest(options);
        assertThat(sink.sent).isEmpty();
        assertThat(tu.events).containsExactly("request OPTIONS");
        assertThat(tx.state()).isEqualTo(State.TRYING);
    }

    @Test
    void provisionalMovesToProceedingAndIsResentForRetransmissions() {
        NonInviteServerTransaction tx = started(false);
        assertThat(tx.sendResponse(trying)).isTrue();
        assertThat(tx.state()).isEqualTo(State.PROCEEDING);
        SipResponse queued = responseTo(options, 182, "Queued", null);
        tx.sendResponse(queued);
        tx.receiveRequest(options);
        assertThat(sink.sent).containsExactly(trying, queued, queued);
        assertThat(tx.lastResponse()).isSameAs(queued);
    }

    @Test
    void finalFromTryingCompletesAndTimerJFiresAfter64T1() {
        NonInviteServerTransaction tx = started(false);
        tx.sendResponse(ok);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        tx.receiveRequest(options);
        assertThat(sink.sent).containsExactly(ok, ok);
        advance(31_999);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        assertThat(sink.sent).hasSize(2); // responses are not retransmitted on their own
        advance(1);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request OPTIONS", "terminated");
    }

    @Test
    void finalFromProceedingCompletes() {
        NonInviteServerTransaction tx = started(false);
        tx.sendResponse(trying);
        tx.sendResponse(ok);
        assertThat(tx.state()).isEqualTo(State.COMPLETED);
        tx.receiveRequest(options);
        assertThat(sink.sent).containsExactly(trying, ok, ok);
    }

    @Test
    void completedDiscardsFurtherResponsesFromTheTu() {
        NonInviteServerTransaction tx = started(false);
        tx.sendResponse(ok);
        assertThat(tx.sendResponse(responseTo(options, 500, "Server Internal Error", "b"))).isFalse();
        assertThat(tx.sendResponse(trying)).isFalse();
        assertThat(sink.sent).containsExactly(ok);
        tx.receiveRequest(options);
        assertThat(sink.last()).isSameAs(ok);
    }

    @Test
    void reliableTransportTerminatesRightAfterTheFinalResponse() {
        NonInviteServerTransaction tx = started(true);
        tx.sendResponse(ok);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(sink.sent).containsExactly(ok);
        assertThat(tu.events).containsExactly("request OPTIONS", "terminated");
    }

    @Test
    void transportErrorInProceedingInformsTheTuAndTerminates() {
        NonInviteServerTransaction tx = started(false);
        sink.failing = true;
        assertThat(tx.sendResponse(trying)).isFalse();
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request OPTIONS", "transport-error", "terminated");
    }

    @Test
    void transportErrorInCompletedInformsTheTuAndTerminates() {
        NonInviteServerTransaction tx = started(false);
        tx.sendResponse(ok);
        sink.failing = true;
        tx.receiveRequest(options);
        assertThat(tx.state()).isEqualTo(State.TERMINATED);
        assertThat(tu.events).containsExactly("request OPTIONS", "transport-error", "terminated");
        advance(40_000);
        assertThat(tu.events).hasSize(3); // Timer J was cancelled
    }

    @Test
    void completedLetsGoOfTheRequestAndStillResendsTheFinal() {
        NonInviteServerTransaction tx = started(false);
        tx.sendResponse(trying);
        assertThat(tx.request()).isSameAs(options);
        tx.sendResponse(ok);
        assertThat(tx.state()).isEqualTo(NonInviteServerTransaction.State.COMPLETED);
        assertThat(tx.request()).isNull();
        tx.receiveRequest(options);
        assertThat(sink.sent).containsExactly(trying, ok, ok);
    }
}
