package io.edgesbc.b2bua;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The operator's choices for every call (the {@code b2bua:} section of the configuration).
 *
 * @param maxCallDuration calls longer than this are ended on both legs; zero for no limit
 * @param follow3xx       a 3xx on the UAC leg sends the call on to its Contacts (else the caller
 *                        gets the 3xx, its Contacts re-homed to EdgeSBC)
 * @param removedHeaders  header names removed on top of {@link TopologyHiding}'s default list
 * @param passedHeaders   header names of the default removal list that pass after all (the
 *                        topology headers themselves never pass)
 */
public record B2buaSettings(Duration maxCallDuration, boolean follow3xx, Set<String> removedHeaders,
                            Set<String> passedHeaders) {

    public static final B2buaSettings DEFAULT = new B2buaSettings(Duration.ZERO, true, Set.of(), Set.of());

    public B2buaSettings {
        Objects.requireNonNull(maxCallDuration, "maxCallDuration");
        if (maxCallDuration.isNegative()) {
            throw new IllegalArgumentException("maxCallDuration must not be negative");
        }
        removedHeaders = Set.copyOf(removedHeaders);
        passedHeaders = Set.copyOf(passedHeaders);
    }
}
