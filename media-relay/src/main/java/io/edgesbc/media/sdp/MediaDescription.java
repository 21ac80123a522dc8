package io.edgesbc.media.sdp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A media description: its {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} line
 * (RFC 8866 §5.14) and the fields that follow it up to the next {@code m=} line, in order.
 *
 * @param media     media type, e.g. {@code audio}, {@code video}, {@code application}
 * @param port      transport port; 0 marks a rejected or removed stream (RFC 3264 §6, §8.2)
 * @param portCount the number of ports after a slash, if given
 * @param proto     transport protocol, e.g. {@code RTP/AVP}
 * @param formats   media formats; RTP payload type numbers for RTP protocols
 * @param fields    the {@code i=}, {@code c=}, {@code b=}, {@code a=} and other lines, in order
 */
public record MediaDescription(String media, int port, OptionalInt portCount, String proto,
                               List<String> formats, List<SdpField> fields) {

    /** Validates the m= subfields and copies the lists. */
    public MediaDescription {
        Chars.requireWord(media, "media");
        Chars.requireWord(proto, "proto");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(portCount, "portCount");
        if (portCount.isPresent() && portCount.getAsInt() < 1) {
            throw new IllegalArgumentException("port count must be positive");
        }
        formats = List.copyOf(formats);
        if (formats.isEmpty()) { // RFC 8866 §9: m= has 1*(SP fmt)
            throw new IllegalArgumentException("a media description needs at least one format");
        }
        for (String f : formats) {
            Chars.requireWord(f, "format");
        }
        fields = List.copyOf(fields);
        for (SdpField f : fields) {
            if (f.type() == 'v' || f.type() == 'o' || f.type() == 's' || f.type() == 'm') {
                throw new IllegalArgumentException("field not allowed in a media section: " + f.type());
            }
        }
    }

    /** Whether the port is 0: a rejected (RFC 3264 §6) or removed (§8.2) stream. */
    public boolean isRejected() {
        return port == 0;
    }

    /** Whether the transport is RTP based, so that formats are RTP payload types. */
    public boolean isRtp() {
        return proto.contains("RTP/");
    }

    /** The media title ({@code i=}), if present. */
    public Optional<String> information() {
        return Fields.firstText(fields, 'i');
    }

    /** The media-level connection lines (several only for layered multicast). */
    public List<Connection> connections() {
        return Fields.ofType(fields, Connection.class);
    }

    /** The first media-level connection line, if any; see {@link SessionDescription#effectiveConnection}. */
    public Optional<Connection> connection() {
        return Fields.firstConnection(fields);
    }

    /** The media-level bandwidth lines. */
    public List<Bandwidth> bandwidths() {
        return Fields.ofType(fields, Bandwidth.class);
    }

    /** All media-level attributes, in order. */
    public List<Attribute> attributes() {
        return Fields.ofType(fields, Attribute.class);
    }

    /** The media-level attributes with the given name, in order. */
    public List<Attribute> attributes(String name) {
        return Fields.attributes(fields, name);
    }

    /** The first media-level attribute with the given name. */
    public Optional<Attribute> attribute(String name) {
        return Fields.attribute(fields, name);
    }

    /**
     * The direction declared at media level, if any; see
     * {@link SessionDescription#effectiveDirection(MediaDescription)} for the inherited value.
     */
    public Optional<Direction> declaredDirection() {
        return Fields.direction(fields);
    }

    /** The {@code a=rtpmap} for a payload type, if present and well formed (RFC 8866 §6.6). */
    public Optional<RtpMap> rtpmap(int payloadType) {
        for (Attribute a : attributes("rtpmap")) {
            if (a.value() != null && Fields.leadingPayloadType(a.value()) == payloadType) {
                return RtpMap.parse(a.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The format parameters of {@code a=fmtp:<payload type> <parameters>} (RFC 8866 §6.15),
     * without the payload type.
     */
    public Optional<String> fmtp(int payloadType) {
        for (Attribute a : attributes("fmtp")) {
            if (a.value() != null && Fields.leadingPayloadType(a.value()) == payloadType) {
                String v = a.value();
                int sp = v.indexOf(' ');
                return Optional.of(sp < 0 ? "" : Chars.stripTrailingWhitespace(v.substring(sp + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * The encoding name of a payload type: from its rtpmap, else from the RFC 3551 static
     * assignments.
     */
    public Optional<String> encodingName(int payloadType) {
        Optional<RtpMap> map = rtpmap(payloadType);
        if (map.isPresent()) {
            return Optional.of(map.get().encodingName());
        }
        return StaticPayloadTypes.name(payloadType);
    }

    /** The RFC 3605 {@code a=rtcp} attribute, if present and well formed. */
    public Optional<Rtcp> rtcp() {
        Optional<Attribute> a = attribute("rtcp");
        return a.isPresent() && a.get().value() != null ? Rtcp.parse(a.get().value()) : Optional.empty();
    }

    /** This description with another port. */
    public MediaDescription withPort(int newPort) {
        return new MediaDescription(media, newPort, portCount, proto, formats, fields);
    }

    /** This description with other formats. */
    public MediaDescription withFormats(List<String> newFormats) {
        return new MediaDescription(media, port, portCount, proto, newFormats, fields);
    }

    /** This description with other fields. */
    public MediaDescription withFields(List<SdpField> newFields) {
        return new MediaDescription(media, port, portCount, proto, formats, newFields);
    }

    /** The text after {@code "m="}. */
    public String mediaLineText() {
        StringBuilder sb = new StringBuilder(32 + 4 * formats.size());
        sb.append(media).append(' ').append(port);
        portCount.ifPresent(n -> sb.append('/').append(n));
        sb.append(' ').append(proto);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        return sb.toString();
    }
}
