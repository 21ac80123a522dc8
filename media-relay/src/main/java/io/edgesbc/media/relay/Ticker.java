package io.edgesbc.media.relay;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task periodically; injected so that tests fire the task themselves. */
@FunctionalInterface
public interface Ticker {

    /**
     * Runs {@code task} every {@code period}, never two runs at once, until the returned handle
     * is closed.
     */
    AutoCloseable every(Duration period, Runnable task);

    /** A ticker on its own daemon thread ({@code media-relay-sweep}). */
    static Ticker daemon() {
        return (period, task) -> {
            ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "media-relay-sweep");
                t.setDaemon(true);
                return t;
            });
            long nanos = period.toNanos();
            s.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
            return s::shutdownNow;
        };
    }
}
