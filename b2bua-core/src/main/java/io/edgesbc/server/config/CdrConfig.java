package io.edgesbc.server.config;

import java.nio.file.Path;

/**
 * Where and how call detail records are written ({@code cdr:} in the configuration; the file
 * format and rotation are in docs/OPERATIONS.md).
 *
 * @param dir        the directory of the CDR files, or null when CDRs are off
 * @param rotateSize a file is closed and the next one started before it would grow past this many bytes
 * @param keep       how many CDR files are kept in {@code dir}; older ones are deleted
 * @param queue      records waiting to be written; beyond that a record is dropped and counted
 */
public record CdrConfig(Path dir, long rotateSize, int keep, int queue) {

    public static final long DEFAULT_ROTATE_SIZE = 100L << 20;
    /** A week of hourly files. */
    public static final int DEFAULT_KEEP = 168;
    public static final int DEFAULT_QUEUE = 10_000;

    /** No CDRs: what a configuration without {@code cdr.dir} gets. */
    public static final CdrConfig OFF = new CdrConfig(null, DEFAULT_ROTATE_SIZE, DEFAULT_KEEP, DEFAULT_QUEUE);

    public CdrConfig {
        if (rotateSize < 1 || keep < 1 || queue < 1) {
            throw new IllegalArgumentException("rotate size, keep and queue must be positive");
        }
    }

    /** CDRs into {@code dir} with the default rotation, retention and queue. */
    public static CdrConfig in(Path dir) {
        return new CdrConfig(dir, DEFAULT_ROTATE_SIZE, DEFAULT_KEEP, DEFAULT_QUEUE);
    }

    public boolean enabled() {
        return dir != null;
    }
}
