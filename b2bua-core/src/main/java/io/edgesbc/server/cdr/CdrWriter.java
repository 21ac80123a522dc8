package io.edgesbc.server.cdr;

import io.edgesbc.b2bua.CallEvents;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.server.config.CdrConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per ended call ({@link CdrJson}) into rotating files ({@link CdrFiles}).
 *
 * <p>Threading: {@link #ended} runs on the call shards (several threads) and must not block, so
 * it only puts the record on a lock-free queue and wakes the writer; a bounded queue of locks
 * ({@code ArrayBlockingQueue}) would park a shard whenever two of them met at the lock. The bound
 * is kept by a counter instead: a record that finds {@code queue} records waiting is dropped,
 * counted ({@link #dropped()}) and logged, rather than ever holding up a call. One thread,
 * {@code edgesbc-cdr}, owns the files and does all the I/O; it flushes whenever the queue runs
 * empty, so a line is on disk moments after its call ended.
 *
 * <p>{@link #stop} writes everything queued before it returns; a record that ends after that is
 * dropped and counted.
 */
public final class CdrWriter implements CallEvents {

    private static final Logger log = LoggerFactory.getLogger(CdrWriter.class);
    /** How long the writer sleeps when idle before looking again (a wake-up normally comes first). */
    private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** At most one log line about dropped or unwritten records per this interval. */
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Queue<CallRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final CdrFiles files;
    private final CdrJson json = new CdrJson();
    private final LongAdder written = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private long lastFailureLog = System.nanoTime() - LOG_EVERY_NANOS;

    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean stopped;

    /** A writer as configured; the clock names the files (UTC hours). Nothing is opened before {@link #start}. */
    public CdrWriter(CdrConfig config, Clock clock) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("CDRs are off in this configuration");
        }
        this.capacity = config.queue();
        this.files = new CdrFiles(config.dir(), config.rotateSize(), config.keep(), clock);
    }

    /**
     * Creates the directory, checks it can be written, and starts the writer thread.
     *
     * @throws IOException when the directory cannot be created or written (the server refuses to start)
     */
    public CdrWriter start() throws IOException {
        files.prepare();
        Thread t = new Thread(this::run, "edgesbc-cdr");
        t.setDaemon(true); // stop() drains; a JVM that exits without stop() must not hang on us
        thread = t;
        t.start();
        return this;
    }

    @Override
    public void ended(CallRecord record) {
        if (stopped || queued.incrementAndGet() > capacity) {
            if (!stopped) {
                queued.decrementAndGet();
            }
            dropped.increment();
            logDropped(record);
            return;
        }
        queue.offer(record);
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t); // never blocks; a no-op wake-up when the writer is busy
        }
    }

    private void run() {
        while (true) {
            CallRecord record = queue.poll();
            if (record != null) {
                queued.decrementAndGet();
                write(record);
                continue;
            }
            flush();
            if (stopping) {
                return;
            }
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        }
    }

    private void write(CallRecord record) {
        try {
            files.write(json.line(record));
            written.increment();
        } catch (IOException | RuntimeException e) {
            failed.increment();
            long now = System.nanoTime();
            if (now - lastFailureLog >= LOG_EVERY_NANOS) {
                lastFailureLog = now;
                log.error("cannot write CDR of call {} ({} CDR(s) unwritten so far): {}", record.call().id(),
                        failed.sum(), e.toString());
            }
            try {
                files.close(); // the next record opens the file again (a disk may have come back)
            } catch (IOException ignored) {
                // already failing; reported above
            }
        }
    }

    private void flush() {
        try {
            files.flush();
        } catch (IOException e) {
            failed.increment();
            log.error("cannot flush CDR file {}: {}", files.current(), e.toString());
        }
    }

    private void logDropped(CallRecord record) {
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastDropLog.compareAndSet(last, now)) {
            log.warn("CDR of call {} dropped: {} ({} CDR(s) dropped so far)", record.call().id(),
                    stopped ? "the CDR writer has stopped" : "the CDR queue is full (" + capacity + ")",
                    dropped.sum());
        }
    }

    /**
     * Writes what is queued, closes the file and stops the thread, waiting at most {@code timeout}
     * for the thread; what it has not written by then is written here, on the caller's thread.
     */
    public void stop(Duration timeout) {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                log.warn("the CDR writer did not finish within {}; {} CDR(s) still queued", timeout, queued.get());
                stopped = true;
                return; // it still owns the files; writing here too would interleave lines
            }
        }
        stopped = true;
        // Records queued between the writer's last look and `stopped` (a call ending during stop).
        for (CallRecord r; (r = queue.poll()) != null; ) {
            queued.decrementAndGet();
            write(r);
        }
        flush();
        try {
            files.close();
        } catch (IOException e) {
            log.error("cannot close CDR file {}: {}", files.current(), e.toString());
        }
    }

    /** CDRs written to a file. */
    public long written() {
        return written.sum();
    }

    /** CDRs dropped because the queue was full (or the writer had stopped). */
    public long dropped() {
        return dropped.sum();
    }

    /** CDRs that could not be written (I/O errors). */
    public long failed() {
        return failed.sum();
    }

    /** CDRs waiting to be written. */
    public int queued() {
        return queued.get();
    }
}
