package io.edgesbc.sip.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.RandomAccess;

/**
 * The header section of a message: header field lines in the order they arrived, immutable.
 *
 * <p>A parsed message keeps its header lines as spans over the received bytes; values become
 * Strings only when asked (and are then memoised). That keeps a parse cheap: most headers of a
 * relayed message are never read by EdgeSBC. A header line that came off the wire and was not
 * edited remembers its exact bytes, so an unknown header is written back byte-exact even in an
 * edited message.
 *
 * <p>Thread-safety: immutable; the memoised values are written racily but idempotently (a String
 * computed from immutable bytes), which is safe under the Java memory model.
 */
public final class Headers extends AbstractList<Header> implements RandomAccess {

    static final Headers EMPTY = new Headers(null, new HeaderName[0], new String[0], new int[0], 0, 0);

    /** Bytes the spans point into; null when no header came off the wire. */
    private final byte[] source;
    private final HeaderName[] names;
    /**
     * Unfolded values; entries of parsed headers are filled on first use. For a parsed section
     * the array itself is made on the first {@link #value} call (most relayed messages never
     * ask for a value the codec has not already read), so it may be null.
     */
    private String[] values;
    /**
     * Three ints per header: line start, value start, line end (before the CRLF) in
     * {@link #source}; line start is -1 for a header that was added or edited.
     */
    private final int[] spans;
    private final int size;
    /**
     * Bit i (i < 64): line i is a known header that arrived exactly as the canonical writer would
     * write it ("Long-Name: value", one line, ASCII, followed by CRLF) and was not edited. Found
     * by the codec while framing; lets an edited message copy such lines instead of rewriting
     * them. Lines beyond 64 are simply never marked.
     */
    private final long canonicalLines;

    Headers(byte[] source, HeaderName[] names, String[] values, int[] spans, int size, long canonicalLines) {
        this.source = source;
        this.names = names;
        this.values = values;
        this.spans = spans;
        this.size = size;
        this.canonicalLines = canonicalLines;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Header get(int index) {
        return new Header(name(index), value(index));
    }

    public HeaderName name(int index) {
        checkIndex(index);
        return names[index];
    }

    /** The unfolded, trimmed value of the header at {@code index}. */
    public String value(int index) {
        checkIndex(index);
        String[] memo = values;
        if (memo == null) {
            // Racy like the entries: a thread that loses the race only loses its memo entries.
            memo = new String[size];
            values = memo;
        }
        String value = memo[index];
        if (value == null) {
            value = unfold(source, spans[3 * index + 1], spans[3 * index + 2]);
            memo[index] = value;
        }
        return value;
    }

    /** The value of the first header with this name, or null. */
    public String first(HeaderName name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /** Index of the first header with this name at or after {@code from}, or -1. */
    public int indexOf(HeaderName name, int from) {
        for (int i = from; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(HeaderName name) {
        return indexOf(name, 0) >= 0;
    }

    public int count(HeaderName name) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                n++;
            }
        }
        return n;
    }

    /** The values of every header line with this name, one entry per line. */
    public List<String> lines(HeaderName name) {
        List<String> out = null;
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(value(i));
            }
        }
        return out == null ? List.of() : Collections.unmodifiableList(out);
    }

    /**
     * The values of a header that may be a comma list (RFC 3261 §7.3.1): every line with this
     * name, split at top-level commas, in order. For {@link HeaderName.Kind#REPEATABLE} and
     * {@link HeaderName.Kind#SINGLE} names the lines are returned unsplit.
     */
    public List<String> values(HeaderName name) {
        if (name.kind() != HeaderName.Kind.LIST) {
            return lines(name);
        }
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                out.addAll(HeaderValues.splitList(value(i)));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** True when the header at {@code index} still has the exact bytes it arrived with. */
    public boolean hasSourceLine(int index) {
        checkIndex(index);
        return source != null && spans[3 * index] >= 0;
    }

    /**
     * Length of the header line at {@code index} as received (name, colon, value and any
     * folding, without the final CRLF), or -1 when the line was added or edited.
     */
    public int sourceLineLength(int index) {
        return hasSourceLine(index) ? spans[3 * index + 2] - spans[3 * index] : -1;
    }

    /** Copies the line at {@code index} as received into {@code dst} at {@code at}; returns its length. */
    public int copySourceLine(int index, byte[] dst, int at) {
        int length = sourceLineLength(index);
        if (length < 0) {
            throw new IllegalStateException("header " + index + " has no source line");
        }
        System.arraycopy(source, spans[3 * index], dst, at, length);
        return length;
    }

    /**
     * Length of the value of the header at {@code index} as received, when those bytes are
     * exactly its {@link #value} in UTF-8: a line that was not edited, is not folded and is
     * ASCII. Otherwise -1 (the value must then be written from its String). Lets a writer copy
     * the value instead of encoding it again.
     */
    public int plainSourceValueLength(int index) {
        if (!hasSourceLine(index)) {
            return -1;
        }
        int start = trimmedValueStart(index);
        int end = trimmedValueEnd(index, start);
        return isPlainText(source, start, end) ? end - start : -1;
    }

    /**
     * Copies the value of the header at {@code index} as received (without the whitespace
     * around it) into {@code dst} at {@code at}; returns its length. It is the value's UTF-8
     * only when {@link #plainSourceValueLength} said so, which the caller checks (a writer
     * measures every line before it writes any, so this does not scan the value again).
     */
    public int copyPlainSourceValue(int index, byte[] dst, int at) {
        if (!hasSourceLine(index)) {
            throw new IllegalStateException("header " + index + " has no source line");
        }
        int start = trimmedValueStart(index);
        int length = trimmedValueEnd(index, start) - start;
        System.arraycopy(source, start, dst, at, length);
        return length;
    }

    /**
     * True when the header at {@code index} is written by a canonical writer exactly as it was
     * received, CRLF included: an untouched unknown header (always written as received) or a
     * known one that arrived in canonical form (see {@link #canonicalLines}).
     */
    public boolean isWrittenAsReceived(int index) {
        checkIndex(index);
        if (source == null || spans[3 * index] < 0) {
            return false;
        }
        if (names[index].isKnown() && (index >= Long.SIZE || (canonicalLines & (1L << index)) == 0)) {
            return false;
        }
        int lineEnd = spans[3 * index + 2];
        return lineEnd + 1 < source.length && source[lineEnd] == '\r' && source[lineEnd + 1] == '\n';
    }

    /**
     * The index after the run of lines from {@code from} that are {@link #isWrittenAsReceived}
     * and lie one after the other in the received bytes; {@code from} itself when that line is
     * not. Such a run is one block of bytes, copied at once.
     */
    public int receivedRunEnd(int from) {
        int i = from;
        while (i < size && isWrittenAsReceived(i)
                && (i == from || spans[3 * i] == spans[3 * (i - 1) + 2] + 2)) {
            i++;
        }
        return i;
    }

    /** Length of the lines [from, to) as received, each with its CRLF (a run, see {@link #receivedRunEnd}). */
    public int receivedRunLength(int from, int to) {
        return spans[3 * (to - 1) + 2] + 2 - spans[3 * from];
    }

    /** Copies the run [from, to) as received into {@code dst} at {@code at}; returns its length. */
    public int copyReceivedRun(int from, int to, byte[] dst, int at) {
        int length = receivedRunLength(from, to);
        System.arraycopy(source, spans[3 * from], dst, at, length);
        return length;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EVERY_BYTE_0x80 = 0x8080808080808080L;
    private static final long EVERY_BYTE_SP = 0x2020202020202020L;

    /**
     * True when every byte is SP..DEL or HTAB: ASCII (no negative byte) and no line break (CR
     * and LF are below SP). Other controls are refused too, which only sends such a value the
     * slower way. Eight bytes at a time: a word with no byte of bit 0x80 and none below SP (the
     * classic "has a byte less than n" test) needs no look at its bytes; only a word that
     * fails, usually for an HTAB, is checked byte by byte.
     */
    private static boolean isPlainText(byte[] b, int start, int end) {
        int i = start;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONGS.get(b, i);
            if (((w | ((w - EVERY_BYTE_SP) & ~w)) & EVERY_BYTE_0x80) != 0 && !isPlainText8(b, i)) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (!isPlainByte(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainText8(byte[] b, int i) {
        for (int k = i; k < i + 8; k++) {
            if (!isPlainByte(b[k])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainByte(byte c) {
        return c >= ' ' || c == '\t';
    }

    /** Value start after the leading whitespace that {@link #unfold} drops. */
    private int trimmedValueStart(int index) {
        int start = spans[3 * index + 1];
        int end = spans[3 * index + 2];
        while (start < end && isWhitespaceOrBreak(source[start])) {
            start++;
        }
        return start;
    }

    /** Value end before the trailing whitespace that {@link #unfold} drops. */
    private int trimmedValueEnd(int index, int start) {
        int end = spans[3 * index + 2];
        while (end > start && isWhitespaceOrBreak(source[end - 1])) {
            end--;
        }
        return end;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
    }

    /**
     * Unfolds a header value (RFC 3261 §7.3.1): each line break followed by whitespace becomes a
     * single SP; leading and trailing whitespace is dropped. Bytes are UTF-8 (RFC 3261 §7.3.1
     * allows UTF-8 in TEXT-UTF8 values).
     */
    public static String unfold(byte[] src, int start, int end) {
        // A value may begin on a continuation line ("To:" CRLF SP "sip:..."): skip that fold too.
        while (start < end && isWhitespaceOrBreak(src[start])) {
            start++;
        }
        while (end > start && isWhitespaceOrBreak(src[end - 1])) {
            end--;
        }
        boolean folded = false;
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            byte b = src[i];
            if (b == '\r' || b == '\n') {
                folded = true;
            } else if (b < 0) {
                ascii = false;
            }
        }
        if (!folded) {
            return new String(src, start, end - start, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        int i = start;
        while (i < end) {
            byte b = src[i];
            if (b == '\r' || b == '\n') {
                // Drop trailing whitespace already written, then the break and the indentation.
                while (n > 0 && isWsp(out[n - 1])) {
                    n--;
                }
                while (i < end && (src[i] == '\r' || src[i] == '\n' || isWsp(src[i]))) {
                    i++;
                }
                out[n++] = ' ';
            } else {
                out[n++] = b;
                i++;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    static boolean isWsp(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isWhitespaceOrBreak(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** Builds a header section from parsed spans; used by the codec. */
    public static Headers fromSource(byte[] source, HeaderName[] names, int[] spans, int size) {
        return fromSource(source, names, spans, size, 0);
    }

    /**
     * Same, with the lines the codec found in canonical form (bit i for line i, see
     * {@link #isWrittenAsReceived}): the caller vouches that each marked line is a known header
     * whose received bytes are exactly "Long-Name: value" followed by CRLF.
     */
    public static Headers fromSource(byte[] source, HeaderName[] names, int[] spans, int size, long canonicalLines) {
        return new Headers(source, names, null, spans, size, canonicalLines);
    }

    /**
     * A mutable, ordered list of header lines used by message builders. Parallel arrays (name,
     * value, span, canonical mark) rather than lists of per-line objects: a B2BUA edit copies a
     * whole header section, so starting one should cost a few array copies, not an object per line.
     */
    static final class Editor {
        private final byte[] source;
        private HeaderName[] names;
        /** Values set by an edit, or memoised from the source; null when not read yet. */
        private String[] values;
        /** Three ints per line as in {@link Headers#spans}; line start -1 for an added or edited line. */
        private int[] spans;
        private long canonicalLines;
        private int size;

        Editor(Headers from) {
            this.source = from.source;
            this.size = from.size;
            int capacity = from.size + 4;
            this.names = java.util.Arrays.copyOf(from.names, capacity);
            this.values = from.values == null ? new String[capacity] : java.util.Arrays.copyOf(from.values, capacity);
            this.spans = java.util.Arrays.copyOf(from.spans, 3 * capacity);
            if (from.source == null) {
                for (int i = 0; i < size; i++) {
                    spans[3 * i] = -1;
                }
            }
            this.canonicalLines = from.canonicalLines;
        }

        int size() {
            return size;
        }

        HeaderName name(int i) {
            java.util.Objects.checkIndex(i, size);
            return names[i];
        }

        String value(int i) {
            java.util.Objects.checkIndex(i, size);
            String v = values[i];
            if (v == null) {
                v = unfold(source, spans[3 * i + 1], spans[3 * i + 2]);
                values[i] = v;
            }
            return v;
        }

        void add(int index, HeaderName name, String value) {
            java.util.Objects.checkIndex(index, size + 1);
            if (size == names.length) {
                int capacity = 2 * size + 4;
                names = java.util.Arrays.copyOf(names, capacity);
                values = java.util.Arrays.copyOf(values, capacity);
                spans = java.util.Arrays.copyOf(spans, 3 * capacity);
            }
            System.arraycopy(names, index, names, index + 1, size - index);
            System.arraycopy(values, index, values, index + 1, size - index);
            System.arraycopy(spans, 3 * index, spans, 3 * index + 3, 3 * (size - index));
            canonicalLines = insertBit(canonicalLines, index);
            size++;
            put(index, name, value);
        }

        void set(int index, HeaderName name, String value) {
            java.util.Objects.checkIndex(index, size);
            put(index, name, value);
        }

        private void put(int index, HeaderName name, String value) {
            names[index] = name;
            values[index] = value;
            spans[3 * index] = -1;
            spans[3 * index + 1] = -1;
            spans[3 * index + 2] = -1;
            if (index < Long.SIZE) {
                canonicalLines &= ~(1L << index);
            }
        }

        void remove(int index) {
            java.util.Objects.checkIndex(index, size);
            System.arraycopy(names, index + 1, names, index, size - index - 1);
            System.arraycopy(values, index + 1, values, index, size - index - 1);
            System.arraycopy(spans, 3 * index + 3, spans, 3 * index, 3 * (size - index - 1));
            canonicalLines = removeBit(canonicalLines, index);
            size--;
            names[size] = null;
            values[size] = null;
        }

        /** The marks of lines at and after {@code index} move up by one; the new line's bit is clear. */
        private static long insertBit(long bits, int index) {
            if (index >= Long.SIZE) {
                return bits;
            }
            long below = bits & ((1L << index) - 1);
            return below | ((bits & ~((1L << index) - 1)) << 1);
        }

        /** The marks of lines after {@code index} move down by one. */
        private static long removeBit(long bits, int index) {
            if (index >= Long.SIZE) {
                return bits;
            }
            long below = bits & ((1L << index) - 1);
            long above = index == Long.SIZE - 1 ? 0 : (bits >>> 1) & ~((1L << index) - 1);
            // A line that moves down into bit 63 from beyond 64 has no mark to bring.
            return below | (above & ~(1L << (Long.SIZE - 1)));
        }

        int indexOf(HeaderName name, int from) {
            for (int i = from; i < size; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        /** Sets Content-Length to {@code length}, keeping an existing line that already says so. */
        void setOrAppendContentLength(int length) {
            int i = indexOf(HeaderName.CONTENT_LENGTH, 0);
            String text = Integer.toString(length);
            if (i < 0) {
                add(size(), HeaderName.CONTENT_LENGTH, text);
                return;
            }
            if (!text.equals(value(i))) {
                set(i, HeaderName.CONTENT_LENGTH, text);
            }
            int j;
            while ((j = indexOf(HeaderName.CONTENT_LENGTH, i + 1)) >= 0) {
                remove(j);
            }
        }

        Headers build() {
            boolean anySource = false;
            for (int i = 0; i < size && !anySource; i++) {
                anySource = spans[3 * i] >= 0;
            }
            return new Headers(anySource ? source : null, java.util.Arrays.copyOf(names, size),
                    java.util.Arrays.copyOf(values, size), java.util.Arrays.copyOf(spans, 3 * size), size,
                    anySource ? canonicalLines : 0);
        }
    }
}
