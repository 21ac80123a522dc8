package io.edgesbc.b2bua;

/**
 * A call's media at its end, for the CDR and the metrics: per side, packets and bytes received
 * from that party, packets lost (RFC 3550 §6.4.1 cumulative loss) and the interarrival jitter in
 * milliseconds (§6.4.1, A.8).
 */
public record MediaSummary(boolean anchored, Side caller, Side callee) {

    /** Nothing was anchored (bypass, no relay, or no SDP). */
    public static final MediaSummary NONE = new MediaSummary(false, Side.ZERO, Side.ZERO);

    /** One party's media as EdgeSBC received it. */
    public record Side(long packets, long bytes, long lost, double jitterMillis) {
        public static final Side ZERO = new Side(0, 0, 0, 0);
    }
}
