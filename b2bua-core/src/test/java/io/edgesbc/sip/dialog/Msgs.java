package io.edgesbc.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SampleMessages;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.parse.SipWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

/** Test messages from text (written with \n, sent with CRLF) and small fakes. */
final class Msgs {
    private static final SipParser PARSER = new SipParser();

    private Msgs() {
    }

    static SipMessage parse(String text) {
        ParseResult r = PARSER.parseDatagram(SampleMessages.crlf(text));
        assertThat(r).as("test message must parse: %s", r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).message();
    }

    static SipRequest request(String text) {
        return (SipRequest) parse(text);
    }

    static SipResponse response(String text) {
        return (SipResponse) parse(text);
    }

    /** Writes and re-parses: what a peer would receive. */
    static SipMessage roundTrip(SipMessage m) {
        ParseResult r = PARSER.parseDatagram(SipWriter.toBytes(m));
        assertThat(r).as("must re-parse: %s", r).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) r).message();
    }

    /** Tags "t1", "t2", ... */
    static TagGenerator counting() {
        AtomicInteger n = new AtomicInteger();
        return () -> "t" + n.incrementAndGet();
    }

    /** A clock that moves only when told. */
    static final class FakeClock extends Clock {
        private Instant now = Instant.parse("2024-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A plain INVITE outside a dialog; {@code extra} header lines go before Content-Length. */
    static String invite(String extra) {
        return """
                INVITE sip:bob@sbc.example.net SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinv1
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKproxy
                Max-Forwards: 70
                To: <sip:bob@sbc.example.net>
                From: "Alice" <sip:alice@example.com>;tag=a1
                Call-ID: call-1@192.0.2.10
                CSeq: 10 INVITE
                Contact: <sip:alice@192.0.2.10:5060>
                """ + extra + "Content-Length: 0\n\n";
    }
}
