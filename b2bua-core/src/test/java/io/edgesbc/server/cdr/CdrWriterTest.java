package io.edgesbc.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesbc.server.config.CdrConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The asynchronous writer: a bounded queue that drops and counts, one writer thread, stop drains. */
class CdrWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock("2026-11-23T08:00:00Z");

    private CdrWriter writer(int queue) {
        return new CdrWriter(new CdrConfig(dir, 1 << 20, 10, queue), clock);
    }

    private List<String> ids() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    ids.add(JSON.readTree(line).get("id").asText());
                }
            }
        }
        return ids;
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaitingAndStopWritesWhatWasQueued() throws Exception {
        CdrWriter writer = writer(3);
        // Not started: nothing drains, so the queue fills deterministically.
        for (int i = 1; i <= 5; i++) {
            writer.ended(CdrRecords.answered("call-" + i));
        }
        assertThat(writer.queued()).isEqualTo(3);
        assertThat(writer.dropped()).isEqualTo(2);
        writer.start();
        writer.stop(Duration.ofSeconds(10));
        assertThat(ids()).containsExactly("call-1", "call-2", "call-3");
        assertThat(writer.written()).isEqualTo(3);
        assertThat(writer.queued()).isZero();
        // After stop nothing is queued for a thread that is gone: it is dropped and counted.
        writer.ended(CdrRecords.answered("late"));
        assertThat(writer.dropped()).isEqualTo(3);
        assertThat(ids()).doesNotContain("late");
    }

    @Test
    void recordsFromSeveralNonBlockingThreadsAreWrittenOnceEachInTheBackground() throws Exception {
        CdrWriter writer = writer(10_000).start();
        // Parallel scheduler threads are non-blocking for BlockHound, as the call shards are: a
        // lock or a wait in ended() would fail this test.
        Scheduler shards = Schedulers.newParallel("test-shard", 4);
        CountDownLatch done = new CountDownLatch(4);
        try {
            for (int t = 0; t < 4; t++) {
                int shard = t;
                shards.schedule(() -> {
                    for (int i = 0; i < 250; i++) {
                        writer.ended(CdrRecords.answered(shard + "-" + i));
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            // Written (and flushed) by the writer thread without stop(): poll, bounded.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.written() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.written()).isEqualTo(1000);
            assertThat(ids()).hasSize(1000).doesNotHaveDuplicates();
        } finally {
            shards.dispose();
            writer.stop(Duration.ofSeconds(10));
        }
        assertThat(writer.dropped()).isZero();
        assertThat(writer.failed()).isZero();
    }

    @Test
    void anUnwritableDirectoryFailsAtStartNotLater() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        CdrWriter writer = new CdrWriter(CdrConfig.in(file), clock);
        org.assertj.core.api.Assertions.assertThatThrownBy(writer::start).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aWriteErrorIsCountedAndTheWriterGoesOnWithTheNextRecord() throws Exception {
        CdrWriter writer = writer(100).start();
        try {
            // The directory vanishes: the file cannot be (re)opened.
            writer.ended(CdrRecords.answered("first"));
            awaitWritten(writer, 1);
            deleteRecursively(dir);
            clock.advance(Duration.ofHours(1)); // forces a new file, which cannot be created
            writer.ended(CdrRecords.answered("lost"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (writer.failed() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.failed()).isEqualTo(1);
            Files.createDirectories(dir);
            writer.ended(CdrRecords.answered("after"));
            awaitWritten(writer, 2);
        } finally {
            writer.stop(Duration.ofSeconds(10));
        }
        assertThat(ids()).containsExactly("after");
    }

    private static void awaitWritten(CdrWriter writer, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.written() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(writer.written()).isEqualTo(n);
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
