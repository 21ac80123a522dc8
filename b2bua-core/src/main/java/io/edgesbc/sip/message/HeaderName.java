package io.edgesbc.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The canonical identity of a header field name.
 *
 * <p>Header field names are case-insensitive and the compact forms of RFC 3261 §7.3.3 (and the
 * later ones registered with IANA) are exactly equivalent to their long forms, so {@code i},
 * {@code CALL-ID} and {@code Call-ID} are one name: {@link #of(CharSequence)} returns the same
 * constant for all of them. Names we do not know are kept as written for serialisation and
 * compared case-insensitively.
 *
 * <p>Instances are immutable; well-known names are singletons, so {@code ==} works for them, but
 * {@link #equals(Object)} is the contract.
 */
public final class HeaderName {

    /** How a header's values are laid out on the wire, which decides how the stack reads them. */
    public enum Kind {
        /** At most one per message; the value is not a comma list (Call-ID, CSeq, From ...). */
        SINGLE,
        /** A comma-separated list that may also be split over several header lines (§7.3.1). */
        LIST,
        /** May repeat, but its value contains commas that do not separate values (Authorization ...). */
        REPEATABLE
    }

    private static final HeaderName[] TABLE = new HeaderName[512];
    private static final int BYTES_TABLE_SIZE = 512;
    private static final HeaderName[] COMPACT = new HeaderName[128];

    // RFC 3261 §20, with the compact forms of §7.3.3 and the IANA registry.
    public static final HeaderName ACCEPT = known("Accept", 0, Kind.LIST);
    public static final HeaderName ACCEPT_CONTACT = known("Accept-Contact", 'a', Kind.LIST);
    public static final HeaderName ACCEPT_ENCODING = known("Accept-Encoding", 0, Kind.LIST);
    public static final HeaderName ACCEPT_LANGUAGE = known("Accept-Language", 0, Kind.LIST);
    public static final HeaderName ALERT_INFO = known("Alert-Info", 0, Kind.LIST);
    public static final HeaderName ALLOW = known("Allow", 0, Kind.LIST);
    public static final HeaderName ALLOW_EVENTS = known("Allow-Events", 'u', Kind.LIST);
    public static final HeaderName AUTHENTICATION_INFO = known("Authentication-Info", 0, Kind.SINGLE);
    public static final HeaderName AUTHORIZATION = known("Authorization", 0, Kind.REPEATABLE);
    public static final HeaderName CALL_ID = known("Call-ID", 'i', Kind.SINGLE);
    public static final HeaderName CALL_INFO = known("Call-Info", 0, Kind.LIST);
    public static final HeaderName CONTACT = known("Contact", 'm', Kind.LIST);
    public static final HeaderName CONTENT_DISPOSITION = known("Content-Disposition", 0, Kind.SINGLE);
    public static final HeaderName CONTENT_ENCODING = known("Content-Encoding", 'e', Kind.LIST);
    public static final HeaderName CONTENT_LANGUAGE = known("Content-Language", 0, Kind.LIST);
    public static final HeaderName CONTENT_LENGTH = known("Content-Length", 'l', Kind.SINGLE);
    public static final HeaderName CONTENT_TYPE = known("Content-Type", 'c', Kind.SINGLE);
    public static final HeaderName CSEQ = known("CSeq", 0, Kind.SINGLE);
    public static final HeaderName DATE = known("Date", 0, Kind.SINGLE);
    public static final HeaderName ERROR_INFO = known("Error-Info", 0, Kind.LIST);
    public static final HeaderName EVENT = known("Event", 'o', Kind.SINGLE);
    public static final HeaderName EXPIRES = known("Expires", 0, Kind.SINGLE);
    public static final HeaderName FROM = known("From", 'f', Kind.SINGLE);
    public static final HeaderName IDENTITY = known("Identity", 'y', Kind.REPEATABLE);
    public static final HeaderName IN_REPLY_TO = known("In-Reply-To", 0, Kind.LIST);
    public static final HeaderName MAX_FORWARDS = known("Max-Forwards", 0, Kind.SINGLE);
    public static final HeaderName MIME_VERSION = known("MIME-Version", 0, Kind.SINGLE);
    public static final HeaderName MIN_EXPIRES = known("Min-Expires", 0, Kind.SINGLE);
    public static final HeaderName MIN_SE = known("Min-SE", 0, Kind.SINGLE);
    public static final HeaderName ORGANIZATION = known("Organization", 0, Kind.SINGLE);
    public static final HeaderName P_ASSERTED_IDENTITY = known("P-Asserted-Identity", 0, Kind.LIST);
    public static final HeaderName P_PREFERRED_IDENTITY = known("P-Preferred-Identity", 0, Kind.LIST);
    public static final HeaderName PATH = known("Path", 0, Kind.LIST);
    public static final HeaderName PRIORITY = known("Priority", 0, Kind.SINGLE);
    public static final HeaderName PRIVACY = known("Privacy", 0, Kind.SINGLE);
    public static final HeaderName PROXY_AUTHENTICATE = known("Proxy-Authenticate", 0, Kind.REPEATABLE);
    public static final HeaderName PROXY_AUTHORIZATION = known("Proxy-Authorization", 0, Kind.REPEATABLE);
    public static final HeaderName PROXY_REQUIRE = known("Proxy-Require", 0, Kind.LIST);
    public static final HeaderName RACK = known("RAck", 0, Kind.SINGLE);
    public static final HeaderName REASON = known("Reason", 0, Kind.LIST);
    public static final HeaderName RECORD_ROUTE = known("Record-Route", 0, Kind.LIST);
    public static final HeaderName REFER_SUB = known("Refer-Sub", 0, Kind.SINGLE);
    public static final HeaderName REFER_TO = known("Refer-To", 'r', Kind.SINGLE);
    public static final HeaderName REFERRED_BY = known("Referred-By", 'b', Kind.SINGLE);
    public static final HeaderName REJECT_CONTACT = known("Reject-Contact", 'j', Kind.LIST);
    public static final HeaderName REPLACES = known("Replaces", 0, Kind.SINGLE);
    public static final HeaderName REPLY_TO = known("Reply-To", 0, Kind.SINGLE);
    public static final HeaderName REQUEST_DISPOSITION = known("Request-Disposition", 'd', Kind.LIST);
    public static final HeaderName REQUIRE = known("Require", 0, Kind.LIST);
    public static final HeaderName RETRY_AFTER = known("Retry-After", 0, Kind.SINGLE);
    public static final HeaderName ROUTE = known("Route", 0, Kind.LIST);
    public static final HeaderName RSEQ = known("RSeq", 0, Kind.SINGLE);
    public static final HeaderName SERVER = known("Server", 0, Kind.SINGLE);
    public static final HeaderName SERVICE_ROUTE = known("Service-Route", 0, Kind.LIST);
    public static final HeaderName SESSION_EXPIRES = known("Session-Expires", 'x', Kind.SINGLE);
    public static final HeaderName SUBJECT = known("Subject", 's', Kind.SINGLE);
    public static final HeaderName SUBSCRIPTION_STATE = known("Subscription-State", 0, Kind.SINGLE);
    public static final HeaderName SUPPORTED = known("Supported", 'k', Kind.LIST);
    public static final HeaderName TIMESTAMP = known("Timestamp", 0, Kind.SINGLE);
    public static final HeaderName TO = known("To", 't', Kind.SINGLE);
    public static final HeaderName UNSUPPORTED = known("Unsupported", 0, Kind.LIST);
    public static final HeaderName USER_AGENT = known("User-Agent", 0, Kind.SINGLE);
    public static final HeaderName VIA = known("Via", 'v', Kind.LIST);
    public static final HeaderName WARNING = known("Warning", 0, Kind.LIST);
    public static final HeaderName WWW_AUTHENTICATE = known("WWW-Authenticate", 0, Kind.REPEATABLE);

    /** Known names keyed by their folded bytes, for the codec; built after the constants above. */
    private static final HeaderName[] BYTES_TABLE = bytesTable();

    private final String canonical;
    /** {@link #canonical} in ASCII, for comparing with received bytes. */
    private final byte[] canonicalBytes;
    private final String lower;
    /** The name's bytes with bit 0x20 set: ASCII letters folded to lower case (see {@link #of(byte[], int, int)}). */
    private final byte[] folded;
    private final char compact;
    private final Kind kind;
    private final boolean known;

    private HeaderName(String canonical, char compact, Kind kind, boolean known) {
        this.canonical = canonical;
        this.canonicalBytes = canonical.getBytes(StandardCharsets.ISO_8859_1);
        this.lower = canonical.toLowerCase(Locale.ROOT);
        this.folded = new byte[lower.length()];
        for (int i = 0; i < folded.length; i++) {
            folded[i] = (byte) (lower.charAt(i) | 0x20);
        }
        this.compact = compact;
        this.kind = kind;
        this.known = known;
    }

    private static HeaderName known(String canonical, int compact, Kind kind) {
        HeaderName name = new HeaderName(canonical, (char) compact, kind, true);
        int slot = slot(name.lower);
        while (TABLE[slot] != null) {
            slot = (slot + 1) & (TABLE.length - 1);
        }
        TABLE[slot] = name;
        if (compact != 0) {
            COMPACT[compact] = name;
        }
        return name;
    }

    /**
     * The name for a header field name as written on the wire or in code: compact forms map to
     * their long form; unknown names keep their spelling (used when serialising) and are
     * compared case-insensitively.
     */
    public static HeaderName of(CharSequence name) {
        HeaderName found = lookup(name);
        return found != null ? found : new HeaderName(name.toString(), (char) 0, Kind.REPEATABLE, false);
    }

    /**
     * Same as {@link #of(CharSequence)} for a name held in bytes (token characters, which the
     * codec has checked). This runs for every header line of every message, so it hashes and
     * compares with bit 0x20 set on every byte: that folds ASCII letters to lower case and leaves
     * the other token characters distinct ('_' becomes DEL, which no token contains).
     */
    public static HeaderName of(byte[] bytes, int start, int end) {
        int length = end - start;
        if (length == 1) {
            int c = bytes[start] | 0x20;
            if (c >= 0 && c < 128 && COMPACT[c] != null) {
                return COMPACT[c];
            }
        }
        int slot = foldedHash(bytes, start, end);
        HeaderName candidate;
        while ((candidate = BYTES_TABLE[slot]) != null) {
            if (candidate.folded.length == length && foldedEquals(candidate.folded, bytes, start)) {
                return candidate;
            }
            slot = (slot + 1) & (BYTES_TABLE_SIZE - 1);
        }
        return new HeaderName(new String(bytes, start, length, StandardCharsets.ISO_8859_1),
                (char) 0, Kind.REPEATABLE, false);
    }

    private static int foldedHash(byte[] b, int start, int end) {
        int length = end - start;
        int h = length * 31 + (b[start] | 0x20) * 7 + (b[end - 1] | 0x20) + (length > 2 ? (b[start + 2] | 0x20) * 3 : 0);
        return (h ^ (h >>> 7)) & (BYTES_TABLE_SIZE - 1);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EVERY_BYTE_0x20 = 0x2020202020202020L;

    /**
     * Compares with every received byte folded (bit 0x20 set). Most names are 8 to 16 bytes
     * ("Content-Length", "Max-Forwards"): two eight-byte words, the second one overlapping the
     * first, cover them without a loop.
     */
    private static boolean foldedEquals(byte[] folded, byte[] bytes, int start) {
        int length = folded.length;
        if (length >= 8 && length <= 16) {
            int last = length - 8;
            return (long) LONGS.get(folded, 0) == ((long) LONGS.get(bytes, start) | EVERY_BYTE_0x20)
                    && (long) LONGS.get(folded, last) == ((long) LONGS.get(bytes, start + last) | EVERY_BYTE_0x20);
        }
        for (int i = 0; i < length; i++) {
            if (folded[i] != (byte) (bytes[start + i] | 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** Fills the byte-keyed table once every constant exists (class initialisation order). */
    private static HeaderName[] bytesTable() {
        HeaderName[] table = new HeaderName[BYTES_TABLE_SIZE];
        for (HeaderName name : TABLE) {
            if (name == null) {
                continue;
            }
            int slot = foldedHash(name.folded, 0, name.folded.length);
            while (table[slot] != null) {
                slot = (slot + 1) & (table.length - 1);
            }
            table[slot] = name;
        }
        return table;
    }

    private static HeaderName lookup(CharSequence name) {
        if (name.length() == 1) {
            int c = name.charAt(0) | 0x20;
            return c < 128 ? COMPACT[c] : null;
        }
        String lower = name.toString().toLowerCase(Locale.ROOT);
        int slot = slot(lower);
        HeaderName candidate;
        while ((candidate = TABLE[slot]) != null) {
            if (candidate.lower.equals(lower)) {
                return candidate;
            }
            slot = (slot + 1) & (TABLE.length - 1);
        }
        return null;
    }

    private static int slot(String lower) {
        return spread(lower.hashCode());
    }

    private static int spread(int hash) {
        return (hash ^ (hash >>> 16)) & (TABLE.length - 1);
    }

    /** The long form for known names ("Call-ID"), the name as first written otherwise. */
    public String canonical() {
        return canonical;
    }

    /**
     * True when {@code bytes[start, end)} is exactly {@link #canonical()} (same letter case, long
     * form), i.e. what a writer would put for this name.
     */
    public boolean isSpelledCanonically(byte[] bytes, int start, int end) {
        // Names of 8 to 16 bytes: two overlapping words, as in foldedEquals; shorter ones byte by
        // byte (Arrays.equals' setup costs more than the compare for names this short).
        int length = canonicalBytes.length;
        if (end - start != length) {
            return false;
        }
        if (length >= 8 && length <= 16) {
            int last = length - 8;
            return (long) LONGS.get(canonicalBytes, 0) == (long) LONGS.get(bytes, start)
                    && (long) LONGS.get(canonicalBytes, last) == (long) LONGS.get(bytes, start + last);
        }
        for (int i = 0; i < length; i++) {
            if (canonicalBytes[i] != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    /** The compact form (RFC 3261 §7.3.3), or 0 when the name has none. */
    public char compact() {
        return compact;
    }

    public Kind kind() {
        return kind;
    }

    /** True for names this stack knows; unknown headers are passed through byte-exact. */
    public boolean isKnown() {
        return known;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof HeaderName h && h.lower.equals(lower));
    }

    @Override
    public int hashCode() {
        return lower.hashCode();
    }

    @Override
    public String toString() {
        return canonical;
    }
}
