package io.edgesbc.media.relay;

/** A monotonic clock in nanoseconds; injected so that tests run in fake time. */
@FunctionalInterface
public interface NanoClock {

    /** The current time in nanoseconds, from an arbitrary origin. */
    long nanoTime();

    /** {@link System#nanoTime()}. */
    static NanoClock system() {
        return System::nanoTime;
    }
}
