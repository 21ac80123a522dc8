package io.edgesbc.server;

import io.edgesbc.b2bua.CallEvents;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each call event to several listeners (the call meters, the CDR writer) in order. A listener
 * that throws is logged and counted, and the others still get the event: a bug in the metrics must
 * not cost a CDR, nor the other way round, and neither may reach the call shard.
 *
 * <p>Threading: runs on the call shards, as the listeners do; it adds no state but the counters.
 */
public final class CallEventsFanOut implements CallEvents {

    private static final Logger log = LoggerFactory.getLogger(CallEventsFanOut.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final List<CallEvents> listeners;
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public CallEventsFanOut(List<CallEvents> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void started(CallSnapshot call) {
        each("started", l -> l.started(call));
    }

    @Override
    public void ringing(CallSnapshot call) {
        each("ringing", l -> l.ringing(call));
    }

    @Override
    public void answered(CallSnapshot call) {
        each("answered", l -> l.answered(call));
    }

    @Override
    public void ended(CallRecord record) {
        each("ended", l -> l.ended(record));
    }

    /** Listener calls that threw. */
    public long failures() {
        return failures.sum();
    }

    private void each(String event, Consumer<CallEvents> call) {
        for (CallEvents listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                failures.increment();
                // Rate-limited: a listener that always throws would otherwise log on every event.
                long now = System.nanoTime();
                long last = lastLog.get();
                if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
                    log.error("call event listener {} failed on '{}' ({} failure(s) so far)", listener, event,
                            failures.sum(), e);
                }
            }
        }
    }
}
