package io.edgesbc.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.LoadResult;
import io.edgesbc.policy.PolicyDecision;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.policy.RequestView;
import io.edgesbc.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Reload on file change: polls run in virtual time on real temp files, so the debounce is tested
 * without waiting for it; only the reload itself (on boundedElastic) is awaited, by a bounded poll.
 */
class PolicyWatcherTest {

    private static final ServerConfig.PolicyWatch WATCH =
            new ServerConfig.PolicyWatch(Duration.ofSeconds(1), Duration.ofSeconds(3));

    @TempDir
    Path dir;

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<Disposable> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(Disposable::dispose);
        time.dispose();
    }

    private static String policy(String code) {
        return "rules:\n  - name: all\n    reject: {code: " + code + "}\n";
    }

    /** A watcher over {@code files} whose reload only counts. */
    private AtomicInteger countingWatcher(List<Path> files) {
        AtomicInteger reloads = new AtomicInteger();
        PolicyWatcher watcher = new PolicyWatcher(() -> files, trigger -> {
            reloads.incrementAndGet();
            return Mono.just(new PolicyReloader.Result(true, List.of(), trigger));
        }, WATCH, time);
        started.add(watcher.start());
        return reloads;
    }

    @Test
    void severalWritesInARowMakeOneReloadOnceTheFileIsQuiet() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), policy("403"));
        AtomicInteger reloads = countingWatcher(List.of(file));

        // An editor writing in steps, each within the debounce of the one before.
        for (String code : List.of("404", "4040", "40400")) {
            Files.writeString(file, policy(code));
            time.advanceTimeBy(Duration.ofSeconds(2));
            assertThat(reloads).as("still being written").hasValue(0);
        }
        // The last write was seen by the poll at 5 s; quiet from then on.
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(reloads).as("quiet for 2 s, debounce is 3 s").hasValue(0);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(reloads).hasValue(1);
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(reloads).as("nothing changed since").hasValue(1);
    }

    @Test
    void aTouchWithoutNewContentReloadsNothing() throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), policy("403"));
        AtomicInteger reloads = countingWatcher(List.of(file));

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(reloads).hasValue(0);
    }

    @Test
    void aFileThatDisappearsAndComesBackChangedIsReloadedOnce() throws IOException {
        Path yaml = Files.writeString(dir.resolve("p.yaml"), policy("403"));
        Path csv = Files.writeString(dir.resolve("t.csv"), "1,a\n");
        AtomicInteger reloads = countingWatcher(List.of(yaml, csv));

        // Save by rename: the file is gone for a moment, then back with new content.
        Files.delete(csv);
        time.advanceTimeBy(Duration.ofSeconds(1));
        Files.writeString(csv, "1,a\n2,b\n");
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(reloads).hasValue(1);
    }

    @Test
    void anEditedPolicyIsSwappedInAndABadEditKeepsItAndIsCountedOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), policy("403"));
        PolicyRouter router = new PolicyRouter(((LoadResult.Ok) PolicyLoader.load(List.of(file))).policy());
        PolicyReloader reloader = new PolicyReloader(router, List.of(file), Set.of(), p -> { });
        PolicyWatcher watcher = new PolicyWatcher(() -> List.of(file), reloader::reload, WATCH, time);
        started.add(watcher.start());

        Files.writeString(file, policy("486"));
        awaitAdvancing(() -> reloader.succeeded() == 1);
        assertThat(rejectCode(router)).isEqualTo(486);

        Files.writeString(file, "rules:\n  - name: all\n    reject: {code: 99}\n");
        awaitAdvancing(() -> reloader.failed() == 1);
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(reloader.failed()).as("the same bad file is tried once").isEqualTo(1);
        assertThat(reloader.succeeded()).isEqualTo(1);
        assertThat(watcher.reloadsStarted()).isEqualTo(2);
        assertThat(rejectCode(router)).as("the old policy stays").isEqualTo(486);
    }

    private static int rejectCode(PolicyRouter router) {
        PolicyDecision d = router.policy().decide(RequestView.builder().source("192.0.2.1", 5060)
                .requestUri("sip:1@example.com").build());
        return ((PolicyDecision.Reject) d).code();
    }

    @Test
    void aPrefixFileThePolicyNamesIsWatchedToo() throws Exception {
        Path yaml = Files.writeString(dir.resolve("p.yaml"), """
                trunks:
                  - {name: a, targets: ["sip:192.0.2.10"]}
                  - {name: b, targets: ["sip:192.0.2.11"]}
                prefix_tables:
                  t: {file: t.csv}
                rules:
                  - {name: lcr, route: {prefix_table: t}}
                """);
        Path csv = Files.writeString(dir.resolve("t.csv"), "44,a\n");
        PolicyRouter router = new PolicyRouter(((LoadResult.Ok) PolicyLoader.load(List.of(yaml))).policy());
        PolicyReloader reloader = new PolicyReloader(router, List.of(yaml), Set.of(), p -> { });
        PolicyWatcher watcher = new PolicyWatcher(() -> {
            List<Path> all = new ArrayList<>(reloader.files());
            router.policy().sourceFiles().stream().filter(p -> !all.contains(p)).forEach(all::add);
            return all;
        }, reloader::reload, WATCH, time);
        started.add(watcher.start());

        Files.writeString(csv, "44,b\n");
        awaitAdvancing(() -> reloader.succeeded() == 1);
        PolicyDecision decision = router.policy().decide(RequestView.builder().source("192.0.2.1", 5060)
                .requestUri("sip:4420@example.com").build());
        assertThat(((PolicyDecision.Route) decision).trunk()).isEqualTo("b");
    }

    /**
     * Lets virtual time pass, a second per step, until {@code condition} holds: the reload itself
     * runs on boundedElastic in real time (bounded to 10 s), and polls that fall due while it runs
     * are dropped, as in production, so time has to go on passing after it.
     */
    private void awaitAdvancing(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            time.advanceTimeBy(Duration.ofSeconds(1));
            Thread.sleep(10);
        }
    }
}
