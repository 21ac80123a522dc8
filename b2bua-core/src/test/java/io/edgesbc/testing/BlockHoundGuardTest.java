package io.edgesbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * Proves BlockHound is installed in this test JVM (by blockhound-junit-platform), so that every
 * other test of the module fails when our code blocks a thread that must not block: a Reactor
 * non-blocking scheduler, a call shard ({@code Schedulers.newSingle}) or a Netty event loop.
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
    void sleepingOnACallShardFails() {
        // Created as EdgeSbcServer creates its shards.
        Scheduler shard = Schedulers.newSingle("guard-call-0", true);
        try {
            assertThatThrownBy(() -> Mono.fromCallable(BlockHoundGuardTest::sleep).subscribeOn(shard)
                    .block(Duration.ofSeconds(5)))
                    .satisfies(e -> assertThat(Exceptions.unwrap(e)).isInstanceOf(BlockingOperationError.class));
        } finally {
            shard.dispose();
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
