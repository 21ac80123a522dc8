package io.edgesbc.server;

import io.edgesbc.b2bua.CallEngine;
import io.edgesbc.sip.dialog.MergedRequestDetector;
import io.edgesbc.sip.transaction.TransactionTable;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One single-threaded lane of the SIP core. Every message of a call is handled on the same shard,
 * in order, so the shard's state (its transaction table, its calls) needs no locks: it is
 * touched only from tasks on {@link #scheduler()}, which also runs that shard's timers.
 */
final class CallShard {
    private final int index;
    private final Scheduler scheduler;
    /** Owned by this shard's thread. */
    private final TransactionTable transactions = new TransactionTable();
    /** Owned by this shard's thread; requests of one Call-ID always come to one shard. */
    private final MergedRequestDetector mergedRequests;

    /**
     * Owned by this shard's thread: whether the message being handled is traced, so that what is
     * sent because of it is traced too (the SIP core sets and clears it around each message).
     */
    boolean handlingTraced;

    /** The B2BUA calls of this shard; set once by the SIP core, before any message. */
    private CallEngine calls;

    /**
     * The thread of shard {@code index}, as a Reactor scheduler: a Netty {@link DefaultEventLoop}
     * named {@code edgesbc-call-INDEX-...}. Not {@code Schedulers.newSingle}: its
     * ScheduledThreadPoolExecutor puts every task, immediate or delayed, into one heap behind one
     * lock, and under load that heap (siftUp/siftDown, the lock) took about 15 % of the shards'
     * CPU. The event loop takes tasks from other threads through a lock-free queue and keeps its
     * timers in a heap that only its own thread touches; almost all of a shard's timers (RFC 3261
     * §17 transaction timers, call guards) are started and cancelled on the shard itself.
     * Netty's BlockHound integration treats the loop's thread as non-blocking, as Reactor's own.
     */
    static Scheduler newScheduler(int index) {
        String name = "edgesbc-call-" + index;
        return Schedulers.fromExecutorService(new DefaultEventLoop(new DefaultThreadFactory(name, true)), name);
    }

    CallShard(int index, Scheduler scheduler, Clock clock) {
        this.index = index;
        this.scheduler = scheduler;
        this.mergedRequests = new MergedRequestDetector(clock);
    }

    void attach(CallEngine engine) {
        this.calls = engine;
    }

    CallEngine calls() {
        return calls;
    }

    MergedRequestDetector mergedRequests() {
        return mergedRequests;
    }

    int index() {
        return index;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    TransactionTable transactions() {
        return transactions;
    }
}
