package io.edgesbc.server.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reloads the policy files into a {@link PolicyRouter}: the files are read and validated whole
 * (as at start-up) on {@code boundedElastic}, never on an event loop or shard; a valid policy is
 * swapped in atomically for new calls (calls in progress keep their decision); an invalid one
 * leaves the running policy in place, is logged with its FILE:LINE:COLUMN errors and counted.
 * Reloads are serialised (one at a time) so two of them cannot swap out of order.
 */
public final class PolicyReloader {

    private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

    /** What one reload did. */
    public record Result(boolean applied, List<String> errors, String summary) {
        public Result {
            errors = List.copyOf(errors);
        }
    }

    private final PolicyRouter router;
    private final List<Path> files;
    private final Set<String> realms;
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();

    private final java.util.function.Consumer<io.edgesbc.policy.Policy> onApplied;

    /** @param onApplied told of each policy swapped in (e.g. to add meters for new trunks and rules) */
    public PolicyReloader(PolicyRouter router, List<Path> files, Set<String> realms,
                          java.util.function.Consumer<io.edgesbc.policy.Policy> onApplied) {
        this.onApplied = Objects.requireNonNull(onApplied, "onApplied");
        this.router = Objects.requireNonNull(router, "router");
        this.files = List.copyOf(files);
        this.realms = Set.copyOf(realms);
    }

    /** Reads, validates and (if valid) swaps in the files; runs on boundedElastic when subscribed. */
    public Mono<Result> reload(String trigger) {
        return Mono.fromCallable(() -> reloadNow(trigger)).subscribeOn(Schedulers.boundedElastic());
    }

    private synchronized Result reloadNow(String trigger) {
        PolicyFiles.Outcome outcome = PolicyFiles.load(files, realms);
        if (outcome instanceof PolicyFiles.Outcome.Invalid invalid) {
            failed.increment();
            log.error("policy reload ({}) refused, the running policy {} stays: {}", trigger,
                    router.policy().summary(), String.join("; ", invalid.errors()));
            return new Result(false, invalid.errors(), router.policy().summary().toString());
        }
        PolicyRouter.Generation g = router.reload(((PolicyFiles.Outcome.Loaded) outcome).policy());
        succeeded.increment();
        onApplied.accept(g.policy());
        log.info("policy reloaded ({}): {}", trigger, g.policy().summary());
        return new Result(true, List.of(), g.policy().summary().toString());
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public List<Path> files() {
        return files;
    }
}
