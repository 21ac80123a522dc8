package io.edgesbc.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation by UTC hour and by size, retention, and restarts, with a clock the test moves. */
class CdrFilesTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock("2026-11-23T08:59:58Z");

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> lines(String name) throws IOException {
        return Files.readAllLines(dir.resolve(name));
    }

    @Test
    void aNewHourStartsANewFileNamedAfterItInUtc() throws IOException {
        try (CdrFiles files = new CdrFiles(dir, 1 << 20, 10, clock)) {
            files.prepare();
            files.write(line("{\"n\":1}"));
            clock.advance(Duration.ofSeconds(1)); // 08:59:59, same hour
            files.write(line("{\"n\":2}"));
            clock.advance(Duration.ofSeconds(1)); // 09:00:00
            files.write(line("{\"n\":3}"));
            assertThat(files.current().getFileName().toString()).isEqualTo("cdr-2026-11-23T09.jsonl");
        }
        assertThat(names()).containsExactly("cdr-2026-11-23T08.jsonl", "cdr-2026-11-23T09.jsonl");
        assertThat(lines("cdr-2026-11-23T08.jsonl")).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(lines("cdr-2026-11-23T09.jsonl")).containsExactly("{\"n\":3}");
    }

    @Test
    void aFileThatWouldPassTheSizeCapIsFollowedByTheNextSequenceNumber() throws IOException {
        byte[] tenBytes = line("123456789"); // 9 + newline
        try (CdrFiles files = new CdrFiles(dir, 25, 100, clock)) {
            files.prepare();
            for (int i = 0; i < 5; i++) {
                files.write(tenBytes);
            }
        }
        // Two lines (20 bytes) per file: a third would make 30 > 25. No line is ever split.
        assertThat(names()).containsExactly("cdr-2026-11-23T08.1.jsonl", "cdr-2026-11-23T08.2.jsonl",
                "cdr-2026-11-23T08.jsonl");
        assertThat(Files.size(dir.resolve("cdr-2026-11-23T08.jsonl"))).isEqualTo(20);
        assertThat(Files.size(dir.resolve("cdr-2026-11-23T08.1.jsonl"))).isEqualTo(20);
        assertThat(Files.size(dir.resolve("cdr-2026-11-23T08.2.jsonl"))).isEqualTo(10);
    }

    @Test
    void aLineLargerThanTheCapGetsAFileOfItsOwnRatherThanBeingLost() throws IOException {
        try (CdrFiles files = new CdrFiles(dir, 8, 100, clock)) {
            files.prepare();
            files.write(line("a"));
            files.write(line("this line is longer than eight bytes"));
            files.write(line("b"));
        }
        assertThat(lines("cdr-2026-11-23T08.jsonl")).containsExactly("a");
        assertThat(lines("cdr-2026-11-23T08.1.jsonl")).containsExactly("this line is longer than eight bytes");
        assertThat(lines("cdr-2026-11-23T08.2.jsonl")).containsExactly("b");
    }

    @Test
    void onlyTheNewestKeepFilesStayOldestByHourThenSequenceNotByName() throws IOException {
        // .10 sorts before .9 by name; retention must go by number.
        try (CdrFiles files = new CdrFiles(dir, 2, 3, clock)) {
            files.prepare();
            for (int i = 0; i < 12; i++) {
                files.write(line("x")); // 2 bytes: one line per file
            }
            assertThat(files.current().getFileName().toString()).isEqualTo("cdr-2026-11-23T08.11.jsonl");
            clock.advance(Duration.ofHours(1));
            files.write(line("y"));
        }
        assertThat(names()).containsExactlyInAnyOrder("cdr-2026-11-23T08.10.jsonl", "cdr-2026-11-23T08.11.jsonl",
                "cdr-2026-11-23T09.jsonl");
        // Files that are not CDR files are never touched.
        Files.writeString(dir.resolve("notes.txt"), "mine");
        try (CdrFiles files = new CdrFiles(dir, 2, 1, clock)) {
            files.write(line("z"));
        }
        assertThat(names()).containsExactly("cdr-2026-11-23T09.1.jsonl", "notes.txt");
    }

    @Test
    void aRestartInTheSameHourAppendsAndCompletesALineACrashCutShort() throws IOException {
        Files.writeString(dir.resolve("cdr-2026-11-23T08.jsonl"), "{\"n\":1}\n{\"n\":2, \"cut");
        try (CdrFiles files = new CdrFiles(dir, 1 << 20, 10, clock)) {
            files.write(line("{\"n\":3}"));
        }
        assertThat(lines("cdr-2026-11-23T08.jsonl")).containsExactly("{\"n\":1}", "{\"n\":2, \"cut", "{\"n\":3}");
    }

    @Test
    void aRestartAfterTheHoursFileIsFullStartsTheNextSequence() throws IOException {
        Files.writeString(dir.resolve("cdr-2026-11-23T08.jsonl"), "0123456789\n");
        Files.writeString(dir.resolve("cdr-2026-11-23T08.1.jsonl"), "0123456789\n");
        try (CdrFiles files = new CdrFiles(dir, 11, 10, clock)) {
            files.write(line("next"));
        }
        assertThat(lines("cdr-2026-11-23T08.2.jsonl")).containsExactly("next");
    }

    @Test
    void filesAreReadableByOwnerAndGroupOnly() throws IOException {
        try (CdrFiles files = new CdrFiles(dir, 1 << 20, 10, clock)) {
            files.prepare();
            files.write(line("{}"));
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.current())))
                        .isEqualTo("rw-r-----");
            }
        }
    }

    @Test
    void prepareCreatesTheDirectoryAndRefusesOneThatIsAFile() throws IOException {
        CdrFiles nested = new CdrFiles(dir.resolve("a/b"), 100, 1, clock);
        nested.prepare();
        assertThat(dir.resolve("a/b")).isDirectory();
        Path file = Files.writeString(dir.resolve("plain"), "x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CdrFiles(file, 100, 1, clock).prepare())
                .isInstanceOf(IOException.class);
    }
}
