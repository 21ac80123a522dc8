package io.edgesbc.sip.parse;

import io.edgesbc.sip.message.CSeq;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.HeaderValues;
import io.edgesbc.sip.message.Headers;
import io.edgesbc.sip.message.MessageKeys;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipSyntaxException;
import io.edgesbc.sip.message.Uri;
import io.edgesbc.sip.message.Via;
import io.edgesbc.sip.message.WireValues;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bytes to message (RFC 3261 §7, grammar of §25), the one parser behind the datagram and the
 * stream framer.
 *
 * <p>It frames the start line, the header lines and the body, keeps every header as a span over
 * the received bytes, and reads eagerly only what every message needs for routing and transaction
 * matching: the Request-URI, the top Via, CSeq, Call-ID, From, To, Max-Forwards and
 * Content-Length. Everything else stays raw until asked.
 *
 * <p>Bad input never throws: it becomes {@link ParseResult.Invalid} with a reason, the byte
 * offset, and, when the message is a request whose Via, From, To, Call-ID and CSeq could be read,
 * what is needed to answer it with 400.
 *
 * <p>Lenient where RFC 4475 says a parser should be (any amount of LWS in header separators,
 * line folding, compact names, mixed case, bare LF line ends, unknown headers and schemes);
 * strict where it says to reject (start-line spacing, malformed routing headers, Content-Length
 * beyond the datagram, duplicate single-valued routing headers).
 *
 * <p>Thread-safety: stateless apart from the immutable limits; one instance can serve every
 * event loop.
 */
public final class SipParser {

    private static final int INITIAL_HEADER_CAPACITY = 24;

    /** At most this many digits are read from the bytes: any such number fits in a long. */
    private static final int MAX_PLAIN_DIGITS = 18;

    private final ParseLimits limits;

    public SipParser(ParseLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public SipParser() {
        this(ParseLimits.DEFAULTS);
    }

    public ParseLimits limits() {
        return limits;
    }

    /**
     * Parses one datagram (RFC 3261 §18.3): bytes after the body that Content-Length counts are
     * ignored; without Content-Length the body runs to the end of the datagram.
     *
     * <p>The array becomes the message's: the caller must not write to it afterwards.
     */
    public ParseResult parseDatagram(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return run(data, offset, offset + length, false);
    }

    public ParseResult parseDatagram(byte[] data) {
        return parseDatagram(data, 0, data.length);
    }

    /**
     * Parses one message framed off a stream: exactly one message whose Content-Length the
     * framer has checked (RFC 3261 §18.3: mandatory on streams). Leading CRLFs are skipped.
     */
    public ParseResult parseFramed(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        return run(data, offset, offset + length, true);
    }

    /**
     * One Run per thread is reused: its header index arrays are scratch space that the finished
     * message gets an exact-size copy of, so a parse allocates neither the Run nor arrays sized
     * for the worst case. A parse never calls back into the parser, but if it ever did, the inner
     * call would get a fresh Run instead of clobbering the outer one.
     */
    private static final ThreadLocal<Run> RUNS = ThreadLocal.withInitial(Run::new);

    private ParseResult run(byte[] data, int from, int end, boolean stream) {
        Run run = RUNS.get();
        if (run.busy) {
            run = new Run();
        }
        run.start(limits, data, from, end, stream);
        try {
            return run.parse();
        } finally {
            run.finish();
        }
    }

    /**
     * One parse over one buffer; holds the spans found so far. Reused by one thread, one parse
     * at a time ({@link #start} sets every field a parse reads).
     */
    private static final class Run {
        private boolean busy;
        /** Recognises the everyday forms of the routing values in the bytes (one per Run: it is not thread-safe). */
        private final WireValues wireValues = new WireValues();
        private ParseLimits limits;
        private byte[] src;
        private int from;
        private int end;
        private boolean stream;

        private int pos;
        private String error;
        private int errorAt;

        // start line
        private boolean request;
        private String method;
        private Uri requestUri;
        private String version;
        private int statusCode;
        private String reason;

        // header lines: 3 ints each (line start, value start, line end), see Headers; scratch
        // space kept between parses, grown when a message has more lines
        private HeaderName[] names = new HeaderName[INITIAL_HEADER_CAPACITY];
        private int[] spans = new int[3 * INITIAL_HEADER_CAPACITY];
        private int count;
        private int via;
        private int callId;
        private int cseq;
        private int fromHeader;
        private int toHeader;
        private int maxForwards;
        private int contentLength;
        private int failingOffset;
        /** Bit i: header line i (i < 64) is in canonical form as received, see {@link #canonicalLine}. */
        private long canonicalLines;
        /** Set by {@link #lineFeed} when the bytes it passed hold anything but SP..DEL and HTAB. */
        private boolean unplain;

        void start(ParseLimits limits, byte[] src, int from, int end, boolean stream) {
            this.busy = true;
            this.limits = limits;
            this.src = src;
            this.from = from;
            this.end = end;
            this.stream = stream;
            this.pos = from;
            this.error = null;
            this.errorAt = -1;
            this.request = false;
            this.method = null;
            this.requestUri = null;
            this.version = null;
            this.statusCode = 0;
            this.reason = null;
            this.count = 0;
            this.via = -1;
            this.callId = -1;
            this.cseq = -1;
            this.fromHeader = -1;
            this.toHeader = -1;
            this.maxForwards = -1;
            this.contentLength = -1;
            this.failingOffset = 0;
            this.canonicalLines = 0;
        }

        /** Drops the references into this parse's message so the scratch Run keeps nothing alive. */
        void finish() {
            java.util.Arrays.fill(names, 0, count, null);
            src = null;
            method = null;
            requestUri = null;
            version = null;
            reason = null;
            error = null;
            busy = false;
        }

        ParseResult parse() {
            // RFC 3261 §7.5: CRLFs before the start line are ignored; only CRLFs is a keep-alive
            // (RFC 5626 §3.5.1), which is not an error.
            while (pos < end && (src[pos] == '\r' || src[pos] == '\n')) {
                pos++;
            }
            if (pos == end) {
                return pos == from ? invalid("empty message", from) : ParseResult.KeepAlive.INSTANCE;
            }
            int messageStart = pos;
            if (!startLine()) {
                return finishInvalid();
            }
            if (!headerSection(messageStart)) {
                return finishInvalid();
            }
            int bodyStart = pos;
            long declared = contentLengthValue();
            if (error != null) {
                return finishInvalid();
            }
            int messageEnd;
            if (declared < 0) {
                if (stream) {
                    // RFC 3261 §18.3: on a stream Content-Length MUST be present.
                    fail("Content-Length missing on a stream transport", bodyStart);
                    return finishInvalid();
                }
                messageEnd = end;
            } else if (declared > end - bodyStart) {
                // RFC 3261 §18.3, RFC 4475 §3.1.2.7: larger than the body received -> 400.
                fail("Content-Length " + declared + " exceeds the " + (end - bodyStart) + " body bytes received",
                        span(contentLength, 1));
                return finishInvalid();
            } else {
                messageEnd = bodyStart + (int) declared;
            }
            if (messageEnd - bodyStart > limits.maxBodyLength()) {
                fail("body of " + (messageEnd - bodyStart) + " bytes exceeds the limit of "
                        + limits.maxBodyLength(), bodyStart);
                return finishInvalid();
            }
            MessageKeys keys = keys(declared);
            if (keys == null) {
                return finishInvalid();
            }
            Headers headers = Headers.fromSource(src, java.util.Arrays.copyOf(names, count),
                    java.util.Arrays.copyOf(spans, 3 * count), count, canonicalLines);
            if (request) {
                return new ParseResult.Parsed(SipRequest.fromWire(method, requestUri, version, headers, src,
                        messageStart, messageEnd, bodyStart, keys));
            }
            return new ParseResult.Parsed(SipResponse.fromWire(version, statusCode, reason, headers, src,
                    messageStart, messageEnd, bodyStart, keys));
        }

        // ---- start line (RFC 3261 §7.1, §7.2) ------------------------------------------------

        /** Returns false when the line cannot even be delimited; other errors are recorded. */
        private boolean startLine() {
            int limit = Math.min(end, pos + limits.maxStartLineLength() + 2);
            int lf = lineFeed(pos, limit);
            if (lf < 0) {
                fail(limit < end ? "start line longer than " + limits.maxStartLineLength() + " bytes"
                        : "no end of line after the start line", limit < end ? limit : pos);
                return false;
            }
            int lineEnd = lf > pos && src[lf - 1] == '\r' ? lf - 1 : lf;
            int lineStart = pos;
            pos = lf + 1;
            if (startsWithSipVersion(lineStart, lineEnd)) {
                statusLine(lineStart, lineEnd);
            } else {
                requestLine(lineStart, lineEnd);
            }
            return true;
        }

        /** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase. */
        private void statusLine(int start, int lineEnd) {
            request = false;
            int sp = indexOf((byte) ' ', start, lineEnd);
            if (sp < 0 || !sipVersion(start, sp)) {
                fail("malformed SIP-Version in status line", start);
                return;
            }
            version = version(start, sp);
            int code = sp + 1;
            if (code + 3 > lineEnd || !isDigit(src[code]) || !isDigit(src[code + 1]) || !isDigit(src[code + 2])
                    || (code + 3 < lineEnd && src[code + 3] != ' ')) {
                fail("malformed Status-Code", code);
                return;
            }
            statusCode = (src[code] - '0') * 100 + (src[code + 1] - '0') * 10 + (src[code + 2] - '0');
            if (statusCode < 100 || statusCode > 699) {
                fail("Status-Code " + statusCode + " out of range 100-699", code);
                return;
            }
            // Reason-Phrase may be empty; a missing SP before it is tolerated.
            int reasonStart = Math.min(code + 4, lineEnd);
            for (int i = reasonStart; i < lineEnd; i++) {
                if (src[i] == '\r' || src[i] == 0) {
                    fail("control character in Reason-Phrase", i);
                    return;
                }
            }
            reason = new String(src, reasonStart, lineEnd - reasonStart, StandardCharsets.UTF_8);
        }

        /** Request-Line = Method SP Request-URI SP SIP-Version; exactly one SP each (§25.1). */
        private void requestLine(int start, int lineEnd) {
            request = true;
            int i = start;
            while (i < lineEnd && isTokenChar(src[i])) {
                i++;
            }
            if (i == start) {
                fail("start line is neither a Request-Line nor a Status-Line", start);
                return;
            }
            method = method(start, i);
            if (i == lineEnd || src[i] != ' ') {
                fail("expected one SP after the method", i);
                return;
            }
            int uriStart = i + 1;
            int uriEnd = indexOfWhitespace(uriStart, lineEnd);
            if (uriEnd == uriStart) {
                fail("Request-Line elements must be separated by exactly one SP", uriStart);
                return;
            }
            if (uriEnd == lineEnd) {
                fail("no SIP-Version after the Request-URI", lineEnd);
                return;
            }
            if (src[uriEnd] != ' ') {
                fail("Request-Line elements must be separated by exactly one SP", uriEnd);
                return;
            }
            int versionStart = uriEnd + 1;
            if (indexOfWhitespace(versionStart, lineEnd) < lineEnd) {
                // RFC 4475 §3.1.2.5/§3.1.2.7: whitespace inside the Request-URI, or after the version.
                fail("Request-Line has whitespace inside the Request-URI or after the SIP-Version",
                        indexOfWhitespace(versionStart, lineEnd));
                return;
            }
            if (!sipVersion(versionStart, lineEnd)) {
                fail(versionStart < lineEnd && isWsp(src[versionStart])
                        ? "Request-Line elements must be separated by exactly one SP"
                        : "malformed SIP-Version in Request-Line", versionStart);
                return;
            }
            version = version(versionStart, lineEnd);
            // The everyday sip: URI is read from the bytes; any other form (and any error) is
            // the String parser's.
            requestUri = wireValues.sipUri(src, uriStart, uriEnd);
            if (requestUri != null) {
                return;
            }
            try {
                requestUri = Uri.parse(ascii(uriStart, uriEnd));
            } catch (SipSyntaxException e) {
                fail("malformed Request-URI: " + e.reason(), uriStart + Math.max(0, e.offset()));
            }
        }

        // ---- header section (RFC 3261 §7.3) ------------------------------------------------

        /** Returns false when the header section cannot be delimited. */
        private boolean headerSection(int messageStart) {
            int limit = Math.min(end, messageStart + limits.maxHeaderSectionLength());
            while (true) {
                if (pos >= limit) {
                    if (pos == end && !stream && count > 0) {
                        // DEVIATION: a datagram whose last header line ends the datagram has no
                        // body; we take the datagram's end as the empty line (RFC 5118 §4.10's
                        // messages are published that way) rather than reject it.
                        return true;
                    }
                    fail(limit < end ? "header section longer than " + limits.maxHeaderSectionLength() + " bytes"
                            : "header section not terminated by an empty line", pos);
                    return false;
                }
                byte b = src[pos];
                if (b == '\n') {
                    pos++;
                    return true;
                }
                if (b == '\r' && pos + 1 < end && src[pos + 1] == '\n') {
                    pos += 2;
                    return true;
                }
                if (!headerLine(limit)) {
                    return false;
                }
            }
        }

        /** message-header = field-name HCOLON field-value CRLF, with folding. */
        private boolean headerLine(int limit) {
            int lineStart = pos;
            int i = pos;
            while (i < limit && isTokenChar(src[i])) {
                i++;
            }
            int nameEnd = i;
            while (i < limit && isWsp(src[i])) {
                i++;
            }
            boolean wellFormed = nameEnd > lineStart && i < limit && src[i] == ':';
            int valueStart = i + 1;
            // The line, with any continuation lines (LWS = [*WSP CRLF] 1*WSP).
            int lineEnd;
            boolean folded = false;
            unplain = false;
            while (true) {
                int lf = lineFeed(i, limit);
                if (lf < 0) {
                    fail(limit < end ? "header section longer than " + limits.maxHeaderSectionLength() + " bytes"
                            : "header section not terminated by an empty line", limit);
                    return false;
                }
                lineEnd = lf > lineStart && src[lf - 1] == '\r' ? lf - 1 : lf;
                i = lf + 1;
                if (i < end && isWsp(src[i])) {
                    folded = true;
                    continue;
                }
                break;
            }
            pos = i;
            if (!wellFormed) {
                fail(nameEnd == lineStart
                        ? (isWsp(src[lineStart]) ? "continuation line without a header before it"
                                : "header line does not start with a field name")
                        : "no colon after header field name", nameEnd == lineStart ? lineStart : nameEnd);
                return true; // skip the line, keep collecting what a 400 needs
            }
            if (count == limits.maxHeaderCount()) {
                fail("more than " + limits.maxHeaderCount() + " header lines", lineStart);
                return false;
            }
            HeaderName name = HeaderName.of(src, lineStart, nameEnd);
            if (count < Long.SIZE && !folded && !unplain && nameEnd + 1 == valueStart
                    && canonicalLine(name, lineStart, nameEnd, valueStart, lineEnd)) {
                canonicalLines |= 1L << count;
            }
            add(name, lineStart, Math.min(valueStart, lineEnd), lineEnd);
            return true;
        }

        /**
         * True when the line, known to be on one line of plain ASCII with the colon right after
         * the name, is already what SipWriter's canonical form would write for it: a known name
         * spelled as its long form, ": ", the value without whitespace around it, and a CRLF after
         * it. Such a line can be copied by the writer of an edited message instead of being
         * measured and written field by field.
         */
        private boolean canonicalLine(HeaderName name, int lineStart, int nameEnd, int valueStart, int lineEnd) {
            return name.isKnown() && valueStart + 1 < lineEnd && src[valueStart] == ' '
                    && !isWsp(src[valueStart + 1]) && !isWsp(src[lineEnd - 1])
                    && lineEnd + 1 < end && src[lineEnd] == '\r' && src[lineEnd + 1] == '\n'
                    && name.isSpelledCanonically(src, lineStart, nameEnd);
        }

        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final long EVERY_BYTE_0x80 = 0x8080808080808080L;
        private static final long EVERY_BYTE_SP = 0x2020202020202020L;
        private static final long EVERY_BYTE_LF = 0x0a0a0a0a0a0a0a0aL;
        private static final long EVERY_BYTE_0x01 = 0x0101010101010101L;

        /**
         * The index of the next LF in [start, stop), or -1; sets {@link #unplain} when a byte
         * before it is not SP..DEL or HTAB (a CR right before the LF does not count). The header
         * section is most of what a parse walks, so it goes eight bytes at a time: a word with no
         * byte of bit 0x80 and none below SP (the classic "has a byte less than n" test) holds
         * neither the LF nor anything unusual and is skipped whole; only the word with the line
         * end (or with an HTAB or a non-ASCII byte) is looked at byte by byte.
         */
        private int lineFeed(int start, int stop) {
            int i = start;
            for (; i + 8 <= stop; i += 8) {
                long w = (long) LONGS.get(src, i);
                long special = (w | ((w - EVERY_BYTE_SP) & ~w)) & EVERY_BYTE_0x80;
                if (special == 0) {
                    continue;
                }
                // The lowest byte flagged by these "has a byte less than n" tests is exact (a
                // borrow only flags bytes above a true hit), which is all that is used below.
                long x = w ^ EVERY_BYTE_LF;
                long lf = (x - EVERY_BYTE_0x01) & ~x & EVERY_BYTE_0x80;
                int before = 8; // bytes of this word before the LF, or all 8
                if (lf != 0) {
                    before = Long.numberOfTrailingZeros(lf) >>> 3;
                    if (before > 0 && src[i + before - 1] == '\r') {
                        before--; // the CR of the CRLF is the line end, not content
                    }
                }
                // Anything special before the LF (an HTAB, a non-ASCII byte ...)? Looked at byte by
                // byte only then.
                if (before > 0 && (special & (-1L >>> (64 - 8 * before))) != 0) {
                    for (int k = i; k < i + before; k++) {
                        byte b = src[k];
                        if (b < ' ' && b != '\t' && !(b == '\r' && k + 1 < stop && src[k + 1] == '\n')) {
                            unplain = true;
                        }
                    }
                }
                if (lf != 0) {
                    return i + (Long.numberOfTrailingZeros(lf) >>> 3);
                }
            }
            for (; i < stop; i++) {
                byte b = src[i];
                if (b == '\n') {
                    return i;
                }
                if ((b < ' ' && b != '\t' && !(b == '\r' && i + 1 < stop && src[i + 1] == '\n'))) {
                    unplain = true;
                }
            }
            return -1;
        }

        private void add(HeaderName name, int lineStart, int valueStart, int lineEnd) {
            if (count == names.length) {
                names = java.util.Arrays.copyOf(names, count * 2);
                spans = java.util.Arrays.copyOf(spans, 3 * count * 2);
            }
            int index = count++;
            names[index] = name;
            spans[3 * index] = lineStart;
            spans[3 * index + 1] = valueStart;
            spans[3 * index + 2] = lineEnd;
            if (name == HeaderName.VIA) {
                if (via < 0) {
                    via = index;
                }
            } else if (name == HeaderName.CALL_ID) {
                callId = single(callId, index, name);
            } else if (name == HeaderName.CSEQ) {
                cseq = single(cseq, index, name);
            } else if (name == HeaderName.FROM) {
                fromHeader = single(fromHeader, index, name);
            } else if (name == HeaderName.TO) {
                toHeader = single(toHeader, index, name);
            } else if (name == HeaderName.MAX_FORWARDS) {
                maxForwards = single(maxForwards, index, name);
            } else if (name == HeaderName.CONTENT_LENGTH) {
                contentLength = single(contentLength, index, name);
            }
        }

        /** RFC 4475 §3.1.2.14/§3.1.2.15: a second value of a single-valued routing header is an error. */
        private int single(int first, int index, HeaderName name) {
            if (first >= 0) {
                fail("more than one " + name.canonical() + " header", spans[3 * index]);
                return first;
            }
            return index;
        }

        // ---- routing keys ------------------------------------------------------------------

        private long contentLengthValue() {
            if (contentLength < 0) {
                return -1;
            }
            long plain = plainNumber(contentLength, MAX_PLAIN_DIGITS);
            if (plain >= 0) {
                return plain;
            }
            try {
                return HeaderValues.parseContentLength(value(contentLength));
            } catch (SipSyntaxException e) {
                fail("malformed Content-Length: " + e.reason(), span(contentLength, 1));
                return -1;
            }
        }

        private MessageKeys keys(long declaredLength) {
            // RFC 3261 §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory in
            // requests; we require all but Max-Forwards (which §16.6 lets a proxy add) from
            // every message because transaction matching cannot work without them.
            if (via < 0) {
                return missing(HeaderName.VIA);
            }
            if (fromHeader < 0) {
                return missing(HeaderName.FROM);
            }
            if (toHeader < 0) {
                return missing(HeaderName.TO);
            }
            if (callId < 0) {
                return missing(HeaderName.CALL_ID);
            }
            if (cseq < 0) {
                return missing(HeaderName.CSEQ);
            }
            String callIdValue = plainCallId();
            if (callIdValue == null) {
                callIdValue = value(callId);
                int bad = callIdError(callIdValue);
                if (bad >= 0) {
                    fail("malformed Call-ID", span(callId, 1) + bad);
                    return null;
                }
            }
            try {
                CSeq cseqValue = plainCSeq();
                if (cseqValue == null) {
                    cseqValue = CSeq.parse(value(cseq));
                }
                // The everyday forms are read from the bytes, without a String per header; any
                // other form (and any error) goes to the String parsers, which decide.
                Via topVia = wireValues.via(src, trimmedStart(via), trimmedEnd(via));
                if (topVia == null) {
                    topVia = Via.parse(firstElement(value(via)));
                }
                NameAddr fromValue = wireValues.nameAddr(src, trimmedStart(fromHeader), trimmedEnd(fromHeader));
                if (fromValue == null) {
                    fromValue = NameAddr.parse(value(fromHeader));
                }
                NameAddr toValue = wireValues.nameAddr(src, trimmedStart(toHeader), trimmedEnd(toHeader));
                if (toValue == null) {
                    toValue = NameAddr.parse(value(toHeader));
                }
                int maxForwardsValue = maxForwards < 0 ? -1 : maxForwardsValue();
                return new MessageKeys(callIdValue, cseqValue, topVia, fromValue, toValue, maxForwardsValue,
                        declaredLength);
            } catch (SipSyntaxException e) {
                fail("malformed " + failingHeader() + ": " + e.reason(), failingOffset);
                return null;
            }
        }

        /** Re-parses the keys one by one to name the header at fault (only on the error path). */
        private String failingHeader() {
            int[] order = {cseq, via, fromHeader, toHeader, maxForwards};
            for (int index : order) {
                if (index < 0) {
                    continue;
                }
                try {
                    String v = value(index);
                    HeaderName name = names[index];
                    if (name == HeaderName.CSEQ) {
                        CSeq.parse(v);
                    } else if (name == HeaderName.VIA) {
                        Via.parse(firstElement(v));
                    } else if (name == HeaderName.MAX_FORWARDS) {
                        HeaderValues.parseMaxForwards(v);
                    } else {
                        NameAddr.parse(v);
                    }
                } catch (SipSyntaxException e) {
                    failingOffset = valueOffset(index, e.offset());
                    return names[index].canonical();
                }
            }
            failingOffset = pos;
            return "header";
        }

        // ---- the common forms of the numeric keys, read from the bytes ----------------------
        //
        // Each accepts only the plain form (no folding, nothing unusual) and returns "not plain"
        // otherwise, so that the String parsers of the message package keep deciding every other
        // case with their own reasons and offsets: behaviour is theirs, only the allocation goes.

        /** 1*DIGIT with optional SP / HTAB around it in the value of header {@code index}, or -1. */
        private long plainNumber(int index, int maxDigits) {
            int i = spans[3 * index + 1];
            int stop = spans[3 * index + 2];
            i = skipWsp(i, stop);
            int start = i;
            long value = 0;
            while (i < stop && isDigit(src[i]) && i - start < maxDigits) {
                value = value * 10 + (src[i] - '0');
                i++;
            }
            if (i == start || skipWsp(i, stop) != stop) {
                return -1;
            }
            return value;
        }

        /** Max-Forwards = 1*DIGIT, 0..255 (RFC 3261 §20.22); unusual forms go to HeaderValues. */
        private int maxForwardsValue() {
            long plain = plainNumber(maxForwards, MAX_PLAIN_DIGITS);
            if (plain >= 0 && plain <= 255) {
                return (int) plain;
            }
            return HeaderValues.parseMaxForwards(value(maxForwards));
        }

        /**
         * CSeq = 1*DIGIT LWS Method (§20.16) for a number below 2^31 and a method this stack knows
         * (the interned constant), or null for CSeq.parse to decide.
         */
        private CSeq plainCSeq() {
            int i = spans[3 * cseq + 1];
            int stop = spans[3 * cseq + 2];
            i = skipWsp(i, stop);
            int start = i;
            long number = 0;
            while (i < stop && isDigit(src[i]) && i - start < 10) {
                number = number * 10 + (src[i] - '0');
                i++;
            }
            int methodStart = skipWsp(i, stop);
            if (i == start || methodStart == i || number >= 1L << 31) {
                return null;
            }
            int methodEnd = methodStart;
            while (methodEnd < stop && isTokenChar(src[methodEnd])) {
                methodEnd++;
            }
            String method = methodEnd > methodStart ? KnownMethods.lookup(src, methodStart, methodEnd) : null;
            if (method == null || skipWsp(methodEnd, stop) != stop) {
                return null;
            }
            return new CSeq(number, method);
        }

        private int skipWsp(int i, int stop) {
            while (i < stop && isWsp(src[i])) {
                i++;
            }
            return i;
        }

        /** SIP-Version as written; the usual "SIP/2.0" as the shared constant. */
        private String version(int start, int stop) {
            if (stop - start == 7 && src[start] == 'S' && src[start + 1] == 'I' && src[start + 2] == 'P'
                    && src[start + 3] == '/' && src[start + 4] == '2' && src[start + 5] == '.' && src[start + 6] == '0') {
                return SipMessage.SIP_2_0;
            }
            return ascii(start, stop);
        }

        private MessageKeys missing(HeaderName name) {
            fail("missing mandatory " + name.canonical() + " header", pos);
            return null;
        }

        // ---- results ---------------------------------------------------------------------

        private void fail(String reason, int at) {
            if (error == null) {
                error = reason;
                errorAt = at;
            }
        }

        private ParseResult.Invalid invalid(String reason, int at) {
            return new ParseResult.Invalid(reason, at - from, null);
        }

        private ParseResult finishInvalid() {
            return new ParseResult.Invalid(error, Math.max(0, errorAt - from), responseContext());
        }

        /** RFC 3261 §8.2.6.2: what a 400 must copy. Never for ACK, which is not answered (§17.2.1). */
        private ResponseContext responseContext() {
            // Via and CSeq are what the client transaction matches a response on (§17.1.3);
            // without them a 400 would reach nobody. From, To and Call-ID are copied when present.
            if (!request || method == null || "ACK".equals(method) || via < 0 || cseq < 0) {
                return null;
            }
            // A 400 echoing a CSeq without digits and a method could not be matched to the
            // client's transaction (RFC 3261 §17.1.3): drop instead. A number that is merely too
            // large (RFC 4475 scalar02) is echoed as the client sent it. A malformed Via is
            // echoed too (RFC 4475 badinv01 asks for a 400): the 400 goes to the packet's source.
            if (!cseqShape(value(cseq))) {
                return null;
            }
            List<String> vias = new ArrayList<>(2);
            for (int i = 0; i < count; i++) {
                if (names[i] == HeaderName.VIA) {
                    vias.add(value(i));
                }
            }
            return new ResponseContext(method, vias, fromHeader < 0 ? null : value(fromHeader),
                    toHeader < 0 ? null : value(toHeader), callId < 0 ? null : value(callId), value(cseq));
        }

        // ---- helpers ---------------------------------------------------------------------

        private String value(int index) {
            return headersValue(src, spans[3 * index + 1], spans[3 * index + 2]);
        }

        /**
         * The Call-ID read from the bytes when it is well-formed (callid = word [ "@" word ],
         * RFC 3261 §25.1, the rule of {@link #callIdError}), else null for the String path to
         * find the fault and its offset.
         */
        private String plainCallId() {
            int start = trimmedStart(callId);
            int stop = trimmedEnd(callId);
            if (start == stop) {
                return null;
            }
            boolean at = false;
            for (int i = start; i < stop; i++) {
                byte b = src[i];
                if (b == '@') {
                    if (at || i == start || i == stop - 1) {
                        return null;
                    }
                    at = true;
                } else if (b < 0 || !WORD[b]) {
                    return null;
                }
            }
            return new String(src, start, stop - start, StandardCharsets.ISO_8859_1);
        }

        /** Start of the value of header {@code index} without the whitespace Headers.unfold drops. */
        private int trimmedStart(int index) {
            int i = spans[3 * index + 1];
            int stop = spans[3 * index + 2];
            while (i < stop && isWhitespaceOrBreak(src[i])) {
                i++;
            }
            return i;
        }

        /** End of the value of header {@code index} without the whitespace Headers.unfold drops. */
        private int trimmedEnd(int index) {
            int start = trimmedStart(index);
            int i = spans[3 * index + 2];
            while (i > start && isWhitespaceOrBreak(src[i - 1])) {
                i--;
            }
            return i;
        }

        private int span(int index, int part) {
            return spans[3 * index + part];
        }

        private int valueOffset(int index, int offsetInValue) {
            int start = spans[3 * index + 1];
            while (start < end && isWsp(src[start])) {
                start++;
            }
            return start + Math.max(0, offsetInValue);
        }

        private boolean startsWithSipVersion(int start, int lineEnd) {
            return lineEnd - start >= 4 && (src[start] | 0x20) == 's' && (src[start + 1] | 0x20) == 'i'
                    && (src[start + 2] | 0x20) == 'p' && src[start + 3] == '/';
        }

        /** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (literal case-insensitive, RFC 2234). */
        private boolean sipVersion(int start, int stop) {
            if (!startsWithSipVersion(start, stop)) {
                return false;
            }
            int i = start + 4;
            int digits = 0;
            while (i < stop && isDigit(src[i])) {
                i++;
                digits++;
            }
            if (digits == 0 || i >= stop || src[i] != '.') {
                return false;
            }
            i++;
            digits = 0;
            while (i < stop && isDigit(src[i])) {
                i++;
                digits++;
            }
            return digits > 0 && i == stop;
        }

        private String method(int start, int stop) {
            String known = KnownMethods.lookup(src, start, stop);
            return known != null ? known : ascii(start, stop);
        }

        private String ascii(int start, int stop) {
            return new String(src, start, stop - start, StandardCharsets.ISO_8859_1);
        }

        private int indexOf(byte b, int start, int stop) {
            for (int i = start; i < stop; i++) {
                if (src[i] == b) {
                    return i;
                }
            }
            return -1;
        }

        private int indexOfWhitespace(int start, int stop) {
            for (int i = start; i < stop; i++) {
                if (isWsp(src[i])) {
                    return i;
                }
            }
            return stop;
        }
    }

    /** 1*DIGIT LWS token: enough of a CSeq for a client to match a response on. */
    static boolean cseqShape(String value) {
        int i = 0;
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            i++;
        }
        if (i == 0 || i == value.length() || (value.charAt(i) != ' ' && value.charAt(i) != '\t')) {
            return false;
        }
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
            i++;
        }
        if (i == value.length()) {
            return false;
        }
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 128 || !TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    /** The first element of a comma list, skipping commas in quotes and angle brackets. */
    static String firstElement(String value) {
        boolean quoted = false;
        int angle = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (c == ',' && angle == 0) {
                return value.substring(0, i).trim();
            }
        }
        return value;
    }

    /**
     * Returns the offset in {@code value} of the first character not allowed in a Call-ID
     * (RFC 3261 §25.1: callid = word [ "@" word ]), or -1 when it is well-formed.
     */
    static int callIdError(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        int at = -1;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '@') {
                if (at >= 0 || i == 0 || i == value.length() - 1) {
                    return i;
                }
                at = i;
            } else if (!isWordChar(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@link #isWordChar} as a table over ASCII, for the bytes. */
    private static final boolean[] WORD = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            WORD[c] = isWordChar(c);
        }
    }

    private static boolean isWordChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "-.!%*_+`'~()<>:\\\"/[]?{}".indexOf(c) >= 0;
    }

    private static String headersValue(byte[] src, int start, int end) {
        return Headers.unfold(src, start, end);
    }

    static boolean isWhitespaceOrBreak(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** token chars of RFC 3261 §25.1: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~". */
    static boolean isTokenChar(byte b) {
        return b >= 0 && TOKEN[b];
    }

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }
}
