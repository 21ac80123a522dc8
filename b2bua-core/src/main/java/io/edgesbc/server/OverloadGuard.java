package io.edgesbc.server;

import io.edgesbc.sip.message.SipRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refuses new calls while the call shards are behind ({@code b2bua.max_queue_delay}).
 *
 * <p>The measure is how long a request waited between arriving and being handled by its shard.
 * When a new INVITE waited longer than the bound, the shard is behind by more than its callers'
 * retransmission intervals (T1 = 500 ms, then 1 s, 2 s ..., RFC 3261 §17.1.1.2): every call
 * taken on now adds retransmissions and work for the calls already up, which is how a short
 * stall turns into a collapse. Refusing it with 503 and Retry-After (RFC 3261 §21.5.4) is cheap
 * (the transaction absorbs the caller's retransmissions) and lets an upstream proxy fail over.
 * In-dialog requests (BYE, re-INVITE, ACK) and CANCELs are never refused: they end or keep up
 * calls already taken.
 */
final class OverloadGuard {

    /** Seconds a refused caller is asked to wait (Retry-After). */
    static final int RETRY_AFTER_SECONDS = 5;
    /** At most one log line per this interval: an overloaded server must not also flood its log. */
    static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(10).toNanos();

    private final Duration maxDelay;
    private final long maxDelayNanos;
    /** New INVITEs refused because their shard was behind. */
    final LongAdder refused = new LongAdder();
    /** When the last line was logged, and the refusals counted by then. */
    private final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong refusedWhenLogged = new AtomicLong();

    /** @param maxDelay the bound; zero turns the guard off */
    OverloadGuard(Duration maxDelay) {
        this.maxDelay = maxDelay;
        this.maxDelayNanos = maxDelay.toNanos();
    }

    /** The bound (zero: off), for log lines. */
    Duration maxDelay() {
        return maxDelay;
    }

    /** Whether {@code request}, which waited {@code waitedNanos} for its shard, is refused; counted. */
    boolean refuses(SipRequest request, long waitedNanos) {
        if (maxDelayNanos == 0 || waitedNanos <= maxDelayNanos || request.toTag() != null
                || !"INVITE".equals(request.method())) {
            return false;
        }
        refused.increment();
        return true;
    }

    /**
     * The number of refusals since the last log line when a line is due at {@code nowNanos}, else
     * -1 (the first refusal is logged at once, then at most one line per ten seconds).
     */
    long refusalsToLog(long nowNanos) {
        long last = loggedAt.get();
        if (last != Long.MIN_VALUE && nowNanos - last < LOG_INTERVAL_NANOS) {
            return -1;
        }
        if (!loggedAt.compareAndSet(last, nowNanos)) {
            return -1; // another shard logs this one
        }
        long total = refused.sum();
        return total - refusedWhenLogged.getAndSet(total);
    }
}
