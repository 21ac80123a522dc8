package io.edgesbc.media.sdp;

/** Character-class helpers shared by the model and the parser (no regular expressions). */
final class Chars {

    private Chars() {
    }

    /** RFC 8866 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E. */
    static boolean isTokenChar(char c) {
        return c == 0x21
                || (c >= 0x23 && c <= 0x27)
                || c == 0x2A || c == 0x2B
                || c == 0x2D || c == 0x2E
                || (c >= 0x30 && c <= 0x39)
                || (c >= 0x41 && c <= 0x5A)
                || (c >= 0x5E && c <= 0x7E);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses a non-negative decimal number not greater than {@code max}; returns -1 when the text
     * is not such a number (never throws).
     */
    static long parseBounded(String s, long max) {
        if (!isDigits(s) || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v <= max ? v : -1;
    }

    /** A word that can stand between single spaces: non-empty, no space, CR, LF or NUL. */
    static boolean isWord(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    /** Text that can be the rest of a line: no CR, LF or NUL. */
    static boolean isLineText(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    static String requireWord(String s, String what) {
        if (!isWord(s)) {
            throw new IllegalArgumentException(what + " must be a non-empty word without spaces: " + s);
        }
        return s;
    }

    static String requireLineText(String s, String what) {
        if (!isLineText(s)) {
            throw new IllegalArgumentException(what + " must not contain CR, LF or NUL");
        }
        return s;
    }

    static String stripTrailingWhitespace(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
