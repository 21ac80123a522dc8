package io.edgesbc.server.cdr;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDR files of one directory: one file per UTC hour, {@code cdr-2026-11-23T08.jsonl}; when a
 * file would grow past the size cap within its hour the next one is
 * {@code cdr-2026-11-23T08.1.jsonl}, then {@code .2} and so on. Only the newest file is ever
 * written to: every older file is complete and can be shipped. After each new file is opened the
 * oldest files beyond {@code keep} are deleted.
 *
 * <p>A restart within the same hour appends to that hour's newest file (after completing a line a
 * crash may have cut short, so every line stays one JSON object).
 *
 * <p>Files are created readable by owner and group only where the file system has POSIX
 * permissions: CDRs carry phone numbers.
 *
 * <p>Not thread-safe: the CDR writer's one thread owns it.
 */
final class CdrFiles implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(CdrFiles.class);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("cdr-(\\d{4}-\\d{2}-\\d{2}T\\d{2})(?:\\.(\\d{1,6}))?\\.jsonl");

    private final Path dir;
    private final long maxBytes;
    private final int keep;
    private final Clock clock;

    private OutputStream out;
    private Path current;
    private String currentHour;
    private int currentSeq;
    private long size;

    CdrFiles(Path dir, long maxBytes, int keep, Clock clock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.clock = clock;
    }

    /** Creates the directory if needed and fails when it cannot be written (checked at start-up). */
    void prepare() throws IOException {
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IOException("CDR directory " + dir + " is not a writable directory");
        }
    }

    /** Appends one line (with its newline) to the file of the current hour, rotating first if due. */
    void write(byte[] line) throws IOException {
        String hour = HOUR.format(clock.instant());
        if (out == null || !hour.equals(currentHour)) {
            open(hour);
        } else if (size > 0 && size + line.length > maxBytes) {
            // A line larger than the cap still goes into a file of its own rather than being lost.
            openFile(hour, currentSeq + 1);
        }
        out.write(line);
        size += line.length;
    }

    void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** The file being written, or null before the first line. */
    Path current() {
        return current;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            try {
                out.close();
            } finally {
                out = null;
            }
        }
    }

    /** The hour changed (or nothing is open): continue that hour's newest file, or start it. */
    private void open(String hour) throws IOException {
        int seq = 0;
        for (Named f : files()) {
            if (f.hour.equals(hour)) {
                seq = Math.max(seq, f.seq);
            }
        }
        Path existing = dir.resolve(name(hour, seq));
        if (Files.exists(existing) && Files.size(existing) >= maxBytes) {
            seq++;
        }
        openFile(hour, seq);
    }

    private void openFile(String hour, int seq) throws IOException {
        close();
        Path path = dir.resolve(name(hour, seq));
        createPrivately(path);
        long existing = Files.size(path);
        boolean cutShort = existing > 0 && lastByte(path) != '\n';
        out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.APPEND), 64 * 1024);
        current = path;
        currentHour = hour;
        currentSeq = seq;
        size = existing;
        if (cutShort) {
            out.write('\n');
            size++;
        }
        prune();
    }

    private static void createPrivately(Path path) throws IOException {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            } else {
                Files.createFile(path);
            }
        } catch (FileAlreadyExistsException appendToIt) {
            // a restart within the hour: keep writing the same file
        }
    }

    private static int lastByte(Path path) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            f.seek(f.length() - 1);
            return f.read();
        }
    }

    /** Deletes the oldest CDR files beyond {@code keep}; never the one being written. */
    private void prune() {
        List<Named> all;
        try {
            all = files();
        } catch (IOException e) {
            log.warn("cannot list CDR directory {} to delete old files: {}", dir, e.toString());
            return;
        }
        for (int i = 0; i < all.size() - keep; i++) {
            Path old = dir.resolve(all.get(i).name);
            if (old.equals(current)) {
                continue;
            }
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                log.warn("cannot delete old CDR file {}: {}", old, e.toString());
            }
        }
    }

    /** The CDR files of the directory, oldest first (by hour, then sequence; not by name, as .10 < .9). */
    List<Named> files() throws IOException {
        List<Named> found = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new Named(p.getFileName().toString(), m.group(1),
                            m.group(2) == null ? 0 : Integer.parseInt(m.group(2))));
                }
            });
        }
        found.sort(Comparator.comparing(Named::hour).thenComparingInt(Named::seq));
        return found;
    }

    static String name(String hour, int seq) {
        return seq == 0 ? "cdr-" + hour + ".jsonl" : "cdr-" + hour + "." + seq + ".jsonl";
    }

    record Named(String name, String hour, int seq) {
    }
}
