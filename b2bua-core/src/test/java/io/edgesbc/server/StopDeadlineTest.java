package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The stop's one deadline, in virtual time: every wait ends by it, steps that must run get their minimum. */
class StopDeadlineTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final StopDeadline deadline = new StopDeadline(Duration.ofSeconds(1), time,
            () -> time.now(TimeUnit.NANOSECONDS));

    @Test
    void whatRemainsShrinksToZeroAndAStepThatMustRunStillGetsItsMinimum() {
        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(1));
        time.advanceTimeBy(Duration.ofMillis(600));
        assertThat(deadline.remaining()).isEqualTo(Duration.ofMillis(400));
        assertThat(deadline.atLeast(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(400));
        assertThat(deadline.atLeast(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(500));
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(deadline.remaining()).isZero();
        assertThat(deadline.atLeast(Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aCountThatReachesZeroEndsTheWaitAtTheNextPoll() {
        List<Integer> counts = List.of(3, 1, 0, 7);
        AtomicInteger taken = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> deadline.untilZero(() -> Mono.fromSupplier(
                        () -> counts.get(taken.getAndIncrement()))), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(StopDeadline.POLL.multipliedBy(2).minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(0)
                .verifyComplete();
        assertThat(taken).as("no count after the 0").hasValue(3);
    }

    @Test
    void aCountThatNeverReachesZeroEndsTheWaitAtTheDeadlineWithTheLastCount() {
        AtomicInteger taken = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> deadline.untilZero(() -> Mono.fromSupplier(() -> 10 + taken.getAndIncrement())),
                        () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(last -> assertThat(last).isEqualTo(10 + taken.get() - 1).isGreaterThan(10))
                .verifyComplete();
    }

    @Test
    void aCountThatNeverAnswersEndsTheWaitAtTheDeadlineWithMinusOne() {
        StepVerifier.withVirtualTime(() -> deadline.untilZero(Mono::never), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(-1)
                .verifyComplete();
    }

    @Test
    void onceTheDeadlineHasPassedNothingIsCountedOrWaitedFor() {
        time.advanceTimeBy(Duration.ofSeconds(2));
        AtomicBoolean counted = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> deadline.untilZero(() -> {
                    counted.set(true);
                    return Mono.just(0);
                }), () -> time, Long.MAX_VALUE)
                .expectNext(-1)
                .verifyComplete();
        assertThat(counted).isFalse();
    }

    @Test
    void aStepIsWaitedForWithWhatRemainsAndNotCancelledWhenTheWaitEnds() {
        time.advanceTimeBy(Duration.ofMillis(700));
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> deadline.within(Mono.never().doOnCancel(() -> cancelled.set(true)),
                        Duration.ofMillis(100)), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .verifyComplete();
        assertThat(cancelled).as("the step goes on in the background").isFalse();
    }

    @Test
    void aStepThatMustRunGetsItsMinimumAfterTheDeadline() {
        time.advanceTimeBy(Duration.ofSeconds(3));
        StepVerifier.withVirtualTime(() -> deadline.within(Mono.delay(Duration.ofMillis(200), time).thenReturn("done"),
                        Duration.ofMillis(250)), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(Duration.ofMillis(200))
                .expectNext("done")
                .verifyComplete();
    }

    @Test
    void aStepThatMustRunIsWaitedForOnlyItsMinimumAfterTheDeadline() {
        time.advanceTimeBy(Duration.ofSeconds(3));
        StepVerifier.withVirtualTime(() -> deadline.within(Mono.delay(Duration.ofMillis(300), time).thenReturn("late"),
                        Duration.ofMillis(250)), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(249))
                .thenAwait(Duration.ofMillis(1))
                .verifyComplete();
    }

    @Test
    void aStepThatFailsEndsItsWaitWithoutFailingTheStop() {
        StepVerifier.withVirtualTime(() -> deadline.within(Mono.error(new IllegalStateException("not disposed")),
                        Duration.ZERO), () -> time, Long.MAX_VALUE)
                .verifyComplete();
    }
}
