package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The shards' threads as EdgeSbcServer makes them ({@link CallShard#newScheduler}). */
class CallShardSchedulerTest {

    private final Scheduler shard = CallShard.newScheduler(7);

    @AfterEach
    void dispose() {
        shard.dispose();
    }

    @Test
    void runsTasksFromOtherThreadsInOrderOnOneNamedThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            int n = i;
            shard.schedule(() -> {
                seen.add(n + "@" + Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(seen.get(i)).startsWith(i + "@edgesbc-call-7");
        }
        assertThat(seen.stream().map(s -> s.substring(s.indexOf('@'))).distinct()).hasSize(1);
    }

    @Test
    void aTimerCancelledOnTheShardNeverFiresAndOthersFireInDueOrder() throws Exception {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        shard.schedule(() -> {
            Disposable cancelled = shard.schedule(() -> cancelledRan.set(true), 30, TimeUnit.MILLISECONDS);
            shard.schedule(() -> {
                fired.add("later");
                done.countDown();
            }, 60, TimeUnit.MILLISECONDS);
            shard.schedule(() -> {
                fired.add("sooner");
                done.countDown();
            }, 10, TimeUnit.MILLISECONDS);
            cancelled.dispose();
        });
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly("sooner", "later");
        assertThat(cancelledRan).as("the cancelled timer fired (it was due before 'later')").isFalse();
    }

    @Test
    void blockingOnAShardFailsUnderBlockHound() {
        assertThatThrownBy(() -> Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(shard).block(Duration.ofSeconds(5)))
                .satisfies(e -> assertThat(Exceptions.unwrap(e)).isInstanceOf(BlockingOperationError.class));
    }

    @Test
    void waitingForAMonoOnAShardFailsUnderBlockHound() {
        // Reactor refuses block() only on its own non-blocking threads; on a shard (a Netty event
        // loop) the wait would stall every call of the shard, and only BlockHound reports it.
        assertThatThrownBy(() -> Mono.fromCallable(() -> Mono.delay(Duration.ofMillis(20)).block())
                .subscribeOn(shard).block(Duration.ofSeconds(5)))
                .satisfies(e -> assertThat(Exceptions.unwrap(e)).isInstanceOf(BlockingOperationError.class));
    }

    @Test
    void aGracefulDisposeEndsTheThreadAndRefusesNewTasks() {
        Scheduler other = CallShard.newScheduler(8);
        assertThat(Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(other)
                .block(Duration.ofSeconds(5))).startsWith("edgesbc-call-8");
        other.disposeGracefully().block(Duration.ofSeconds(5));
        assertThat(other.isDisposed()).isTrue();
        assertThatThrownBy(() -> other.schedule(() -> { })).isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
