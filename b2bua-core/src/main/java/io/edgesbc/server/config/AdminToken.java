package io.edgesbc.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The bearer token of the admin API ({@code admin.token} or {@code admin.token_file}), or none.
 *
 * <p>A token file is read when the server starts, not when the configuration is loaded: a
 * configuration can then be checked (lint, deploy tests) on a machine that does not hold the
 * secret, and the secret can be mounted (a Kubernetes Secret, a compose secret) next to it. Its
 * position in the configuration is kept so that a file that cannot be read is still reported as
 * {@code FILE:LINE:COLUMN}.
 *
 * @param inline the token written in the configuration, or null
 * @param file the file holding the token (surrounding white space is ignored), or null
 * @param where the position of {@code token}/{@code token_file} in the configuration, or null
 */
public record AdminToken(String inline, Path file, ConfigError where) {

    /** No token: only allowed while the admin listener is on loopback. */
    public static final AdminToken NONE = new AdminToken(null, null, null);

    public boolean isSet() {
        return inline != null || file != null;
    }

    /**
     * The token's bytes (UTF-8), empty when none is set. Reads the token file: blocking I/O, for
     * start-up only.
     */
    public byte[] secret() throws ConfigException {
        if (inline != null) {
            return inline.getBytes(StandardCharsets.UTF_8);
        }
        if (file == null) {
            return new byte[0];
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw problem("token_file: cannot read " + file + ": " + e);
        }
        if (text.length() < 16) {
            throw problem("token_file: " + file + " holds " + (text.isEmpty() ? "no token" : "a token shorter than 16 "
                    + "characters") + "; write a long random one, e.g. `openssl rand -hex 32 > " + file + "`");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private ConfigException problem(String message) {
        ConfigError at = where != null ? where : new ConfigError(String.valueOf(file), 0, 0, "");
        return new ConfigException(List.of(new ConfigError(at.file(), at.line(), at.column(), message)));
    }

    @Override
    public String toString() {
        // Never print the secret itself (configurations are logged at start-up).
        return inline != null ? "AdminToken[inline]" : file != null ? "AdminToken[file " + file + "]" : "AdminToken[none]";
    }
}
