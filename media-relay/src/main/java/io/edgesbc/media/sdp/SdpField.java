package io.edgesbc.media.sdp;

/**
 * One {@code <type>=<value>} line of a session or media section after its header line
 * (RFC 8866 §5). Sections keep their fields in input order so that lines this package does not
 * interpret are written back where they were.
 */
public sealed interface SdpField permits Attribute, Connection, Bandwidth, GenericField {

    /** The one-character field type, e.g. {@code 'a'} or {@code 'c'}. */
    char type();

    /** The text after {@code "="}, exactly as it is written. */
    String text();
}
