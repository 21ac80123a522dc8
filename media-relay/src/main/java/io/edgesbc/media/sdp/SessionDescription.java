package io.edgesbc.media.sdp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable SDP session description (RFC 8866 §5): {@code v=0}, the {@link Origin}, the
 * session name, the session-level fields in input order, and the media descriptions.
 *
 * <p>Fields this package does not interpret (unknown type letters, unknown attributes, {@code t=},
 * {@code r=}, {@code z=}, {@code k=}, ...) are kept in order and written back unchanged.
 * {@link #toString()} gives the SDP text with CRLF line ends.
 *
 * @param origin      the {@code o=} line
 * @param sessionName the text of the {@code s=} line
 * @param fields      the session-level lines after {@code s=}, in order
 * @param media       the media descriptions, in order
 */
public record SessionDescription(Origin origin, String sessionName, List<SdpField> fields,
                                 List<MediaDescription> media) {

    /** Validates and copies the lists. */
    public SessionDescription {
        Objects.requireNonNull(origin, "origin");
        Chars.requireLineText(sessionName, "session name");
        fields = List.copyOf(fields);
        media = List.copyOf(media);
        for (SdpField f : fields) {
            if (f.type() == 'v' || f.type() == 'o' || f.type() == 's' || f.type() == 'm') {
                throw new IllegalArgumentException("field not allowed here: " + f.type());
            }
        }
    }

    /** The protocol version; RFC 8866 §5.1 defines only 0. */
    public int version() {
        return 0;
    }

    /** The session information ({@code i=}), if present. */
    public Optional<String> information() {
        return Fields.firstText(fields, 'i');
    }

    /** The URI ({@code u=}), if present. */
    public Optional<String> uri() {
        return Fields.firstText(fields, 'u');
    }

    /** The {@code e=} lines. */
    public List<String> emails() {
        return Fields.texts(fields, 'e');
    }

    /** The {@code p=} lines. */
    public List<String> phones() {
        return Fields.texts(fields, 'p');
    }

    /** The session-level connection, if present. */
    public Optional<Connection> connection() {
        return Fields.firstConnection(fields);
    }

    /** The session-level bandwidth lines. */
    public List<Bandwidth> bandwidths() {
        return Fields.ofType(fields, Bandwidth.class);
    }

    /** The texts of the {@code t=} lines (RFC 8866 §5.9), e.g. {@code "0 0"}. */
    public List<String> timings() {
        return Fields.texts(fields, 't');
    }

    /** All session-level attributes, in order. */
    public List<Attribute> attributes() {
        return Fields.ofType(fields, Attribute.class);
    }

    /** The session-level attributes with the given name. */
    public List<Attribute> attributes(String name) {
        return Fields.attributes(fields, name);
    }

    /** The first session-level attribute with the given name. */
    public Optional<Attribute> attribute(String name) {
        return Fields.attribute(fields, name);
    }

    /** The direction declared at session level, if any. */
    public Optional<Direction> declaredDirection() {
        return Fields.direction(fields);
    }

    /**
     * The direction of a media section: media level, else session level, else
     * {@link Direction#SENDRECV} (RFC 8866 §6.7, RFC 3264 §5.1).
     */
    public Direction effectiveDirection(MediaDescription m) {
        return m.declaredDirection().or(this::declaredDirection).orElse(Direction.SENDRECV);
    }

    /**
     * The connection that applies to a media section: its own first {@code c=}, else the
     * session-level one (RFC 8866 §5.7).
     */
    public Optional<Connection> effectiveConnection(MediaDescription m) {
        return m.connection().or(this::connection);
    }

    /** This description with another origin. */
    public SessionDescription withOrigin(Origin newOrigin) {
        return new SessionDescription(newOrigin, sessionName, fields, media);
    }

    /** This description with other session-level fields. */
    public SessionDescription withFields(List<SdpField> newFields) {
        return new SessionDescription(origin, sessionName, newFields, media);
    }

    /** This description with other media descriptions. */
    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(origin, sessionName, fields, newMedia);
    }

    /** The SDP text with CRLF line ends (RFC 8866 §5). */
    @Override
    public String toString() {
        return SdpWriter.write(this);
    }

    /** The SDP as UTF-8 bytes with CRLF line ends. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }
}
