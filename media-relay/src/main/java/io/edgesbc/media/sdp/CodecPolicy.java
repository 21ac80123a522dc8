package io.edgesbc.media.sdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which RTP encodings a media section may offer, and in which order.
 *
 * <p>Encoding names compare case-insensitively (RFC 4855 §3). A payload type's name comes from
 * its {@code a=rtpmap}, else from the RFC 3551 static table (0 PCMU, 3 GSM, 4 G723, 8 PCMA,
 * 9 G722, 18 G729, ...). A payload type is kept when its name is not denied and the allow list is
 * empty or names it; a payload type without a known name is kept only when the allow list is
 * empty. See {@link #apply(MediaDescription)} for the effect on a section.
 *
 * @param allow      encodings allowed; empty allows every encoding not denied
 * @param deny       encodings removed
 * @param preference encodings moved to the front of the m= line in this order
 */
public record CodecPolicy(Set<String> allow, Set<String> deny, List<String> preference) {

    /**
     * Encodings that do not carry the media on their own (RFC 4733 telephone-event, RFC 3389
     * CN, RFC 2198 red, FEC and RFC 4588 rtx): a section left with only these is rejected.
     */
    private static final Set<String> AUXILIARY =
            Set.of("TELEPHONE-EVENT", "CN", "RED", "ULPFEC", "FLEXFEC", "RTX");

    private static final CodecPolicy ALLOW_ALL = new CodecPolicy(Set.of(), Set.of(), List.of());

    /** Normalises the names to upper case and copies the collections. */
    public CodecPolicy {
        allow = upper(allow);
        deny = upper(deny);
        preference = List.copyOf(new LinkedHashSet<>(List.copyOf(upper(preference))));
    }

    /** The policy that keeps everything in its order. */
    public static CodecPolicy allowAll() {
        return ALLOW_ALL;
    }

    /** Whether this policy changes nothing. */
    public boolean isAllowAll() {
        return allow.isEmpty() && deny.isEmpty() && preference.isEmpty();
    }

    /** Whether the encoding name may be kept. */
    public boolean permits(String encodingName) {
        String n = encodingName.toUpperCase(Locale.ROOT);
        return !deny.contains(n) && (allow.isEmpty() || allow.contains(n));
    }

    /**
     * Applies the policy to one media section.
     *
     * <p>Sections with port 0 and non-RTP sections are returned unchanged. Otherwise refused
     * payload types leave the m= line with their {@code a=rtpmap}, {@code a=fmtp} and
     * {@code a=rtcp-fb} lines (an {@code rtx} payload type goes with the payload type its
     * {@code apt} names, RFC 4588 §8.6), and the rest are stably reordered by {@link #preference}.
     * If something was removed and no payload type carrying media remains (none, or only
     * telephone-event/CN/red/FEC/rtx), the section is rejected instead: port 0, formats and
     * lines as they were (RFC 3264 §6: the formats of a rejected stream are ignored, but one must
     * be listed).
     */
    public MediaDescription apply(MediaDescription m) {
        if (m.isRejected() || !m.isRtp() || isAllowAll()) {
            return m;
        }
        Set<Integer> removed = new HashSet<>();
        List<String> kept = new ArrayList<>();
        for (String f : m.formats()) {
            int pt = (int) Chars.parseBounded(f, 127);
            if (pt < 0) {
                kept.add(f); // not a payload type number: not ours to judge
                continue;
            }
            Optional<String> name = m.encodingName(pt);
            if (name.isPresent() ? permits(name.get()) : allow.isEmpty()) {
                kept.add(f);
            } else {
                removed.add(pt);
            }
        }
        // RFC 4588 §8.6: a=fmtp:<rtx pt> apt=<original pt>; drop rtx for removed originals
        for (String f : List.copyOf(kept)) {
            int pt = (int) Chars.parseBounded(f, 127);
            if (pt >= 0 && isRtx(m, pt)) {
                int apt = associatedPayloadType(m, pt);
                if (apt >= 0 && removed.contains(apt)) {
                    kept.remove(f);
                    removed.add(pt);
                }
            }
        }
        if (!removed.isEmpty() && kept.stream().allMatch(f -> isAuxiliary(m, f))) {
            return m.withPort(0); // RFC 3264 §6: reject the stream
        }
        List<String> ordered = new ArrayList<>(kept);
        ordered.sort(Comparator.comparingInt(f -> rank(m, f)));
        if (removed.isEmpty()) {
            return ordered.equals(m.formats()) ? m : m.withFormats(ordered);
        }
        List<SdpField> fields = new ArrayList<>();
        for (SdpField field : m.fields()) {
            if (field instanceof Attribute a && a.value() != null
                    && (a.name().equals("rtpmap") || a.name().equals("fmtp") || a.name().equals("rtcp-fb"))
                    && removed.contains(Fields.leadingPayloadType(a.value()))) {
                continue;
            }
            fields.add(field);
        }
        return m.withFormats(ordered).withFields(fields);
    }

    private int rank(MediaDescription m, String format) {
        int pt = (int) Chars.parseBounded(format, 127);
        if (pt < 0) {
            return preference.size();
        }
        Optional<String> name = m.encodingName(pt);
        int i = name.isPresent() ? preference.indexOf(name.get().toUpperCase(Locale.ROOT)) : -1;
        return i < 0 ? preference.size() : i;
    }

    private static boolean isAuxiliary(MediaDescription m, String format) {
        int pt = (int) Chars.parseBounded(format, 127);
        if (pt < 0) {
            return false;
        }
        Optional<String> name = m.encodingName(pt);
        return name.isPresent() && AUXILIARY.contains(name.get().toUpperCase(Locale.ROOT));
    }

    private static boolean isRtx(MediaDescription m, int pt) {
        return m.rtpmap(pt).map(r -> r.encodingName().equalsIgnoreCase("rtx")).orElse(false);
    }

    private static int associatedPayloadType(MediaDescription m, int pt) {
        String params = m.fmtp(pt).orElse("");
        for (String p : params.split(";")) { // not on the hot path: only for rtx
            String t = p.trim();
            if (t.startsWith("apt=")) {
                return (int) Chars.parseBounded(t.substring(4).trim(), 127);
            }
        }
        return -1;
    }

    private static Set<String> upper(Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            out.add(n.toUpperCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(out);
    }
}
