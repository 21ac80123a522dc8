package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.b2bua.CallEvents;
import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import io.edgesbc.b2bua.MediaSummary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One listener that throws costs the others nothing, and never reaches the caller (the shard). */
class CallEventsFanOutTest {

    private static final CallSnapshot CALL = new CallSnapshot("c", "u", "c", "outside", "inside", CallLabels.NONE,
            "x", null, null, 0, 1, 2);
    private static final CallRecord RECORD = new CallRecord(CALL, 3, CallRecord.Outcome.ANSWERED, 200, 200,
            CallRecord.EndedBy.CALLER, "bye", MediaSummary.NONE);

    private static final class Recording implements CallEvents {
        final List<String> seen = new ArrayList<>();

        @Override
        public void started(CallSnapshot call) {
            seen.add("started");
        }

        @Override
        public void ringing(CallSnapshot call) {
            seen.add("ringing");
        }

        @Override
        public void answered(CallSnapshot call) {
            seen.add("answered");
        }

        @Override
        public void ended(CallRecord record) {
            seen.add("ended");
        }
    }

    private static final CallEvents BROKEN = new CallEvents() {
        @Override
        public void started(CallSnapshot call) {
            throw new IllegalStateException("metrics bug");
        }

        @Override
        public void ended(CallRecord record) {
            throw new IllegalStateException("metrics bug");
        }
    };

    @Test
    void aThrowingListenerBeforeOrAfterDoesNotStopTheOther() {
        Recording after = new Recording();
        Recording before = new Recording();
        CallEventsFanOut fanOut = new CallEventsFanOut(List.of(before, BROKEN, after));
        fanOut.started(CALL);
        fanOut.ringing(CALL);
        fanOut.answered(CALL);
        fanOut.ended(RECORD);
        assertThat(after.seen).containsExactly("started", "ringing", "answered", "ended");
        assertThat(before.seen).containsExactly("started", "ringing", "answered", "ended");
        assertThat(fanOut.failures()).isEqualTo(2);
    }
}
