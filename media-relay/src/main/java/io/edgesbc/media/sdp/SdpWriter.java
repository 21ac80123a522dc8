package io.edgesbc.media.sdp;

/**
 * Writes a {@link SessionDescription} as text, every line ended by CRLF (RFC 8866 §5).
 *
 * <p>Fields are written in model order, so a description parsed from CRLF input without trailing
 * whitespace on structured lines is written back byte for byte.
 */
public final class SdpWriter {

    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    /** The SDP text of a description. */
    public static String write(SessionDescription sd) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("v=0").append(CRLF);
        sb.append("o=").append(sd.origin().text()).append(CRLF);
        sb.append("s=").append(sd.sessionName()).append(CRLF);
        appendFields(sb, sd.fields());
        for (MediaDescription m : sd.media()) {
            sb.append("m=").append(m.mediaLineText()).append(CRLF);
            appendFields(sb, m.fields());
        }
        return sb.toString();
    }

    private static void appendFields(StringBuilder sb, Iterable<SdpField> fields) {
        for (SdpField f : fields) {
            sb.append(f.type()).append('=').append(f.text()).append(CRLF);
        }
    }
}
