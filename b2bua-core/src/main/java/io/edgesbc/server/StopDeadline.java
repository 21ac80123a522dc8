package io.edgesbc.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one deadline of a graceful stop ({@code shutdown_timeout}): each step of the stop waits at
 * most for what remains of it, so the waits of the steps do not add up. A step that must run
 * even once the time is used up (hanging up the calls, closing the listeners, writing the last
 * CDRs) asks for a short minimum instead; the stop as a whole then takes at most the timeout plus
 * the minimums of those steps.
 *
 * <p>Waiting never cancels a step: a disposal that is still going on when its budget runs out goes
 * on in the background, the stop only stops waiting for it. Time and timers come from the given
 * clock and scheduler, so tests run the budget in virtual time.
 */
final class StopDeadline {

    private static final Logger log = LoggerFactory.getLogger(StopDeadline.class);

    /** How often a count (open transactions, calls) is taken again while waiting for it to reach 0. */
    static final Duration POLL = Duration.ofMillis(50);

    private final Scheduler timers;
    private final LongSupplier nanoClock;
    private final long deadline;

    StopDeadline(Duration timeout, Scheduler timers, LongSupplier nanoClock) {
        this.timers = timers;
        this.nanoClock = nanoClock;
        this.deadline = nanoClock.getAsLong() + timeout.toNanos();
    }

    /** A deadline {@code timeout} from now, on the monotonic clock and Reactor's parallel timers. */
    static StopDeadline start(Duration timeout) {
        return new StopDeadline(timeout, Schedulers.parallel(), System::nanoTime);
    }

    /** What remains until the deadline; zero once it has passed. */
    Duration remaining() {
        return Duration.ofNanos(Math.max(0, deadline - nanoClock.getAsLong()));
    }

    /** What remains, but at least {@code minimum}: the budget of a step that must run. */
    Duration atLeast(Duration minimum) {
        Duration left = remaining();
        return left.compareTo(minimum) < 0 ? minimum : left;
    }

    /**
     * The outcome of {@code work}, or empty when it has not come within {@link #atLeast
     * atLeast(minimum)} or failed (logged: one step that fails must not keep the others from
     * running). The work is subscribed at once and not cancelled when the wait ends.
     */
    <T> Mono<T> within(Mono<T> work, Duration minimum) {
        return Mono.defer(() -> Mono.<T>fromFuture(work.toFuture(), true)
                .timeout(atLeast(minimum), Mono.empty(), timers)
                .onErrorResume(e -> {
                    log.warn("a step of the stop failed: {}", e.toString());
                    return Mono.empty();
                }));
    }

    /**
     * Takes {@code count} every {@link #POLL} until it is 0 or the deadline has passed: emits 0, or
     * the last count taken (-1 when none came in time, e.g. because the deadline had passed).
     */
    Mono<Integer> untilZero(Supplier<Mono<Integer>> count) {
        return Mono.defer(() -> {
            Duration left = remaining();
            if (left.isZero()) {
                return Mono.just(-1);
            }
            AtomicInteger last = new AtomicInteger(-1);
            return Mono.defer(count)
                    .doOnNext(last::set)
                    .repeatWhen(again -> again.concatMap(x -> Mono.delay(POLL, timers)))
                    .takeUntil(n -> n == 0)
                    .last(-1)
                    .timeout(left, Mono.fromSupplier(last::get), timers);
        });
    }
}
