package io.edgesbc.b2bua;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The relay steps of one call, run in the order they were asked for even when some wait for the
 * media relay: a 200 that arrives while the 183 before it is still at the relay must reach the
 * caller after that 183. A step without media work runs at once when nothing is ahead of it.
 *
 * <p>Threading: used on the call's shard thread only; a media outcome that completes elsewhere
 * is handed back to the shard's scheduler before its step runs.
 */
final class OrderedSteps {

    private static final Logger log = LoggerFactory.getLogger(OrderedSteps.class);

    private record Step(Mono<MediaOutcome> media, MediaOutcome ready, Consumer<MediaOutcome> then) {
    }

    private final Scheduler shard;
    private final ArrayDeque<Step> queue = new ArrayDeque<>(2);
    private boolean busy;

    OrderedSteps(Scheduler shard) {
        this.shard = shard;
    }

    /** Runs {@code then} with the media outcome, after the steps already asked for. */
    void after(Mono<MediaOutcome> media, Consumer<MediaOutcome> then) {
        queue.add(new Step(media, null, then));
        if (!busy) {
            next();
        }
    }

    /** Runs {@code then} with an outcome known now (no relay involved), after the steps already asked for. */
    void now(MediaOutcome ready, Consumer<MediaOutcome> then) {
        if (!busy && queue.isEmpty()) {
            runSafely(then, ready);
            return;
        }
        queue.add(new Step(null, ready, then));
        if (!busy) {
            next();
        }
    }

    /** Runs {@code then} after the steps already asked for. */
    void now(Runnable then) {
        now(null, outcome -> then.run());
    }

    /** Steps waiting (for the tests and the orphan audit). */
    int pending() {
        return queue.size() + (busy ? 1 : 0);
    }

    private void next() {
        while (true) {
            Step step = queue.poll();
            if (step == null) {
                busy = false;
                return;
            }
            if (step.media() == null) {
                busy = true;
                runSafely(step.then(), step.ready());
                continue;
            }
            busy = true;
            step.media().subscribe(
                    outcome -> shard.schedule(() -> finish(step, outcome)),
                    error -> shard.schedule(() -> finish(step,
                            new MediaOutcome.Refused(500, "Media Relay Failed", null))));
            return;
        }
    }

    private void finish(Step step, MediaOutcome outcome) {
        runSafely(step.then(), outcome);
        next();
    }

    private static void runSafely(Consumer<MediaOutcome> then, MediaOutcome outcome) {
        try {
            then.accept(outcome);
        } catch (RuntimeException e) {
            // One failed step must not stall the steps behind it; the call's audit ends calls left hanging.
            log.error("a relay step failed", e);
        }
    }
}
