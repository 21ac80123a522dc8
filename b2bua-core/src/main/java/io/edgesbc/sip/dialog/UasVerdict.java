package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.SipResponse;
import java.util.Objects;

/**
 * What the UAS core does with a request after a check: carry on, send a response, or drop it
 * silently (an ACK is never answered, RFC 3261 §17.1.1.3, §17.2.1).
 */
public sealed interface UasVerdict {

    /** Carry on with the request. */
    record Pass() implements UasVerdict {
        static final Pass INSTANCE = new Pass();
    }

    /**
     * Send this response (built per RFC 3261 §8.2.6) and stop processing the request.
     *
     * @param response ready to send
     * @param reason why, for the log line
     */
    record Respond(SipResponse response, String reason) implements UasVerdict {
        public Respond {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(reason, "reason");
        }

        public int statusCode() {
            return response.statusCode();
        }
    }

    /**
     * Discard the request without an answer (an ACK that would otherwise have been rejected).
     *
     * @param reason why, for the log line and the drop counter
     */
    record Drop(String reason) implements UasVerdict {
        public Drop {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static UasVerdict pass() {
        return Pass.INSTANCE;
    }

    default boolean passed() {
        return this instanceof Pass;
    }
}
