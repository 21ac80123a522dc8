package io.edgesbc.bench;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SampleMessages;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.parse.SipWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec's hot path: parse a realistic 1 kB INVITE with SDP (frame + the keys every message
 * needs) and write it back. Run as described in docs/BENCHMARKS.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    private final SipParser parser = new SipParser();
    private byte[] invite;
    private SipMessage parsed;
    private SipMessage edited;
    private SipMessage b2bEdited;

    @Setup
    public void setUp() {
        invite = SampleMessages.crlf(SampleMessages.INVITE);
        parsed = ((ParseResult.Parsed) parser.parseDatagram(invite)).message();
        edited = parsed.toBuilder().set(HeaderName.MAX_FORWARDS, "69").build();
        b2bEdited = b2bEdit(parsed);
    }

    /**
     * The typical B2BUA edit of a relayed request: our Via instead of the caller's, our Contact,
     * Max-Forwards one less, our User-Agent; the other lines pass as received.
     */
    private static SipMessage b2bEdit(SipMessage m) {
        return m.toBuilder()
                .replaceFirst(HeaderName.VIA, "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-1-5f3a9c0d7e21;rport")
                .set(HeaderName.CONTACT, "<sip:198.51.100.1:5060>")
                .set(HeaderName.MAX_FORWARDS, "69")
                .set(HeaderName.USER_AGENT, "EdgeSBC")
                .build();
    }

    /** Frame the message and read the routing keys (top Via, CSeq, Call-ID, tags, Max-Forwards, Content-Length). */
    @Benchmark
    public void parseInvite(Blackhole bh) {
        SipMessage m = ((ParseResult.Parsed) parser.parseDatagram(invite)).message();
        bh.consume(m.topVia().branch());
        bh.consume(m.cseq());
        bh.consume(m.callId());
        bh.consume(m.fromTag());
        bh.consume(m.toTag());
        bh.consume(m.maxForwards());
        bh.consume(m.contentLength());
    }

    /** Write an unchanged parsed message (byte-exact copy). */
    @Benchmark
    public byte[] serialiseUnchanged() {
        return SipWriter.toBytes(parsed);
    }

    /** Write an edited message (Max-Forwards changed) in canonical form. */
    @Benchmark
    public byte[] serialiseEdited() {
        return SipWriter.toBytes(edited);
    }

    /** Write a message with the typical B2BUA edit (Via, Contact, Max-Forwards, User-Agent) in canonical form. */
    @Benchmark
    public byte[] serialiseB2bEdited() {
        return SipWriter.toBytes(b2bEdited);
    }

    /** Make the typical B2BUA edit of a parsed message and write it: builder plus writer. */
    @Benchmark
    public byte[] editAndSerialise() {
        return SipWriter.toBytes(b2bEdit(parsed));
    }
}
