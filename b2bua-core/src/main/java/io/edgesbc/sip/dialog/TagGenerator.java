package io.edgesbc.sip.dialog;

import java.security.SecureRandom;

/**
 * Makes tags for From and To (RFC 3261 §19.3: globally unique, at least 32 bits of randomness).
 * Injected so that tests can use predictable tags.
 */
@FunctionalInterface
public interface TagGenerator {

    /** A new tag: a token (§25.1), never reused. */
    String next();

    /** 64 random bits from {@link SecureRandom} as 16 hex digits (§19.3 asks for at least 32). */
    static TagGenerator random() {
        SecureRandom random = new SecureRandom();
        return () -> String.format("%016x", random.nextLong());
    }
}
