package io.edgesbc.sip.transaction;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The transaction timers of RFC 3261 (Table 4 in Appendix A) and RFC 6026 §8, derived from the
 * three base values T1, T2 and T4. Immutable; the {@code with*} methods return changed copies.
 *
 * <pre>
 * timer  value (unreliable)   value (reliable)   meaning                                   section
 * -----  -------------------  -----------------  ----------------------------------------  ---------------
 * T1     500 ms               500 ms             RTT estimate                              §17.1.1.1
 * T2     4 s                  4 s                max. retransmit interval, non-INVITE req  §17.1.2.2
 *                                                and INVITE responses
 * T4     5 s                  5 s                max. time a message stays in the network  §17.1.2.2
 * A      T1, doubling         off                INVITE request retransmit interval        §17.1.1.2
 * B      64*T1                64*T1              INVITE client transaction timeout         §17.1.1.2
 * D      timerD (32 s)        0                  wait for response retransmissions         §17.1.1.2
 * E      T1, doubling to T2   off                non-INVITE request retransmit interval    §17.1.2.2
 * F      64*T1                64*T1              non-INVITE client transaction timeout     §17.1.2.2
 * G      T1, doubling to T2   off                INVITE response retransmit interval       §17.2.1
 * H      64*T1                64*T1              wait for ACK                              §17.2.1
 * I      T4                   0                  wait for ACK retransmissions              §17.2.1
 * J      64*T1                0                  wait for non-INVITE request retransmits   §17.2.2
 * K      T4                   0                  wait for response retransmissions         §17.1.2.2
 * L      64*T1                64*T1              wait for accepted INVITE retransmits      RFC 6026 §8.7
 * M      64*T1                64*T1              wait for 2xx retransmits / forked 2xx     RFC 6026 §8.4
 * 100    tryingDelay (200ms)  tryingDelay        send 100 Trying if the TU is silent       §17.2.1
 * </pre>
 *
 * <p>Timer C (proxy INVITE timeout, §16.6) belongs to the proxy core, not to transactions.
 *
 * @param t1 RTT estimate (RFC 3261 §17.1.1.1), positive
 * @param t2 the retransmit interval cap (§17.1.2.2), at least T1
 * @param t4 the longest time a message stays in the network (§17.1.2.2), positive
 * @param timerD Timer D for unreliable transports; §17.1.1.2 asks for at least 32 s; not negative
 * @param tryingDelay how long an INVITE server transaction waits for the TU before it sends
 *        100 Trying itself (§17.2.1: 200 ms); zero sends it at once; not negative
 */
public record TimerConfig(Duration t1, Duration t2, Duration t4, Duration timerD, Duration tryingDelay) {

    /** The RFC defaults: T1 500 ms, T2 4 s, T4 5 s, Timer D 32 s, 100 Trying after 200 ms. */
    public static final TimerConfig DEFAULT = new TimerConfig(Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(5), Duration.ofSeconds(32), Duration.ofMillis(200));

    public TimerConfig {
        Objects.requireNonNull(t1, "t1");
        Objects.requireNonNull(t2, "t2");
        Objects.requireNonNull(t4, "t4");
        Objects.requireNonNull(timerD, "timerD");
        Objects.requireNonNull(tryingDelay, "tryingDelay");
        if (t1.isZero() || t1.isNegative() || t4.isZero() || t4.isNegative()) {
            throw new IllegalArgumentException("T1 and T4 must be positive");
        }
        if (t2.compareTo(t1) < 0) {
            throw new IllegalArgumentException("T2 must not be less than T1");
        }
        if (timerD.isNegative() || tryingDelay.isNegative()) {
            throw new IllegalArgumentException("Timer D and the 100 Trying delay must not be negative");
        }
    }

    public TimerConfig withT1(Duration value) {
        return new TimerConfig(value, t2, t4, timerD, tryingDelay);
    }

    public TimerConfig withT2(Duration value) {
        return new TimerConfig(t1, value, t4, timerD, tryingDelay);
    }

    public TimerConfig withT4(Duration value) {
        return new TimerConfig(t1, t2, value, timerD, tryingDelay);
    }

    public TimerConfig withTimerD(Duration value) {
        return new TimerConfig(t1, t2, t4, value, tryingDelay);
    }

    public TimerConfig withTryingDelay(Duration value) {
        return new TimerConfig(t1, t2, t4, timerD, value);
    }

    private Duration t1x64() {
        return t1.multipliedBy(64);
    }

    /** RFC 3261 §17.1.1.2: the first Timer A interval (T1), or empty on a reliable transport. */
    public Optional<Duration> timerA(boolean reliable) {
        return reliable ? Optional.empty() : Optional.of(t1);
    }

    /** RFC 3261 §17.1.1.2: 64*T1 on every transport. */
    public Duration timerB() {
        return t1x64();
    }

    /** RFC 3261 §17.1.1.2: at least 32 s on unreliable transports, zero on reliable ones. */
    public Duration timerD(boolean reliable) {
        return reliable ? Duration.ZERO : timerD;
    }

    /** RFC 3261 §17.1.2.2: the first Timer E interval (T1), or empty on a reliable transport. */
    public Optional<Duration> timerE(boolean reliable) {
        return reliable ? Optional.empty() : Optional.of(t1);
    }

    /** RFC 3261 §17.1.2.2: 64*T1 on every transport. */
    public Duration timerF() {
        return t1x64();
    }

    /** RFC 3261 §17.2.1: the first Timer G interval (T1), or empty on a reliable transport. */
    public Optional<Duration> timerG(boolean reliable) {
        return reliable ? Optional.empty() : Optional.of(t1);
    }

    /** RFC 3261 §17.2.1: 64*T1 on every transport. */
    public Duration timerH() {
        return t1x64();
    }

    /** RFC 3261 §17.2.1: T4 on unreliable transports, zero on reliable ones. */
    public Duration timerI(boolean reliable) {
        return reliable ? Duration.ZERO : t4;
    }

    /** RFC 3261 §17.2.2: 64*T1 on unreliable transports, zero on reliable ones. */
    public Duration timerJ(boolean reliable) {
        return reliable ? Duration.ZERO : t1x64();
    }

    /** RFC 3261 §17.1.2.2: T4 on unreliable transports, zero on reliable ones. */
    public Duration timerK(boolean reliable) {
        return reliable ? Duration.ZERO : t4;
    }

    /** RFC 6026 §8.7: 64*T1 on every transport. */
    public Duration timerL() {
        return t1x64();
    }

    /** RFC 6026 §8.4: 64*T1 on every transport. */
    public Duration timerM() {
        return t1x64();
    }

    /** The next Timer E / Timer G interval: double the last one, at most T2 (§17.1.2.2, §17.2.1). */
    Duration doubledUpToT2(Duration last) {
        Duration doubled = last.multipliedBy(2);
        return doubled.compareTo(t2) > 0 ? t2 : doubled;
    }
}
