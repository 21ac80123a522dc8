package io.edgesbc.server.cdr;

import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import io.edgesbc.b2bua.MediaSummary;
import java.time.Instant;

/** Call records as the B2BUA makes them, for the CDR and metrics tests. */
final class CdrRecords {

    static final long START = Instant.parse("2026-11-23T08:15:30.250Z").toEpochMilli();

    private CdrRecords() {
    }

    /** An answered call: ringing after 1.5 s, answered after 4 s, 62.5 s of talk, caller hung up. */
    static CallRecord answered(String id) {
        CallSnapshot call = new CallSnapshot(id, "a84b4c76e66710@pc33.example.com", id, "outside", "inside",
                new CallLabels("carrier-a", "pbx", "to-pbx"), "ended", "alice", "+4930123456", START, START + 1500,
                START + 4000);
        return new CallRecord(call, START + 66_500, CallRecord.Outcome.ANSWERED, 200, 200, CallRecord.EndedBy.CALLER,
                "BYE from the caller", new MediaSummary(true, new MediaSummary.Side(3125, 537_500, 2, 1.25),
                        new MediaSummary.Side(3120, 536_640, 0, 0.5)));
    }

    /** An INVITE the policy refused: no UAC leg, no labels, no ring or answer. */
    static CallRecord rejected(String id) {
        CallSnapshot call = new CallSnapshot(id, "refused@example.com", null, "outside", null, CallLabels.NONE,
                "ended", "mallory", "0900123456", START, -1, -1);
        return new CallRecord(call, START, CallRecord.Outcome.REJECTED, 403, 0, CallRecord.EndedBy.EDGESBC,
                "refused by policy: 403 Premium Barred", MediaSummary.NONE);
    }
}
