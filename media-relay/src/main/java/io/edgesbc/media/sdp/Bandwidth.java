package io.edgesbc.media.sdp;

import java.util.Objects;

/**
 * A {@code b=<bwtype>:<bandwidth>} line (RFC 8866 §5.8), e.g. {@code b=AS:64}.
 *
 * @param bwType    the bandwidth type token (CT, AS, TIAS, ...)
 * @param bandwidth the bandwidth value, in units defined by the type
 */
public record Bandwidth(String bwType, long bandwidth) implements SdpField {

    /** Validates the type token and that the value is not negative. */
    public Bandwidth {
        Objects.requireNonNull(bwType, "bwType");
        if (!Chars.isToken(bwType)) {
            throw new IllegalArgumentException("bandwidth type is not a token: " + bwType);
        }
        if (bandwidth < 0) {
            throw new IllegalArgumentException("negative bandwidth");
        }
    }

    @Override
    public char type() {
        return 'b';
    }

    @Override
    public String text() {
        return bwType + ':' + bandwidth;
    }
}
