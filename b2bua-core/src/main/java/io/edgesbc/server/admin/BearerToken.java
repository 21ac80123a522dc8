package io.edgesbc.server.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's bearer token (RFC 6750 §2.1: {@code Authorization: Bearer TOKEN}). The
 * presented token is compared in constant time: both sides are hashed to 32 bytes first, so
 * neither the position of the first wrong byte nor the token's length shows in the timing.
 */
public final class BearerToken {

    /** No token configured: every request is admitted (the listener is on loopback). */
    public static final BearerToken NONE = new BearerToken(null);

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /** A token from its bytes; empty bytes mean none. */
    public static BearerToken of(byte[] secret) {
        return secret == null || secret.length == 0 ? NONE : new BearerToken(sha256(secret));
    }

    public boolean required() {
        return digest != null;
    }

    /** Whether a request with this Authorization header value (or null) may pass. */
    boolean admits(String authorization) {
        if (digest == null) {
            return true;
        }
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
