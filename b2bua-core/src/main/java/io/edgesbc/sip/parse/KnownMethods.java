package io.edgesbc.sip.parse;

/**
 * The methods this stack meets daily, so that parsing a request line does not allocate a new
 * String for them. Methods are case-sensitive (RFC 3261 §7.1).
 */
final class KnownMethods {
    private static final String[] METHODS = {
        "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "UPDATE", "INFO", "MESSAGE",
        "NOTIFY", "SUBSCRIBE", "REFER", "PUBLISH",
    };

    private KnownMethods() {
    }

    /** The interned constant for the method in {@code src[start, stop)}, or null when unknown. */
    static String lookup(byte[] src, int start, int stop) {
        int length = stop - start;
        for (String m : METHODS) {
            if (m.length() == length && m.charAt(0) == src[start] && matches(m, src, start)) {
                return m;
            }
        }
        return null;
    }

    private static boolean matches(String m, byte[] src, int start) {
        for (int i = 1; i < m.length(); i++) {
            if (m.charAt(i) != src[start + i]) {
                return false;
            }
        }
        return true;
    }
}
