package io.edgesbc.media.sdp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Parses SDP text into a {@link SessionDescription}.
 *
 * <p>Lenient where RFC 8866 allows it: lines may end in LF as well as CRLF (§5), trailing spaces
 * and tabs on structured lines ({@code v o c b t m}, flag attributes) are ignored, blank lines at
 * the very end are ignored, and lines of unknown type are kept. Strict on structure: {@code v=0}
 * first, then {@code o=}, then {@code s=}; at least one {@code t=}; well-formed {@code o= c= b= t=
 * m= a=} lines with single spaces between subfields (§9); at most one session-level {@code c=},
 * {@code i=} and {@code u=}; session-only lines not inside media sections; and a connection
 * address for every media section whose port is not 0 (§5.7). The relative order of the
 * optional lines after {@code s=} is not enforced (RFC 8866 §5 fixes it, but peers get it wrong);
 * it is kept as read. An empty {@code s=} is tolerated.
 *
 * <p>Any failure is an {@link SdpParseException}; no other exception escapes for any input.
 */
public final class SdpParser {

    private SdpParser() {
    }

    /**
     * Parses UTF-8 encoded SDP (RFC 8866 §5: UTF-8 unless {@code a=charset} says otherwise; other
     * charsets are not supported and give an {@link SdpParseException}).
     */
    public static SessionDescription parse(byte[] bytes) {
        if (bytes == null) {
            throw new SdpParseException(0, "no input");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SdpParseException(0, "input is not valid UTF-8");
        }
        return parse(text);
    }

    /** Parses SDP text. */
    public static SessionDescription parse(String text) {
        if (text == null) {
            throw new SdpParseException(0, "no input");
        }
        return new Run(splitLines(text)).parse();
    }

    /** Splits on LF, dropping one CR before it; refuses bare CR and NUL; drops trailing blanks. */
    private static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.add(text.substring(start, end));
                start = i + 1;
            } else if (c == 0) {
                // RFC 8866 §5: text fields may contain any octet except NUL, CR and LF
                throw new SdpParseException(lines.size() + 1, "NUL character");
            } else if (c == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n')) {
                throw new SdpParseException(lines.size() + 1, "CR not followed by LF");
            }
        }
        if (start < n) {
            lines.add(text.substring(start)); // last line without a line end: accepted
        }
        int last = lines.size();
        while (last > 0 && Chars.stripTrailingWhitespace(lines.get(last - 1)).isEmpty()) {
            last--;
        }
        return lines.subList(0, last);
    }

    /** One parse: the state of walking the lines. */
    private static final class Run {
        private final List<String> lines;
        private int lineNo;

        private Origin origin;
        private String sessionName;
        private final List<SdpField> sessionFields = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();
        private final List<Integer> mediaLineNumbers = new ArrayList<>();
        private boolean sessionConnection;
        private int timings;

        // the media section being read
        private String[] mLine;
        private int mPort;
        private OptionalInt mPortCount = OptionalInt.empty();
        private List<SdpField> mFields;
        private boolean mInformation;

        Run(List<String> lines) {
            this.lines = lines;
        }

        SessionDescription parse() {
            if (lines.isEmpty()) {
                throw new SdpParseException(0, "empty description");
            }
            boolean sessionInformation = false;
            boolean sessionUri = false;
            for (int i = 0; i < lines.size(); i++) {
                lineNo = i + 1;
                String line = lines.get(i);
                // RFC 8866 §5: <type>=<value>, type is exactly one character
                if (line.length() < 2 || line.charAt(1) != '=') {
                    throw error(line.isEmpty() ? "empty line" : "expected <type>=<value>");
                }
                char type = line.charAt(0);
                if (!((type >= 'a' && type <= 'z') || (type >= 'A' && type <= 'Z'))) {
                    throw error("field type is not a letter");
                }
                String value = line.substring(2);
                if (i == 0) {
                    // RFC 8866 §5.1: v=0 comes first
                    if (type != 'v' || !Chars.stripTrailingWhitespace(value).equals("0")) {
                        throw error("description must start with v=0");
                    }
                    continue;
                }
                if (i == 1) {
                    if (type != 'o') {
                        throw error("o= must follow v=");
                    }
                    origin = parseOrigin(Chars.stripTrailingWhitespace(value));
                    continue;
                }
                if (i == 2) {
                    // RFC 8866 §5.3; an empty name is tolerated although the RFC says MUST NOT
                    if (type != 's') {
                        throw error("s= must follow o=");
                    }
                    sessionName = value;
                    continue;
                }
                if (type == 'v' || type == 'o' || type == 's') {
                    throw error("duplicate " + type + "= line");
                }
                if (type == 'm') {
                    finishMedia();
                    startMedia(Chars.stripTrailingWhitespace(value));
                    continue;
                }
                if (mLine == null) {
                    switch (type) {
                        case 'c' -> {
                            if (sessionConnection) { // RFC 8866 §5.7: a single session-level c=
                                throw error("more than one session-level c= line");
                            }
                            sessionConnection = true;
                            sessionFields.add(parseConnection(value));
                        }
                        case 'i' -> { // RFC 8866 §5.4
                            if (sessionInformation) {
                                throw error("more than one session-level i= line");
                            }
                            sessionInformation = true;
                            sessionFields.add(new GenericField(type, value));
                        }
                        case 'u' -> { // RFC 8866 §5.5
                            if (sessionUri) {
                                throw error("more than one u= line");
                            }
                            sessionUri = true;
                            sessionFields.add(new GenericField(type, value));
                        }
                        case 't' -> {
                            timings++;
                            sessionFields.add(parseTiming(value));
                        }
                        default -> sessionFields.add(parseCommon(type, value));
                    }
                } else {
                    switch (type) {
                        case 'c' -> mFields.add(parseConnection(value));
                        case 'i' -> {
                            if (mInformation) { // RFC 8866 §5.4: at most one per media description
                                throw error("more than one i= line in a media description");
                            }
                            mInformation = true;
                            mFields.add(new GenericField(type, value));
                        }
                        // RFC 8866 §5: these belong to the session-level section only
                        case 'u', 'e', 'p', 't', 'r', 'z' -> throw error(type + "= line inside a media description");
                        default -> mFields.add(parseCommon(type, value));
                    }
                }
            }
            if (lines.size() < 3) {
                throw new SdpParseException(lines.size() + 1, "missing " + (lines.size() < 2 ? "o=" : "s=") + " line");
            }
            finishMedia();
            if (timings == 0) { // RFC 8866 §5: one or more time descriptions
                throw new SdpParseException(0, "missing t= line");
            }
            for (int i = 0; i < media.size(); i++) {
                MediaDescription m = media.get(i);
                // RFC 8866 §5.7: c= in each media description or at session level
                if (!m.isRejected() && !sessionConnection && m.connections().isEmpty()) {
                    throw new SdpParseException(mediaLineNumbers.get(i), "no connection address for media description");
                }
            }
            return new SessionDescription(origin, sessionName, sessionFields, media);
        }

        private SdpField parseCommon(char type, String value) {
            return switch (type) {
                case 'a' -> parseAttribute(value);
                case 'b' -> parseBandwidth(value);
                default -> new GenericField(type, value); // e=, p=, r=, z=, k= and unknown types
            };
        }

        private SdpParseException error(String reason) {
            return new SdpParseException(lineNo, reason);
        }

        /** Splits on single spaces; refuses empty subfields (RFC 8866 §9 uses one SP). */
        private List<String> words(String value, String what) {
            List<String> out = new ArrayList<>(8);
            int start = 0;
            for (int i = 0; i <= value.length(); i++) {
                if (i == value.length() || value.charAt(i) == ' ') {
                    if (i == start) {
                        throw error("malformed " + what + " line: empty subfield");
                    }
                    out.add(value.substring(start, i));
                    start = i + 1;
                }
            }
            return out;
        }

        // RFC 8866 §5.2
        private Origin parseOrigin(String value) {
            List<String> w = words(value, "o=");
            if (w.size() != 6) {
                throw error("o= needs 6 subfields, found " + w.size());
            }
            if (!Chars.isDigits(w.get(1))) {
                throw error("o= sess-id is not numeric");
            }
            if (!Chars.isDigits(w.get(2))) {
                throw error("o= sess-version is not numeric");
            }
            return new Origin(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5));
        }

        // RFC 8866 §5.7
        private Connection parseConnection(String raw) {
            List<String> w = words(Chars.stripTrailingWhitespace(raw), "c=");
            if (w.size() != 3) {
                throw error("c= needs 3 subfields, found " + w.size());
            }
            String addrType = w.get(1);
            String addr = w.get(2);
            if (!addrType.equals("IP4") && !addrType.equals("IP6")) {
                return Connection.of(w.get(0), addrType, addr); // other address types kept whole
            }
            int s1 = addr.indexOf('/');
            if (s1 < 0) {
                return Connection.of(w.get(0), addrType, addr);
            }
            if (s1 == 0) {
                throw error("c= address is empty");
            }
            String base = addr.substring(0, s1);
            String rest = addr.substring(s1 + 1);
            int s2 = rest.indexOf('/');
            String first = s2 < 0 ? rest : rest.substring(0, s2);
            String second = s2 < 0 ? null : rest.substring(s2 + 1);
            OptionalInt ttl = OptionalInt.empty();
            OptionalInt count;
            if (addrType.equals("IP4")) {
                // <base multicast address>/<ttl>[/<number of addresses>]
                long t = Chars.parseBounded(first, 255);
                if (t < 0) {
                    throw error("c= ttl must be 0-255");
                }
                ttl = OptionalInt.of((int) t);
                count = second == null ? OptionalInt.empty() : parseCount(second);
            } else {
                // IP6 multicast has no ttl: <base multicast address>[/<number of addresses>]
                if (second != null) {
                    throw error("c= IP6 address takes no ttl");
                }
                count = parseCount(first);
            }
            return new Connection(w.get(0), addrType, base, ttl, count);
        }

        private OptionalInt parseCount(String s) {
            long n = Chars.parseBounded(s, Integer.MAX_VALUE);
            if (n < 1) {
                throw error("c= number of addresses must be a positive integer");
            }
            return OptionalInt.of((int) n);
        }

        // RFC 8866 §5.8: b=<bwtype>:<bandwidth>
        private Bandwidth parseBandwidth(String raw) {
            String value = Chars.stripTrailingWhitespace(raw);
            int colon = value.indexOf(':');
            if (colon <= 0 || !Chars.isToken(value.substring(0, colon))) {
                throw error("b= needs <bwtype>:<bandwidth>");
            }
            long bw = Chars.parseBounded(value.substring(colon + 1), Long.MAX_VALUE);
            if (bw < 0) {
                throw error("b= bandwidth is not a number");
            }
            if (!Long.toString(bw).equals(value.substring(colon + 1))) {
                throw error("b= bandwidth has leading zeros"); // would not be written back as read
            }
            return new Bandwidth(value.substring(0, colon), bw);
        }

        // RFC 8866 §5.9: t=<start-time> <stop-time>, kept as text
        private GenericField parseTiming(String raw) {
            List<String> w = words(Chars.stripTrailingWhitespace(raw), "t=");
            if (w.size() != 2 || !Chars.isDigits(w.get(0)) || !Chars.isDigits(w.get(1))) {
                throw error("t= needs <start-time> <stop-time>");
            }
            return new GenericField('t', w.get(0) + ' ' + w.get(1));
        }

        // RFC 8866 §5.13: a=<attribute-name> or a=<attribute-name>:<attribute-value>
        private Attribute parseAttribute(String value) {
            int colon = value.indexOf(':');
            if (colon < 0) {
                String name = Chars.stripTrailingWhitespace(value);
                if (!Chars.isToken(name)) {
                    throw error("a= attribute name is not a token");
                }
                return Attribute.flag(name);
            }
            String name = value.substring(0, colon);
            if (!Chars.isToken(name)) {
                throw error("a= attribute name is not a token");
            }
            return Attribute.of(name, value.substring(colon + 1));
        }

        // RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
        private void startMedia(String value) {
            List<String> w = words(value, "m=");
            if (w.size() < 4) {
                throw error("m= needs <media> <port> <proto> and at least one <fmt>");
            }
            String portText = w.get(1);
            int slash = portText.indexOf('/');
            long port = Chars.parseBounded(slash < 0 ? portText : portText.substring(0, slash), 65535);
            if (port < 0) {
                throw error("m= port must be 0-65535");
            }
            OptionalInt count = OptionalInt.empty();
            if (slash >= 0) {
                long n = Chars.parseBounded(portText.substring(slash + 1), 65535);
                if (n < 1) {
                    throw error("m= number of ports must be a positive integer");
                }
                count = OptionalInt.of((int) n);
            }
            if (!Long.toString(port).equals(slash < 0 ? portText : portText.substring(0, slash))
                    || (count.isPresent() && !Integer.toString(count.getAsInt()).equals(portText.substring(slash + 1)))) {
                throw error("m= port has leading zeros");
            }
            mLine = w.toArray(new String[0]);
            mPort = (int) port;
            mPortCount = count;
            mFields = new ArrayList<>();
            mInformation = false;
            mediaLineNumbers.add(lineNo);
        }

        private void finishMedia() {
            if (mLine == null) {
                return;
            }
            List<String> formats = List.of(mLine).subList(3, mLine.length);
            media.add(new MediaDescription(mLine[0], mPort, mPortCount, mLine[2], formats, mFields));
            mLine = null;
        }
    }
}
