package io.edgesbc.sip.transaction;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * One named RFC timer of one transaction. Started when its state is entered, cancelled when the
 * state is left; a task that was already queued when the timer was cancelled does nothing.
 *
 * <p>A zero duration (Timers D, I, J, K on reliable transports) is not scheduled: the timer is
 * <em>due</em>, and the transaction fires it through {@link #fireIfDue()} once the event that
 * started it has been handled, so the TU sees "response, then terminated" in that order.
 *
 * <p>Not thread-safe: owned by the transaction's event loop.
 */
final class TransactionTimer {
    private final String name;
    private final Scheduler scheduler;
    private Disposable pending;
    private Runnable action;
    private boolean due;
    /** Bumped on every start and cancel; a queued task from an older generation is stale. */
    private long generation;

    TransactionTimer(String name, Scheduler scheduler) {
        this.name = name;
        this.scheduler = scheduler;
    }

    void start(Duration delay, Runnable onFire) {
        Objects.requireNonNull(onFire);
        cancel();
        action = onFire;
        if (delay.isZero()) {
            due = true;
            return;
        }
        long mine = generation;
        try {
            pending = scheduler.schedule(() -> fire(mine), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // The shard's scheduler is gone: the server is stopping after its shutdown timeout,
            // and a transaction that outlived it simply ends without this timer.
            pending = null;
        }
    }

    void cancel() {
        generation++;
        due = false;
        action = null;
        if (pending != null) {
            pending.dispose();
            pending = null;
        }
    }

    boolean isRunning() {
        return pending != null || due;
    }

    /** Fires a zero-length timer started while handling the current event. */
    void fireIfDue() {
        if (due) {
            fire(generation);
        }
    }

    private void fire(long expected) {
        if (expected != generation || action == null) {
            return;
        }
        Runnable run = action;
        action = null;
        pending = null;
        due = false;
        run.run();
    }

    @Override
    public String toString() {
        return "Timer " + name + (isRunning() ? " (running)" : "");
    }
}
