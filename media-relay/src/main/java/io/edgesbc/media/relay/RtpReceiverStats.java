package io.edgesbc.media.relay;

/**
 * Receiver statistics of one RTP stream: packets lost from sequence numbers (RFC 3550 A.1 and
 * A.3) and interarrival jitter (RFC 3550 §6.4.1 and A.8).
 *
 * <p>Confined to one thread (the stream's event loop); not thread-safe. Another thread may read
 * the values after a volatile read that follows the writes (see {@link RelayStream}).
 */
final class RtpReceiverStats {

    // RFC 3550 A.1: sequence numbers are 16 bits; jumps within MAX_DROPOUT ahead are losses,
    // up to MAX_MISORDER behind are late packets; anything else is a suspected restart.
    static final int SEQ_MOD = 1 << 16;
    static final int MAX_DROPOUT = 3000;
    static final int MAX_MISORDER = 100;

    private boolean started;
    private int ssrc;
    // RFC 3550 A.1 source state
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private long received;
    /** Loss of earlier sources (SSRCs) or sequence restarts on this stream. */
    private long lostBefore;
    // RFC 3550 A.8 jitter state
    private long arrivalOrigin;
    private boolean haveTransit;
    private int transit;
    private int clockRate;
    private double jitter;

    /**
     * Accounts one RTP packet.
     *
     * @param packetSsrc    the SSRC
     * @param seq           the sequence number, 0-65535
     * @param rtpTimestamp  the RTP timestamp (32 bits, as an int)
     * @param arrivalNanos  arrival time on a monotonic clock
     * @param rate          the payload type's RTP clock rate in Hz
     */
    void onPacket(int packetSsrc, int seq, int rtpTimestamp, long arrivalNanos, int rate) {
        if (!started || packetSsrc != ssrc) {
            newSource(packetSsrc, seq, arrivalNanos);
        } else if (!updateSequence(seq)) {
            return; // RFC 3550 A.1: not counted while a restart is unconfirmed
        }
        jitter(rtpTimestamp, arrivalNanos, rate);
    }

    private void newSource(int packetSsrc, int seq, long arrivalNanos) {
        if (started) {
            lostBefore += sourceLost();
        } else {
            arrivalOrigin = arrivalNanos;
        }
        started = true;
        ssrc = packetSsrc;
        // DEVIATION: RFC 3550 A.1 holds a new source on probation for MIN_SEQUENTIAL packets;
        // here the source check (latching) has already vetted the sender, so counting starts
        // at the first packet.
        initSequence(seq);
        received = 1;
        haveTransit = false;
    }

    // RFC 3550 A.1 init_seq
    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1; // so seq == badSeq is false
        cycles = 0;
        received = 0;
    }

    // RFC 3550 A.1 update_seq; returns whether the packet counts
    private boolean updateSequence(int seq) {
        int udelta = (seq - maxSeq) & (SEQ_MOD - 1);
        if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD; // wrapped around
            }
            maxSeq = seq;
        } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // two sequential packets after a big jump: the source restarted
                lostBefore += sourceLost();
                initSequence(seq);
                haveTransit = false;
            } else {
                badSeq = (seq + 1) & (SEQ_MOD - 1);
                return false;
            }
        }
        // else: a duplicate or a late packet; counted as received (A.3 allows negative loss)
        received++;
        return true;
    }

    /** RFC 3550 A.3: expected = extended highest sequence number - base + 1; lost = expected - received. */
    private long sourceLost() {
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        return expected - received;
    }

    /**
     * RFC 3550 A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si) with R the arrival in RTP timestamp units;
     * J += (|D| - J) / 16. Differences are taken modulo 2^32 like the timestamps themselves.
     */
    private void jitter(int rtpTimestamp, long arrivalNanos, int rate) {
        if (rate != clockRate) { // transit times at different rates do not compare
            clockRate = rate;
            haveTransit = false;
        }
        int arrival = (int) toUnits(arrivalNanos - arrivalOrigin, rate);
        int t = arrival - rtpTimestamp;
        if (haveTransit) {
            int d = t - transit;
            if (d < 0) {
                d = -d;
            }
            jitter += (d - jitter) / 16.0;
        }
        transit = t;
        haveTransit = true;
    }

    /** Nanoseconds to timestamp units, without overflow for any realistic call length. */
    static long toUnits(long nanos, int rate) {
        long seconds = nanos / 1_000_000_000L;
        long rest = nanos % 1_000_000_000L;
        return seconds * rate + rest * rate / 1_000_000_000L;
    }

    /** Packets counted as received from the current source. */
    long received() {
        return received;
    }

    /** Packets lost over all sources of this stream (negative if duplicates outnumber losses). */
    long lost() {
        return started ? lostBefore + sourceLost() : 0;
    }

    /** The interarrival jitter in timestamp units. */
    double jitter() {
        return jitter;
    }

    /** The jitter in milliseconds at the last clock rate. */
    double jitterMillis() {
        return clockRate == 0 ? 0 : jitter * 1000.0 / clockRate;
    }

    /** The extended highest sequence number received (RFC 3550 A.1: cycles + max_seq). */
    long extendedHighestSequence() {
        return cycles + maxSeq;
    }
}
