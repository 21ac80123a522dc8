package io.edgesbc.b2bua;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The operator's choices for every call (the {@code b2bua:} section of the configuration).
 *
 * @param maxCallDuration calls longer than this are ended on both legs; zero for no limit
 * @param follow3xx       a 3xx on the UAC leg sends the call on to its Contacts (else the caller
 *                        gets the 3xx, its Contacts re-homed to EdgeSBC)
 * @param removedHeaders  header names removed on top of {@link TopologyHiding}'s default list
 * @param passedHeaders   header names of the default removal list that pass after all (the
 *                        topology headers themselves never pass)
 * @param maxQueueDelay   a new INVITE that waited longer than this for its shard is refused with
 *                        503 and Retry-After (overload); zero turns the check off
 */
public record B2buaSettings(Duration maxCallDuration, boolean follow3xx, Set<String> removedHeaders,
                            Set<String> passedHeaders, Duration maxQueueDelay) {

    /** The overload bound for the default T1 of 500 ms: {@link #maxQueueDelayFor}. */
    public static final Duration DEFAULT_MAX_QUEUE_DELAY = maxQueueDelayFor(Duration.ofMillis(500));

    /**
     * The overload bound when the configuration names none: half of T1. A shard that is T1 behind
     * has callers resending their INVITEs (Timer A, RFC 3261 §17.1.1.2) and callees waiting for our
     * ACKs; from there each new call adds retransmissions for the calls already up, and a backlog
     * that long does not drain by itself under steady load (measured: with a bound of 2 s, a run at
     * 2,500 calls/s slowed by profiling lost two thirds of its calls while refusing one INVITE).
     * Refusing new calls before the first retransmission keeps the backlog below it.
     */
    public static Duration maxQueueDelayFor(Duration t1) {
        return t1.dividedBy(2);
    }

    /** A copy with this overload bound. */
    public B2buaSettings withMaxQueueDelay(Duration bound) {
        return new B2buaSettings(maxCallDuration, follow3xx, removedHeaders, passedHeaders, bound);
    }

    public static final B2buaSettings DEFAULT = new B2buaSettings(Duration.ZERO, true, Set.of(), Set.of());

    /** Settings with the default overload bound ({@link #DEFAULT_MAX_QUEUE_DELAY}). */
    public B2buaSettings(Duration maxCallDuration, boolean follow3xx, Set<String> removedHeaders,
                         Set<String> passedHeaders) {
        this(maxCallDuration, follow3xx, removedHeaders, passedHeaders, DEFAULT_MAX_QUEUE_DELAY);
    }

    public B2buaSettings {
        Objects.requireNonNull(maxCallDuration, "maxCallDuration");
        Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
        if (maxCallDuration.isNegative()) {
            throw new IllegalArgumentException("maxCallDuration must not be negative");
        }
        if (maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("maxQueueDelay must not be negative");
        }
        removedHeaders = Set.copyOf(removedHeaders);
        passedHeaders = Set.copyOf(passedHeaders);
    }
}
