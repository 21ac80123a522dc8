package io.edgesbc.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Look-ups over an ordered field list, shared by session and media sections. */
final class Fields {

    private Fields() {
    }

    static <T extends SdpField> List<T> ofType(List<SdpField> fields, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (SdpField f : fields) {
            if (type.isInstance(f)) {
                out.add(type.cast(f));
            }
        }
        return List.copyOf(out);
    }

    static List<String> texts(List<SdpField> fields, char type) {
        List<String> out = new ArrayList<>();
        for (SdpField f : fields) {
            if (f instanceof GenericField g && g.type() == type) {
                out.add(g.text());
            }
        }
        return List.copyOf(out);
    }

    static Optional<String> firstText(List<SdpField> fields, char type) {
        for (SdpField f : fields) {
            if (f instanceof GenericField g && g.type() == type) {
                return Optional.of(g.text());
            }
        }
        return Optional.empty();
    }

    static Optional<Connection> firstConnection(List<SdpField> fields) {
        for (SdpField f : fields) {
            if (f instanceof Connection c) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    static List<Attribute> attributes(List<SdpField> fields, String name) {
        List<Attribute> out = new ArrayList<>();
        for (SdpField f : fields) {
            if (f instanceof Attribute a && a.name().equals(name)) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    static Optional<Attribute> attribute(List<SdpField> fields, String name) {
        for (SdpField f : fields) {
            if (f instanceof Attribute a && a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The last direction attribute in the list (one is expected; the last one wins). */
    static Optional<Direction> direction(List<SdpField> fields) {
        Optional<Direction> found = Optional.empty();
        for (SdpField f : fields) {
            if (f instanceof Attribute a) {
                Optional<Direction> d = Direction.of(a);
                if (d.isPresent()) {
                    found = d;
                }
            }
        }
        return found;
    }

    /**
     * The payload type an {@code rtpmap}/{@code fmtp}/{@code rtcp-fb} value starts with, or -1
     * ({@code rtcp-fb:*} and malformed values give -1).
     */
    static int leadingPayloadType(String value) {
        int end = 0;
        while (end < value.length() && value.charAt(end) >= '0' && value.charAt(end) <= '9') {
            end++;
        }
        if (end == 0 || (end < value.length() && value.charAt(end) != ' ')) {
            return -1;
        }
        return (int) Chars.parseBounded(value.substring(0, end), 127);
    }
}
