package io.edgesbc.media.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call choices made by the caller on the first offer of a call.
 *
 * @param offererRealm  realm facing the leg that sends the first offer
 * @param answererRealm realm facing the other leg
 * @param bypass        pass SDP unchanged and allocate nothing; media then flows directly
 *                      between the parties, so each side learns the other's media address
 * @param latchMode     the latch mode of every stream of the call, or null for each realm's own
 * @param mediaTimeout  no RTP for this long is reported for this call, or null for the relay's
 *                      {@link RelayConfig#mediaTimeout()}; on hold the longer of this and the
 *                      relay's hold timeout applies
 */
public record CallOptions(String offererRealm, String answererRealm, boolean bypass, LatchMode latchMode,
                          Duration mediaTimeout) {

    /** Checks for null and for a positive timeout. */
    public CallOptions {
        Objects.requireNonNull(offererRealm, "offererRealm");
        Objects.requireNonNull(answererRealm, "answererRealm");
        if (mediaTimeout != null && (mediaTimeout.isNegative() || mediaTimeout.isZero())) {
            throw new IllegalArgumentException("mediaTimeout must be positive");
        }
    }

    /** The realms' latch modes and the relay's timeout. */
    public CallOptions(String offererRealm, String answererRealm, boolean bypass) {
        this(offererRealm, answererRealm, bypass, null, null);
    }

    /** Anchored media between two realms. */
    public static CallOptions between(String offererRealm, String answererRealm) {
        return new CallOptions(offererRealm, answererRealm, false);
    }

    /** Both legs on one realm. */
    public static CallOptions within(String realm) {
        return new CallOptions(realm, realm, false);
    }

    /** This call with media bypass. */
    public CallOptions withBypass() {
        return new CallOptions(offererRealm, answererRealm, true, latchMode, mediaTimeout);
    }

    /** This call with one latch mode on both legs (null: the realms' modes). */
    public CallOptions withLatchMode(LatchMode mode) {
        return new CallOptions(offererRealm, answererRealm, bypass, mode, mediaTimeout);
    }

    /** This call with its own media timeout (null: the relay's). */
    public CallOptions withMediaTimeout(Duration timeout) {
        return new CallOptions(offererRealm, answererRealm, bypass, latchMode, timeout);
    }
}
