package io.edgesbc.server.policy;

import io.edgesbc.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reloads the policy when its files change: the rule files of the configuration and the prefix
 * CSVs the running policy was read from.
 *
 * <p>Polling, not {@code java.nio.file.WatchService}: the files an operator changes are often not
 * written in place. A Kubernetes ConfigMap is updated by swapping a {@code ..data} symlink in the
 * directory above, a Docker bind mount or NFS share may deliver no inotify events for writes made
 * on the other side, and editors save by writing a temporary file and renaming it. A stat of a few
 * files every interval sees all of these (size and modification time are read through symlinks),
 * costs next to nothing, and can be driven by an injected scheduler in virtual time.
 *
 * <p>Debounce: a change (size, modification time, or a file appearing or disappearing) starts a
 * quiet period; only when a poll finds the files unchanged for {@code debounce} since the last
 * change are they hashed, and only if that content differs from the content last loaded (or last
 * tried) is the reload started, so an editor's several writes make one reload, a {@code touch}
 * makes none, and a bad file is tried (refused and counted by the {@link PolicyReloader}) once
 * rather than at every poll. Changes are seen through size and modification time: a rewrite with
 * the same size within the file system's timestamp resolution is not seen until the next change.
 *
 * <p>Threading: polls run on the given scheduler, which must allow blocking file I/O
 * ({@code boundedElastic} by default, never an event loop or shard); polls are serialised, and a
 * poll that falls due while a reload runs is dropped. The state below is touched by polls only.
 */
public final class PolicyWatcher {

    private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);

    /** Size and modification time of one file; {@code size == -1} for a missing file. */
    private record Stamp(long size, long modifiedNanos) {
        static final Stamp MISSING = new Stamp(-1, 0);
    }

    private final Supplier<List<Path>> files;
    private final Function<String, Mono<PolicyReloader.Result>> reload;
    private final ServerConfig.PolicyWatch settings;
    private final Scheduler scheduler;
    private final LongAdder reloadsStarted = new LongAdder();

    // Owned by the polls (serialised by concatMap): the files' state and content as last seen.
    private final Map<Path, Stamp> seen = new LinkedHashMap<>();
    private final Map<Path, String> hashes = new LinkedHashMap<>();
    private long changedAtMillis = -1;

    /**
     * @param files the files to watch, asked at every poll (so the CSVs of a newly loaded policy are
     *        watched from then on)
     * @param reload starts one reload and completes with its result (e.g. {@link PolicyReloader#reload})
     * @param scheduler runs the polls; must allow blocking file I/O
     */
    public PolicyWatcher(Supplier<List<Path>> files, Function<String, Mono<PolicyReloader.Result>> reload,
                         ServerConfig.PolicyWatch settings, Scheduler scheduler) {
        this.files = Objects.requireNonNull(files, "files");
        this.reload = Objects.requireNonNull(reload, "reload");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Watches the reloader's files and those the router's current policy was read from. */
    public static PolicyWatcher of(PolicyReloader reloader, PolicyRouter router, ServerConfig.PolicyWatch settings) {
        return new PolicyWatcher(() -> {
            Set<Path> all = new LinkedHashSet<>(reloader.files());
            all.addAll(router.policy().sourceFiles());
            return List.copyOf(all);
        }, reloader::reload, settings, Schedulers.boundedElastic());
    }

    /**
     * Takes the files' current state as the loaded one, on the calling thread (it reads the files:
     * call it where blocking is allowed, e.g. at start-up), and starts polling; dispose the result
     * to stop. An edit made between the policy's first load and this call is not seen until the
     * files change again.
     */
    public Disposable start() {
        baseline();
        return Flux.interval(settings.interval(), settings.interval(), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(this::poll).onErrorResume(e -> {
                    log.warn("policy watch: poll failed, next poll continues", e);
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    /** Reloads started because the files changed. */
    public long reloadsStarted() {
        return reloadsStarted.sum();
    }

    private void baseline() {
        for (Path p : files.get()) {
            seen.put(p, stamp(p));
            hashes.put(p, hash(p));
        }
    }

    private Mono<Void> poll() {
        long now = scheduler.now(TimeUnit.MILLISECONDS);
        List<Path> paths = files.get();
        // A file that joined the list (a CSV named by a policy just loaded) starts as loaded; one
        // that left it is forgotten.
        seen.keySet().retainAll(paths);
        hashes.keySet().retainAll(paths);
        for (Path p : paths) {
            if (!seen.containsKey(p)) {
                seen.put(p, stamp(p));
                hashes.put(p, hash(p));
            }
        }
        boolean changed = false;
        for (Path p : paths) {
            Stamp s = stamp(p);
            if (!s.equals(seen.put(p, s))) {
                changed = true;
            }
        }
        if (changed) {
            changedAtMillis = now;
            return Mono.empty();
        }
        if (changedAtMillis < 0 || now - changedAtMillis < settings.debounce().toMillis()) {
            return Mono.empty();
        }
        changedAtMillis = -1;
        Map<Path, String> current = new LinkedHashMap<>();
        for (Path p : paths) {
            current.put(p, hash(p));
        }
        if (current.equals(hashes)) {
            return Mono.empty();
        }
        hashes.putAll(current);
        reloadsStarted.increment();
        log.info("policy files changed, reloading: {}", paths);
        return reload.apply("file change").then();
    }

    private static Stamp stamp(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (NoSuchFileException e) {
            return Stamp.MISSING;
        } catch (IOException e) {
            // Unreadable now (permissions mid-change): treat like missing; the reload reports it.
            return Stamp.MISSING;
        }
    }

    /** SHA-256 of a file's content; a missing or unreadable file hashes as "-". */
    private static String hash(Path p) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
        try {
            return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            return "-";
        }
    }
}
