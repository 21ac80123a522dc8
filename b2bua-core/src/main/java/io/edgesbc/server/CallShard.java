package io.edgesbc.server;

import io.edgesbc.b2bua.CallEngine;
import io.edgesbc.sip.dialog.MergedRequestDetector;
import io.edgesbc.sip.transaction.TransactionTable;
import java.time.Clock;
import reactor.core.scheduler.Scheduler;

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
