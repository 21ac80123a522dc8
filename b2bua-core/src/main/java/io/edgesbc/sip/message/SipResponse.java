package io.edgesbc.sip.message;

import java.util.Objects;

/** A SIP response (RFC 3261 §7.2): version, status code, reason phrase, headers, body. Immutable. */
public final class SipResponse extends SipMessage {

    private final int statusCode;
    private final String reasonPhrase;

    private SipResponse(String version, int statusCode, String reasonPhrase, Headers headers, byte[] bodySource,
                        int bodyOffset, int bodyLength, int wireStart, int wireEnd, MessageKeys keys) {
        super(version, headers, bodySource, bodyOffset, bodyLength, wireStart, wireEnd, keys);
        if (statusCode < 100 || statusCode > 699) {
            throw new IllegalArgumentException("status code out of range: " + statusCode);
        }
        this.statusCode = statusCode;
        this.reasonPhrase = Objects.requireNonNull(reasonPhrase, "reasonPhrase");
    }

    /** A response as the codec read it off the wire. */
    public static SipResponse fromWire(String version, int statusCode, String reasonPhrase, Headers headers,
                                       WireSource wire, MessageKeys keys) {
        return fromWire(version, statusCode, reasonPhrase, headers, wire.bytes(), wire.start(), wire.end(),
                wire.bodyStart(), keys);
    }

    /**
     * Same, with the message's span in {@code bytes} given as offsets (what {@link #wire()} returns),
     * so that the codec makes no {@link WireSource} per message.
     */
    public static SipResponse fromWire(String version, int statusCode, String reasonPhrase, Headers headers,
                                       byte[] bytes, int start, int end, int bodyStart, MessageKeys keys) {
        return new SipResponse(version, statusCode, reasonPhrase, headers, bytes, bodyStart, end - bodyStart,
                start, end, keys);
    }

    /** A new response to fill in; {@link Builder#build()} adds Content-Length. */
    public static Builder builder(int statusCode, String reasonPhrase) {
        return new Builder(null, Headers.EMPTY, SIP_2_0, statusCode, reasonPhrase);
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    /** The CSeq method (RFC 3261 §8.1.3.3: a response is matched to its request through it). */
    @Override
    public String method() {
        CSeq cseq = cseq();
        return cseq == null ? null : cseq.method();
    }

    public int statusCode() {
        return statusCode;
    }

    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** 1 for 1xx ... 6 for 6xx. */
    public int statusClass() {
        return statusCode / 100;
    }

    public boolean isProvisional() {
        return statusCode < 200;
    }

    public boolean isFinal() {
        return statusCode >= 200;
    }

    @Override
    public String startLine() {
        return version() + ' ' + statusCode + ' ' + reasonPhrase;
    }

    @Override
    public Builder copy() {
        return toBuilder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this, headers(), version(), statusCode, reasonPhrase);
    }

    /** Builds a new response, from scratch or from an existing one. */
    public static final class Builder extends SipMessage.Builder<Builder, SipResponse> {
        private int statusCode;
        private String reasonPhrase;

        private Builder(SipResponse original, Headers headers, String version, int statusCode, String reasonPhrase) {
            super(original, headers, version);
            this.statusCode = statusCode;
            this.reasonPhrase = reasonPhrase;
        }

        public Builder status(int statusCode, String reasonPhrase) {
            this.statusCode = statusCode;
            this.reasonPhrase = Objects.requireNonNull(reasonPhrase);
            return self();
        }

        @Override
        SipResponse create(Headers headers, byte[] bodySource, int bodyOffset, int bodyLength) {
            return new SipResponse(version, statusCode, reasonPhrase, headers, bodySource, bodyOffset, bodyLength,
                    -1, -1, null);
        }
    }
}
