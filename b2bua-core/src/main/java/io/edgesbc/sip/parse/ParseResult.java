package io.edgesbc.sip.parse;

import io.edgesbc.sip.message.SipMessage;
import java.util.Optional;

/**
 * What the codec makes of some bytes: a message, an invalid message, or a keep-alive. The codec
 * never throws for bad input; every malformed message becomes an {@link Invalid}.
 */
public sealed interface ParseResult {

    /** A well-formed message; its routing keys (Via, CSeq, Call-ID, From, To ...) are valid. */
    record Parsed(SipMessage message) implements ParseResult {
    }

    /**
     * A malformed message.
     *
     * @param reason what is wrong, for the log line and for a Warning/Reason in the 400
     * @param offset where, in bytes from the start of the message (or of the datagram)
     * @param context what is needed to answer with 400, when the message was a request whose Via
     *        and CSeq could be read; null otherwise (then the message is dropped and counted)
     */
    record Invalid(String reason, int offset, ResponseContext context) implements ParseResult {
        public Optional<ResponseContext> responseContext() {
            return Optional.ofNullable(context);
        }

        public boolean canAnswer() {
            return context != null;
        }
    }

    /** Only CRLFs: a keep-alive (RFC 5626 §3.5.1), not a message. */
    record KeepAlive() implements ParseResult {
        static final KeepAlive INSTANCE = new KeepAlive();
    }
}
