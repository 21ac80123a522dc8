package io.edgesbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * Proves BlockHound is installed in this test JVM (by blockhound-junit-platform), so that every
 * other test of the module fails when our code blocks a thread that must not block: a Reactor
 * non-blocking scheduler or a Netty event loop, by sleeping or by waiting (a park). The call
 * shards are Netty event loops too; {@code CallShardSchedulerTest} checks the guard on shards as
 * {@code CallShard.newScheduler} makes them.
 */
class BlockHoundGuardTest {

    private static String sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "slept";
    }

    @Test
    void sleepingInATimerOnTheParallelSchedulerFails() {
        assertThatThrownBy(() -> Mono.delay(Duration.ofMillis(1)).map(tick -> sleep()).block(Duration.ofSeconds(5)))
                .satisfies(e -> assertThat(Exceptions.unwrap(e)).isInstanceOf(BlockingOperationError.class)
                        .hasMessageContaining("Thread.sleep"));
    }

    @Test
    void waitingOnALatchOnANettyEventLoopFails() throws Exception {
        // A park, not a sleep: how block(), a latch, a future or a contended lock wait.
        LoopResources loops = LoopResources.create("guard-io", 1, true);
        try {
            var loop = loops.onServer(false).next();
            assertThatThrownBy(() -> loop.submit(() -> new CountDownLatch(1).await(1, TimeUnit.MILLISECONDS))
                    .get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BlockingOperationError.class).hasMessageContaining("park");
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void sleepingOnANettyEventLoopFails() throws Exception {
        LoopResources loops = LoopResources.create("guard-io", 1, true);
        try {
            var loop = loops.onServer(false).next();
            assertThatThrownBy(() -> loop.submit(BlockHoundGuardTest::sleep).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BlockingOperationError.class);
        } finally {
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void sleepingWhereBlockingIsAllowedStillWorks() {
        assertThat(Mono.fromCallable(BlockHoundGuardTest::sleep).subscribeOn(Schedulers.boundedElastic())
                .block(Duration.ofSeconds(5))).isEqualTo("slept");
    }
}
