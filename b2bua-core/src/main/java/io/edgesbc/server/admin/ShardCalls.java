package io.edgesbc.server.admin;

import io.edgesbc.b2bua.CallEngine;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs work on the call shards for the admin API. A {@link CallEngine} belongs to its shard's
 * thread, so the admin side never touches one directly: it hands a task to the shard and gets the
 * result back as a publisher, without blocking the HTTP event loop.
 */
public interface ShardCalls {

    /** Runs {@code task} on every shard's thread with that shard's engine; one result per shard. */
    <T> Flux<T> onEveryShard(Function<CallEngine, T> task);

    /**
     * Runs {@code task} on the thread of the shard that made {@code callId} (a call's id, which
     * is EdgeSBC's own UAC-leg Call-ID and names its shard). Empty when the id names no shard; a
     * null result completes empty.
     */
    <T> Mono<T> onShardOf(String callId, Function<CallEngine, T> task);
}
