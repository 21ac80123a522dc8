package io.edgesbc.b2bua;

import io.edgesbc.sip.transaction.TimerConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A UAS core's retransmission of a response until its acknowledgement arrives: a 2xx to an
 * INVITE until the ACK (RFC 3261 §13.3.1.4: first after T1, doubling up to T2), a reliable
 * provisional until its PRACK (RFC 3262 §3: doubling without a cap). When nothing came within
 * 64*T1, {@code onNoAck} runs.
 *
 * <p>Threading: created, run and stopped on the call's shard thread.
 */
final class Retransmission {

    private final Scheduler scheduler;
    private final TimerConfig timers;
    private final Runnable resend;
    private final Runnable onNoAck;
    private final long started;
    private Duration interval;
    private Disposable next;

    private final Duration cap;

    private Retransmission(Scheduler scheduler, TimerConfig timers, Duration cap, Runnable resend, Runnable onNoAck) {
        this.cap = cap;
        this.scheduler = scheduler;
        this.timers = timers;
        this.resend = resend;
        this.onNoAck = onNoAck;
        this.started = scheduler.now(TimeUnit.MILLISECONDS);
        this.interval = timers.t1();
    }

    /** Retransmits a 2xx to an INVITE (the first send is the caller's) until {@link #stop()}. */
    static Retransmission of2xx(Scheduler scheduler, TimerConfig timers, Runnable resend, Runnable onNoAck) {
        Retransmission r = new Retransmission(scheduler, timers, timers.t2(), resend, onNoAck);
        r.schedule();
        return r;
    }

    /** Retransmits a reliable provisional response (the first send is the caller's) until {@link #stop()}. */
    static Retransmission ofReliableProvisional(Scheduler scheduler, TimerConfig timers, Runnable resend,
                                                Runnable onNoPrack) {
        Retransmission r = new Retransmission(scheduler, timers, timers.timerB(), resend, onNoPrack);
        r.schedule();
        return r;
    }

    private void schedule() {
        try {
            next = scheduler.schedule(this::fire, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            next = null; // the shard is gone (the server stopped): nothing left to retransmit to
        }
    }

    private void fire() {
        if (next == null) {
            return;
        }
        long elapsed = scheduler.now(TimeUnit.MILLISECONDS) - started;
        if (elapsed >= timers.timerB().toMillis()) {
            next = null;
            onNoAck.run();
            return;
        }
        resend.run();
        Duration doubled = interval.multipliedBy(2);
        interval = doubled.compareTo(cap) > 0 ? cap : doubled;
        schedule();
    }

    /** The ACK came (or the dialog ended): no more retransmissions. */
    void stop() {
        if (next != null) {
            next.dispose();
            next = null;
        }
    }
}
