package io.edgesbc.media.sdp;

import java.util.Optional;

/**
 * The value of an {@code a=rtcp:<port> [<nettype> <addrtype> <connection-address>]} attribute
 * (RFC 3605 §2.1).
 *
 * @param port       the RTCP port
 * @param connection the RTCP address, or {@code null} when only the port is given
 */
public record Rtcp(int port, Connection connection) {

    /** Validates the port range. */
    public Rtcp {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The RTCP address, if given. */
    public Optional<Connection> address() {
        return Optional.ofNullable(connection);
    }

    /** Interprets an rtcp attribute value; empty when malformed. Trailing whitespace is tolerated. */
    public static Optional<Rtcp> parse(String value) {
        String v = Chars.stripTrailingWhitespace(value);
        int sp = v.indexOf(' ');
        long port = Chars.parseBounded(sp < 0 ? v : v.substring(0, sp), 65535);
        if (port < 0) {
            return Optional.empty();
        }
        if (sp < 0) {
            return Optional.of(new Rtcp((int) port, null));
        }
        String[] parts = splitThree(v.substring(sp + 1));
        if (parts == null) {
            return Optional.empty();
        }
        return Optional.of(new Rtcp((int) port, Connection.of(parts[0], parts[1], parts[2])));
    }

    /** The attribute value text. */
    public String text() {
        return connection == null ? Integer.toString(port) : port + " " + connection.text();
    }

    private static String[] splitThree(String s) {
        int a = s.indexOf(' ');
        int b = a < 0 ? -1 : s.indexOf(' ', a + 1);
        if (a <= 0 || b <= a + 1 || b == s.length() - 1) {
            return null;
        }
        String[] parts = {s.substring(0, a), s.substring(a + 1, b), s.substring(b + 1)};
        for (String p : parts) {
            if (!Chars.isWord(p)) {
                return null;
            }
        }
        return parts;
    }
}
