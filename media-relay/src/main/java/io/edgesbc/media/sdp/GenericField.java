package io.edgesbc.media.sdp;

import java.util.Objects;

/**
 * A field kept as text: {@code i=}, {@code u=}, {@code e=}, {@code p=}, {@code t=}, {@code r=},
 * {@code z=}, {@code k=} and any type letter this package does not know, written back verbatim.
 *
 * @param type the type letter
 * @param text the text after {@code "="}
 */
public record GenericField(char type, String text) implements SdpField {

    /** Validates the type letter and the text. */
    public GenericField {
        if (!((type >= 'a' && type <= 'z') || (type >= 'A' && type <= 'Z'))) {
            throw new IllegalArgumentException("field type must be a letter: " + type);
        }
        if (type == 'a' || type == 'c' || type == 'b' || type == 'm' || type == 'v' || type == 'o'
                || type == 's') {
            throw new IllegalArgumentException("field type has a dedicated model: " + type);
        }
        Objects.requireNonNull(text, "text");
        Chars.requireLineText(text, "field text");
    }
}
