package io.edgesbc.sip.message;

import java.util.Objects;

/**
 * One header field line: its canonical name and its value, unfolded (RFC 3261 §7.3.1: a CRLF
 * followed by whitespace is replaced by one SP) and trimmed.
 */
public record Header(HeaderName name, String value) {
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public static Header of(String name, String value) {
        return new Header(HeaderName.of(name), value);
    }

    @Override
    public String toString() {
        return name.canonical() + ": " + value;
    }
}
