package io.edgesbc.b2bua;

import java.time.Duration;
import java.util.Objects;

/** What became of an SDP body handed to the {@link MediaAnchor}. */
public sealed interface MediaOutcome {

    /** The body the other party gets (its addresses the relay's, its codecs filtered by policy). */
    record Rewritten(byte[] body) implements MediaOutcome {
        public Rewritten {
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * The body cannot be relayed: the offer or answer is refused with {@code code} (503 with
     * {@code retryAfter} when the port pool is exhausted, 488 when the SDP is unusable or no codec
     * is left, RFC 3261 §21.4.26).
     */
    record Refused(int code, String reason, Duration retryAfter) implements MediaOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
