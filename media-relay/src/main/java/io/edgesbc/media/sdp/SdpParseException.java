package io.edgesbc.media.sdp;

/**
 * Thrown by {@link SdpParser} when its input is not an acceptable session description.
 *
 * <p>Unchecked, so that callers may choose where to handle it. It is the only exception the
 * parser throws, for any input.
 */
public final class SdpParseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final String reason;

    SdpParseException(int lineNumber, String reason) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + reason : "SDP: " + reason);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** The 1-based number of the offending line, or 0 when the error concerns the whole input. */
    public int lineNumber() {
        return lineNumber;
    }

    /** Why the input was refused, without the line number. */
    public String reason() {
        return reason;
    }
}
