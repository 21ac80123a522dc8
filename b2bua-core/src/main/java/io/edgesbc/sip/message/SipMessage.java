package io.edgesbc.sip.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable SIP message (RFC 3261 §7): a start line, a header section and a body.
 *
 * <p>Messages are never changed; edits go through {@link #toBuilder()}, which returns a builder
 * that makes a new message. A message parsed from the wire keeps the bytes it came from and is
 * written back byte-exact while unchanged.
 *
 * <p>Typed views of the headers the stack needs ({@link #callId()}, {@link #cseq()},
 * {@link #topVia()}, {@link #from()}, {@link #to()} ...) are memoised. For a parsed message the
 * codec has already read and validated the routing keys; other typed views are parsed on first use
 * and throw {@link SipSyntaxException} when the header is malformed.
 *
 * <p>Thread-safety: immutable. Memoised views are written racily but idempotently from immutable
 * data, which the Java memory model makes safe for objects with final fields.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {

    /** SIP/2.0, the only version this stack speaks (RFC 3261 §7.1). */
    public static final String SIP_2_0 = "SIP/2.0";

    private static final int UNREAD = Integer.MIN_VALUE;

    private final String version;
    private final Headers headers;
    private final byte[] bodySource;
    private final int bodyOffset;
    private final int bodyLength;
    /**
     * Start and end in {@link #bodySource} of the bytes this message was parsed from (the body
     * lies in the same array), or -1 for a built message. Kept as ints rather than the
     * {@link WireSource} record, which {@link #wire()} makes when asked: one object less per parse.
     */
    private final int wireStart;
    private final int wireEnd;

    private String callId;
    private CSeq cseq;
    private Via topVia;
    private List<Via> vias;
    private NameAddr from;
    private NameAddr to;
    private int maxForwards = UNREAD;
    private long contentLength = UNREAD;

    /** {@code wireStart}/{@code wireEnd}: the message's span in {@code bodySource} when parsed, else -1. */
    SipMessage(String version, Headers headers, byte[] bodySource, int bodyOffset, int bodyLength,
               int wireStart, int wireEnd, MessageKeys keys) {
        this.version = Objects.requireNonNull(version, "version");
        this.headers = Objects.requireNonNull(headers, "headers");
        this.bodySource = bodySource;
        this.bodyOffset = bodyOffset;
        this.bodyLength = bodyLength;
        this.wireStart = wireStart;
        this.wireEnd = wireEnd;
        if (keys != null) {
            this.callId = keys.callId();
            this.cseq = keys.cseq();
            this.topVia = keys.topVia();
            this.from = keys.from();
            this.to = keys.to();
            this.maxForwards = keys.maxForwards();
            this.contentLength = keys.contentLength();
        }
    }

    /** "SIP/2.0", or what the peer wrote (the UAS core answers other versions with 505). */
    public final String version() {
        return version;
    }

    public abstract boolean isRequest();

    /** The method this message is about: the request's method, or the CSeq method of a response. */
    public abstract String method();

    /** The start line as written on the wire, without CRLF. */
    public abstract String startLine();

    public final Headers headers() {
        return headers;
    }

    // ---- typed views -------------------------------------------------------------------------

    public final String callId() {
        String value = callId;
        if (value == null) {
            value = headers.first(HeaderName.CALL_ID);
            callId = value;
        }
        return value;
    }

    public final CSeq cseq() {
        CSeq value = cseq;
        if (value == null) {
            String raw = headers.first(HeaderName.CSEQ);
            value = raw == null ? null : CSeq.parse(raw);
            cseq = value;
        }
        return value;
    }

    /** The topmost via-parm (the first element of the first Via line), or null. */
    public final Via topVia() {
        Via value = topVia;
        if (value == null) {
            List<Via> all = vias();
            value = all.isEmpty() ? null : all.get(0);
            topVia = value;
        }
        return value;
    }

    /** Every via-parm in order, the first being the topmost. */
    public final List<Via> vias() {
        List<Via> value = vias;
        if (value == null) {
            List<String> lines = headers.lines(HeaderName.VIA);
            if (lines.size() == 1) {
                value = Via.parseList(lines.get(0));
            } else {
                java.util.ArrayList<Via> all = new java.util.ArrayList<>();
                for (String line : lines) {
                    all.addAll(Via.parseList(line));
                }
                value = List.copyOf(all);
            }
            vias = value;
        }
        return value;
    }

    public final NameAddr from() {
        NameAddr value = from;
        if (value == null) {
            String raw = headers.first(HeaderName.FROM);
            value = raw == null ? null : NameAddr.parse(raw);
            from = value;
        }
        return value;
    }

    public final NameAddr to() {
        NameAddr value = to;
        if (value == null) {
            String raw = headers.first(HeaderName.TO);
            value = raw == null ? null : NameAddr.parse(raw);
            to = value;
        }
        return value;
    }

    public final String fromTag() {
        NameAddr f = from();
        return f == null ? null : f.tag();
    }

    public final String toTag() {
        NameAddr t = to();
        return t == null ? null : t.tag();
    }

    /** Max-Forwards (RFC 3261 §20.22), or -1 when the header is absent. */
    public final int maxForwards() {
        int value = maxForwards;
        if (value == UNREAD) {
            String raw = headers.first(HeaderName.MAX_FORWARDS);
            value = raw == null ? -1 : HeaderValues.parseMaxForwards(raw);
            maxForwards = value;
        }
        return value;
    }

    /** Content-Length as declared (RFC 3261 §20.14), or -1 when absent. */
    public final long contentLength() {
        long value = contentLength;
        if (value == UNREAD) {
            String raw = headers.first(HeaderName.CONTENT_LENGTH);
            value = raw == null ? -1 : HeaderValues.parseContentLength(raw);
            contentLength = value;
        }
        return value;
    }

    /** Content-Type, or null when absent. */
    public final ContentType contentType() {
        String raw = headers.first(HeaderName.CONTENT_TYPE);
        return raw == null ? null : ContentType.parse(raw);
    }

    /** Contact (RFC 3261 §20.10), or null when absent. */
    public final ContactList contact() {
        List<String> lines = headers.lines(HeaderName.CONTACT);
        if (lines.isEmpty()) {
            return null;
        }
        return ContactList.parse(String.join(", ", lines));
    }

    public final List<NameAddr> route() {
        return nameAddrs(HeaderName.ROUTE);
    }

    public final List<NameAddr> recordRoute() {
        return nameAddrs(HeaderName.RECORD_ROUTE);
    }

    public final List<String> require() {
        return tokens(HeaderName.REQUIRE);
    }

    public final List<String> proxyRequire() {
        return tokens(HeaderName.PROXY_REQUIRE);
    }

    public final List<String> supported() {
        return tokens(HeaderName.SUPPORTED);
    }

    public final List<String> unsupported() {
        return tokens(HeaderName.UNSUPPORTED);
    }

    public final List<String> allow() {
        return tokens(HeaderName.ALLOW);
    }

    /** Expires (RFC 3261 §20.19) in seconds, or -1 when absent. */
    public final long expires() {
        String raw = headers.first(HeaderName.EXPIRES);
        return raw == null ? -1 : HeaderValues.parseDeltaSeconds(raw);
    }

    /** Retry-After (RFC 3261 §20.33), or null when absent. */
    public final RetryAfter retryAfter() {
        String raw = headers.first(HeaderName.RETRY_AFTER);
        return raw == null ? null : RetryAfter.parse(raw);
    }

    private List<NameAddr> nameAddrs(HeaderName name) {
        List<String> values = headers.values(name);
        if (values.isEmpty()) {
            return List.of();
        }
        NameAddr[] out = new NameAddr[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = NameAddr.parse(values.get(i));
        }
        return List.of(out);
    }

    private List<String> tokens(HeaderName name) {
        List<String> lines = headers.lines(name);
        if (lines.isEmpty()) {
            return List.of();
        }
        if (lines.size() == 1) {
            return HeaderValues.tokens(lines.get(0));
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (String line : lines) {
            out.addAll(HeaderValues.tokens(line));
        }
        return List.copyOf(out);
    }

    // ---- body --------------------------------------------------------------------------------

    public final int bodyLength() {
        return bodyLength;
    }

    public final boolean hasBody() {
        return bodyLength > 0;
    }

    /** A copy of the body bytes. */
    public final byte[] body() {
        return bodyLength == 0 ? new byte[0] : Arrays.copyOfRange(bodySource, bodyOffset, bodyOffset + bodyLength);
    }

    /** The body decoded as UTF-8 (SDP, sipfrag and most SIP bodies are text). */
    public final String bodyText() {
        return bodyLength == 0 ? "" : new String(bodySource, bodyOffset, bodyLength, StandardCharsets.UTF_8);
    }

    /** Copies the body into {@code dst} at {@code at}; returns the number of bytes copied. */
    public final int copyBody(byte[] dst, int at) {
        if (bodyLength > 0) {
            System.arraycopy(bodySource, bodyOffset, dst, at, bodyLength);
        }
        return bodyLength;
    }

    final byte[] bodySource() {
        return bodySource;
    }

    final int bodyOffset() {
        return bodyOffset;
    }

    /** The bytes this message was parsed from, or null once it was built or edited. */
    public final WireSource wire() {
        return wireEnd < 0 ? null : new WireSource(bodySource, wireStart, wireEnd, bodyOffset);
    }

    /** Same as {@link #toBuilder()}. */
    public abstract Builder<?, ?> copy();

    public abstract Builder<?, ?> toBuilder();

    // ---- equality ----------------------------------------------------------------------------

    /**
     * Two messages are equal when they have the same start line, the same header lines (names
     * compared as names, values as unfolded text) in the same order, and the same body bytes.
     * Whether they came from the wire does not matter.
     */
    @Override
    public final boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof SipMessage m) || m.getClass() != getClass()) {
            return false;
        }
        if (!startLine().equals(m.startLine()) || headers.size() != m.headers.size()
                || bodyLength != m.bodyLength) {
            return false;
        }
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.name(i).equals(m.headers.name(i)) || !headers.value(i).equals(m.headers.value(i))) {
                return false;
            }
        }
        return bodyLength == 0 || Arrays.equals(bodySource, bodyOffset, bodyOffset + bodyLength,
                m.bodySource, m.bodyOffset, m.bodyOffset + m.bodyLength);
    }

    @Override
    public final int hashCode() {
        return startLine().hashCode() * 31 + headers.size();
    }

    @Override
    public String toString() {
        return startLine() + " (" + headers.size() + " headers, " + bodyLength + " body bytes)";
    }

    // ---- builder -----------------------------------------------------------------------------

    /**
     * Edits a message into a new one. Header operations keep the order of the other lines;
     * {@link #build()} sets Content-Length to the body's length.
     */
    public abstract static class Builder<B extends Builder<B, M>, M extends SipMessage> {
        private final M original;
        final Headers.Editor headers;
        String version;
        byte[] bodySource;
        int bodyOffset;
        int bodyLength;
        boolean changed;

        Builder(M original, Headers headers, String version) {
            this.original = original;
            this.headers = new Headers.Editor(headers);
            this.version = version;
            if (original != null) {
                this.bodySource = original.bodySource();
                this.bodyOffset = original.bodyOffset();
                this.bodyLength = original.bodyLength();
            }
            this.changed = original == null;
        }

        @SuppressWarnings("unchecked")
        final B self() {
            changed = true;
            return (B) this;
        }

        /** Appends a header line. */
        public B add(HeaderName name, String value) {
            headers.add(headers.size(), name, Objects.requireNonNull(value));
            return self();
        }

        public B add(String name, String value) {
            return add(HeaderName.of(name), value);
        }

        /** Inserts a header line before the first line of the same name, or appends it. */
        public B addFirst(HeaderName name, String value) {
            int i = headers.indexOf(name, 0);
            headers.add(i < 0 ? headers.size() : i, name, Objects.requireNonNull(value));
            return self();
        }

        /** Replaces every line of this name by one line with this value, where the first one was. */
        public B set(HeaderName name, String value) {
            Objects.requireNonNull(value);
            int i = headers.indexOf(name, 0);
            if (i < 0) {
                headers.add(headers.size(), name, value);
            } else {
                headers.set(i, name, value);
                int j;
                while ((j = headers.indexOf(name, i + 1)) >= 0) {
                    headers.remove(j);
                }
            }
            return self();
        }

        public B set(String name, String value) {
            return set(HeaderName.of(name), value);
        }

        /** Removes every line of this name. */
        public B remove(HeaderName name) {
            int i;
            while ((i = headers.indexOf(name, 0)) >= 0) {
                headers.remove(i);
            }
            return self();
        }

        /** Removes the first line of this name, if any. */
        public B removeFirst(HeaderName name) {
            int i = headers.indexOf(name, 0);
            if (i >= 0) {
                headers.remove(i);
            }
            return self();
        }

        /** Replaces the value of the first line of this name (appends if there is none). */
        public B replaceFirst(HeaderName name, String value) {
            int i = headers.indexOf(name, 0);
            if (i < 0) {
                headers.add(headers.size(), name, value);
            } else {
                headers.set(i, name, value);
            }
            return self();
        }

        /** The current value of the first line of this name, or null. */
        public String first(HeaderName name) {
            int i = headers.indexOf(name, 0);
            return i < 0 ? null : headers.value(i);
        }

        public B version(String version) {
            this.version = Objects.requireNonNull(version);
            return self();
        }

        /** Replaces the body (copied); Content-Type is left as it is. */
        public B body(byte[] body) {
            this.bodySource = body.clone();
            this.bodyOffset = 0;
            this.bodyLength = body.length;
            return self();
        }

        /** Replaces the body and sets Content-Type; an empty body removes Content-Type. */
        public B body(String contentType, byte[] body) {
            body(body);
            if (body.length == 0) {
                remove(HeaderName.CONTENT_TYPE);
            } else {
                set(HeaderName.CONTENT_TYPE, contentType);
            }
            return self();
        }

        public B body(String contentType, String body) {
            return body(contentType, body.getBytes(StandardCharsets.UTF_8));
        }

        /** The message; the original itself when nothing was changed. */
        public final M build() {
            if (!changed && original != null) {
                return original;
            }
            // RFC 3261 §20.14: Content-Length counts the body's octets; we always write it.
            headers.setOrAppendContentLength(bodyLength);
            return create(headers.build(), bodySource, bodyOffset, bodyLength);
        }

        abstract M create(Headers headers, byte[] bodySource, int bodyOffset, int bodyLength);
    }
}
