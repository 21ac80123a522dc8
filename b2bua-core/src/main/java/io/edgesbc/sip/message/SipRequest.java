package io.edgesbc.sip.message;

import java.util.Objects;

/** A SIP request (RFC 3261 §7.1): method, Request-URI, version, headers, body. Immutable. */
public final class SipRequest extends SipMessage {

    private final String method;
    private final Uri requestUri;

    private SipRequest(String method, Uri requestUri, String version, Headers headers, byte[] bodySource,
                       int bodyOffset, int bodyLength, int wireStart, int wireEnd, MessageKeys keys) {
        super(version, headers, bodySource, bodyOffset, bodyLength, wireStart, wireEnd, keys);
        this.method = Objects.requireNonNull(method, "method");
        this.requestUri = Objects.requireNonNull(requestUri, "requestUri");
    }

    /**
     * A request as the codec read it off the wire. The codec has validated the start line and the
     * routing keys in {@code keys}.
     */
    public static SipRequest fromWire(String method, Uri requestUri, String version, Headers headers,
                                      WireSource wire, MessageKeys keys) {
        return fromWire(method, requestUri, version, headers, wire.bytes(), wire.start(), wire.end(),
                wire.bodyStart(), keys);
    }

    /**
     * Same, with the message's span in {@code bytes} given as offsets (what {@link #wire()} returns),
     * so that the codec makes no {@link WireSource} per message.
     */
    public static SipRequest fromWire(String method, Uri requestUri, String version, Headers headers,
                                      byte[] bytes, int start, int end, int bodyStart, MessageKeys keys) {
        return new SipRequest(method, requestUri, version, headers, bytes, bodyStart, end - bodyStart, start, end,
                keys);
    }

    /** A new request to fill in; {@link Builder#build()} adds Content-Length. */
    public static Builder builder(String method, Uri requestUri) {
        return new Builder(null, Headers.EMPTY, SIP_2_0, method, requestUri);
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    @Override
    public String method() {
        return method;
    }

    public Uri requestUri() {
        return requestUri;
    }

    @Override
    public String startLine() {
        return method + ' ' + requestUri + ' ' + version();
    }

    @Override
    public Builder copy() {
        return toBuilder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this, headers(), version(), method, requestUri);
    }

    /** Builds a new request, from scratch or from an existing one. */
    public static final class Builder extends SipMessage.Builder<Builder, SipRequest> {
        private String method;
        private Uri requestUri;

        private Builder(SipRequest original, Headers headers, String version, String method, Uri requestUri) {
            super(original, headers, version);
            this.method = method;
            this.requestUri = requestUri;
        }

        public Builder method(String method) {
            this.method = Objects.requireNonNull(method);
            return self();
        }

        public Builder requestUri(Uri requestUri) {
            this.requestUri = Objects.requireNonNull(requestUri);
            return self();
        }

        @Override
        SipRequest create(Headers headers, byte[] bodySource, int bodyOffset, int bodyLength) {
            return new SipRequest(method, requestUri, version, headers, bodySource, bodyOffset, bodyLength,
                    -1, -1, null);
        }
    }
}
