package io.edgesbc.sip.parse;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.HeaderValues;
import io.edgesbc.sip.message.Headers;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipSyntaxException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Frames SIP messages off a byte stream (TCP, TLS) for the {@link SipParser}.
 *
 * <p>States: skip keep-alive CRLFs (RFC 5626 §3.5.1: a CRLFCRLF ping is reported so the transport
 * can answer with a CRLF pong); read up to the empty line that ends the header section; read the
 * Content-Length it declares (mandatory on streams, RFC 3261 §18.3); wait for that many body bytes;
 * copy the whole message out of the buffer once and hand it to the parser.
 *
 * <p>A message that is malformed but framed (its Content-Length known) is reported as an invalid
 * message and the stream goes on. When framing itself is lost (no or bad Content-Length, a header
 * section or body over the limits), {@link Listener#onFramingError} is called once and every
 * further byte is discarded: the transport must close the connection.
 *
 * <p>Not thread-safe: one framer per connection, used on that connection's event loop. The caller
 * owns {@code in} (the cumulation buffer) and releases it; this class only reads from it.
 */
public final class StreamFramer {

    /** Receives what the framer finds, in order. */
    public interface Listener {
        void onMessage(ParseResult result);

        /** A CRLFCRLF keep-alive ping arrived between messages. */
        default void onKeepAlive() {
        }

        /** Framing is lost; close the connection. */
        void onFramingError(ParseResult.Invalid error);
    }

    private final SipParser parser;
    private final ParseLimits limits;

    private boolean broken;
    /** Line feeds seen since the last message; two in a row make a keep-alive ping. */
    private int keepAliveLineFeeds;
    /** Readable-relative index to resume the search for the empty line from. */
    private int scanFrom;
    /** Length of the message being read, once its header section and Content-Length are known. */
    private int expected = -1;

    public StreamFramer(SipParser parser) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.limits = parser.limits();
    }

    public boolean isBroken() {
        return broken;
    }

    /** Consumes as many whole messages from {@code in} as it holds. */
    public void decode(ByteBuf in, Listener listener) {
        while (true) {
            if (broken) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (expected < 0) {
                skipKeepAlives(in, listener);
                if (!in.isReadable() || !frameHeaderSection(in, listener)) {
                    return;
                }
                if (broken) {
                    continue;
                }
            }
            if (in.readableBytes() < expected) {
                return;
            }
            byte[] message = new byte[expected];
            in.readBytes(message);
            expected = -1;
            scanFrom = 0;
            keepAliveLineFeeds = 0;
            listener.onMessage(parser.parseFramed(message, 0, message.length));
        }
    }

    private void skipKeepAlives(ByteBuf in, Listener listener) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b == '\n') {
                if (++keepAliveLineFeeds == 2) {
                    keepAliveLineFeeds = 0;
                    listener.onKeepAlive();
                }
            } else if (b != '\r') {
                return;
            }
            in.skipBytes(1);
        }
    }

    /** Returns true when the message length is known (or framing failed); false to wait. */
    private boolean frameHeaderSection(ByteBuf in, Listener listener) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        int limit = Math.min(readable, limits.maxHeaderSectionLength());
        int headerEnd = -1;
        for (int i = scanFrom; i < limit; i++) {
            if (in.getByte(start + i) != '\n') {
                continue;
            }
            if (i + 1 < readable && in.getByte(start + i + 1) == '\n') {
                headerEnd = i + 2;
                break;
            }
            if (i + 2 < readable && in.getByte(start + i + 1) == '\r' && in.getByte(start + i + 2) == '\n') {
                headerEnd = i + 3;
                break;
            }
        }
        if (headerEnd < 0) {
            if (readable >= limits.maxHeaderSectionLength()) {
                fail(listener, "header section longer than " + limits.maxHeaderSectionLength() + " bytes", limit);
                return true;
            }
            scanFrom = Math.max(0, readable - 2);
            return false;
        }
        byte[] header = new byte[headerEnd];
        in.getBytes(start, header);
        long length = declaredContentLength(header, listener);
        if (broken) {
            return true;
        }
        if (length > limits.maxBodyLength()) {
            fail(listener, "Content-Length " + length + " exceeds the limit of " + limits.maxBodyLength(), 0);
            return true;
        }
        expected = headerEnd + (int) length;
        return true;
    }

    /** Finds the Content-Length of a header section; fails the stream when it is missing or bad. */
    private long declaredContentLength(byte[] header, Listener listener) {
        long found = -1;
        int lineStart = 0;
        while (lineStart < header.length) {
            int lf = lineStart;
            while (lf < header.length && header[lf] != '\n') {
                lf++;
            }
            // Continuation lines belong to the header before them.
            int lineEnd = lf;
            while (lineEnd + 1 < header.length && (header[lineEnd + 1] == ' ' || header[lineEnd + 1] == '\t')) {
                lineEnd++;
                while (lineEnd < header.length && header[lineEnd] != '\n') {
                    lineEnd++;
                }
            }
            int nameEnd = lineStart;
            while (nameEnd < lineEnd && SipParser.isTokenChar(header[nameEnd])) {
                nameEnd++;
            }
            int colon = nameEnd;
            while (colon < lineEnd && SipParser.isWsp(header[colon])) {
                colon++;
            }
            if (nameEnd > lineStart && colon < lineEnd && header[colon] == ':'
                    && HeaderName.of(header, lineStart, nameEnd) == HeaderName.CONTENT_LENGTH) {
                try {
                    long value = HeaderValues.parseContentLength(Headers.unfold(header, colon + 1, lineEnd));
                    if (found >= 0 && found != value) {
                        fail(listener, "conflicting Content-Length headers", lineStart);
                        return -1;
                    }
                    found = value;
                } catch (SipSyntaxException e) {
                    fail(listener, "malformed Content-Length: " + e.reason(), colon + 1);
                    return -1;
                }
            }
            lineStart = lineEnd + 1;
        }
        if (found < 0) {
            // RFC 3261 §18.3: without it the end of the message on a stream cannot be known. The
            // header section is whole, so the request can still be answered before closing.
            fail(new ParseResult.Invalid("Content-Length missing on a stream transport", header.length,
                    responseContext(header)), listener);
        }
        return found;
    }

    /** What a 400 needs, read from a complete header section by the datagram rules. */
    private ResponseContext responseContext(byte[] header) {
        ParseResult result = parser.parseDatagram(header.clone());
        if (result instanceof ParseResult.Invalid invalid) {
            return invalid.context();
        }
        if (result instanceof ParseResult.Parsed parsed && parsed.message() instanceof SipRequest request
                && !"ACK".equals(request.method())) {
            return new ResponseContext(request.method(), request.headers().lines(HeaderName.VIA),
                    request.headers().first(HeaderName.FROM), request.headers().first(HeaderName.TO),
                    request.callId(), request.headers().first(HeaderName.CSEQ));
        }
        return null;
    }

    private void fail(ParseResult.Invalid error, Listener listener) {
        broken = true;
        listener.onFramingError(error);
    }

    private void fail(Listener listener, String reason, int offset) {
        fail(new ParseResult.Invalid(reason, offset, null), listener);
    }
}
