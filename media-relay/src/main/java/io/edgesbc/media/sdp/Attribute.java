package io.edgesbc.media.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code a=} line (RFC 8866 §5.13): either a property flag {@code a=<name>} or a value
 * attribute {@code a=<name>:<value>}. The value is kept verbatim (an empty value after the colon
 * is distinct from a flag).
 *
 * @param name  the attribute name, an RFC 8866 §9 token
 * @param value the value after the colon, or {@code null} for a property flag
 */
public record Attribute(String name, String value) implements SdpField {

    /** Validates the name and value. */
    public Attribute {
        Objects.requireNonNull(name, "name");
        if (!Chars.isToken(name)) {
            throw new IllegalArgumentException("attribute name is not a token: " + name);
        }
        if (value != null) {
            Chars.requireLineText(value, "attribute value");
        }
    }

    /** A property attribute {@code a=<name>}. */
    public static Attribute flag(String name) {
        return new Attribute(name, null);
    }

    /** A value attribute {@code a=<name>:<value>}. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Objects.requireNonNull(value, "value"));
    }

    /** Whether this is a property attribute without a value. */
    public boolean isFlag() {
        return value == null;
    }

    /** The value, empty for a flag. */
    public Optional<String> optionalValue() {
        return Optional.ofNullable(value);
    }

    @Override
    public char type() {
        return 'a';
    }

    @Override
    public String text() {
        return value == null ? name : name + ':' + value;
    }
}
