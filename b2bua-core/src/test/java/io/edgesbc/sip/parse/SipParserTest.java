package io.edgesbc.sip.parse;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipUri;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SipParserTest {

    private final SipParser parser = new SipParser();

    private SipMessage parse(byte[] bytes) {
        ParseResult result = parser.parseDatagram(bytes);
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        return ((ParseResult.Parsed) result).message();
    }

    private ParseResult.Invalid invalid(String text) {
        ParseResult result = parser.parseDatagram(crlf(text));
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        return (ParseResult.Invalid) result;
    }

    @Test
    void readsTheRoutingKeysOfARealisticInvite() {
        SipRequest invite = (SipRequest) parse(crlf(SampleMessages.INVITE));

        assertThat(invite.method()).isEqualTo("INVITE");
        assertThat(invite.requestUri()).isInstanceOf(SipUri.class);
        assertThat(((SipUri) invite.requestUri()).user()).isEqualTo("+4930123456");
        assertThat(invite.version()).isEqualTo("SIP/2.0");
        assertThat(invite.topVia().branch()).isEqualTo("z9hG4bK776asdhds");
        assertThat(invite.topVia().host()).isEqualTo("192.0.2.10");
        assertThat(invite.topVia().port()).isEqualTo(5060);
        assertThat(invite.topVia().hasRport()).isTrue();
        assertThat(invite.cseq().number()).isEqualTo(314159);
        assertThat(invite.cseq().method()).isEqualTo("INVITE");
        assertThat(invite.callId()).isEqualTo("a84b4c76e66710@pc33.carrier.example.com");
        assertThat(invite.fromTag()).isEqualTo("1928301774");
        assertThat(invite.toTag()).isNull();
        assertThat(invite.from().displayName()).isEqualTo("Alice");
        assertThat(invite.maxForwards()).isEqualTo(70);
        assertThat(invite.contentLength()).isEqualTo(invite.bodyLength());
        assertThat(invite.bodyText()).startsWith("v=0\r\n").contains("m=audio 49170");
        assertThat(invite.contentType().mediaType()).isEqualTo("application/sdp");
        assertThat(invite.supported()).containsExactly("100rel", "timer", "replaces");
        assertThat(invite.allow()).contains("INVITE", "PRACK", "UPDATE");
        assertThat(invite.headers().first(HeaderName.SESSION_EXPIRES)).isEqualTo("1800;refresher=uac");
        assertThat(invite.headers().first(HeaderName.of("p-asserted-identity")))
                .isEqualTo("<sip:+4940987654@carrier.example.com;user=phone>");
    }

    @Test
    void readsAResponse() {
        SipResponse ok = (SipResponse) parse(crlf(SampleMessages.OK_200));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.reasonPhrase()).isEqualTo("OK");
        assertThat(ok.method()).isEqualTo("INVITE");
        assertThat(ok.toTag()).isEqualTo("a6c85cf");
        assertThat(ok.topVia().received()).isEqualTo("192.0.2.10");
        assertThat(ok.topVia().rport()).isEqualTo(5060);
        assertThat(ok.bodyLength()).isZero();
    }

    @Test
    void compactAndLongHeaderNamesAreOneName() {
        SipMessage m = parse(crlf("""
                OPTIONS sip:sbc.example.net SIP/2.0
                v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1
                f: <sip:a@example.com>;tag=1
                t: <sip:sbc.example.net>
                i: abc@192.0.2.1
                CSEQ: 1 OPTIONS
                k: timer
                l: 0

                """));
        assertThat(m.callId()).isEqualTo("abc@192.0.2.1");
        assertThat(m.headers().name(0)).isSameAs(HeaderName.VIA);
        assertThat(m.headers().first(HeaderName.of("Call-ID"))).isEqualTo("abc@192.0.2.1");
        assertThat(m.supported()).containsExactly("timer");
        assertThat(m.contentLength()).isZero();
    }

    @Test
    void unfoldsContinuationLinesAndAcceptsLooseColonSpacing() {
        SipMessage m = parse(crlf("""
                OPTIONS sip:sbc.example.net SIP/2.0
                Via  :   SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1
                From: <sip:a@example.com>
                  ;tag=1
                To:<sip:sbc.example.net>
                Call-ID: abc
                CSeq: 1 OPTIONS
                Subject: one
                \ttwo

                """));
        assertThat(m.fromTag()).isEqualTo("1");
        assertThat(m.headers().first(HeaderName.SUBJECT)).isEqualTo("one two");
        assertThat(m.topVia().branch()).isEqualTo("z9hG4bK1");
    }

    @Test
    void ignoresBytesAfterTheBodyInADatagram() {
        byte[] wire = crlf(SampleMessages.OK_200.replace("Content-Length: 0", "Content-Length: 4")
                + "bodyJUNK");
        SipMessage m = parse(wire);
        assertThat(m.bodyText()).isEqualTo("body");
        assertThat(new String(SipWriter.toBytes(m), StandardCharsets.UTF_8)).endsWith("\r\n\r\nbody");
    }

    @Test
    void withoutContentLengthTheDatagramBodyRunsToTheEnd() {
        byte[] wire = crlf(SampleMessages.OK_200.replace("Content-Length: 0\n", "") + "hello");
        SipMessage m = parse(wire);
        assertThat(m.bodyText()).isEqualTo("hello");
        assertThat(m.contentLength()).isEqualTo(-1);
    }

    @Test
    void contentLengthBeyondTheDatagramIsInvalidButAnswerable() {
        String text = SampleMessages.INVITE.replaceFirst("Content-Length: \\d+", "Content-Length: 9999");
        byte[] wire = crlf(text);
        ParseResult.Invalid invalid = (ParseResult.Invalid) parser.parseDatagram(wire);
        assertThat(invalid.reason()).contains("Content-Length 9999 exceeds");
        String atOffset = new String(wire, invalid.offset(), 6, StandardCharsets.US_ASCII);
        assertThat(atOffset).isEqualTo(" 9999\r");
        assertThat(invalid.responseContext()).hasValueSatisfying(ctx -> {
            assertThat(ctx.method()).isEqualTo("INVITE");
            assertThat(ctx.vias()).containsExactly("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport");
            assertThat(ctx.callId()).isEqualTo("a84b4c76e66710@pc33.carrier.example.com");
            assertThat(ctx.cseq()).isEqualTo("314159 INVITE");
            assertThat(ctx.from()).endsWith(";tag=1928301774");
            assertThat(ctx.to()).isEqualTo("<sip:+4930123456@sbc.example.net;user=phone>");
        });
    }

    @Test
    void aMalformedLineAfterTheKeysStillLetsUsAnswer() {
        ParseResult.Invalid invalid = invalid("""
                OPTIONS sip:sbc.example.net SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: abc
                CSeq: 1 OPTIONS
                this line has no colon

                """);
        assertThat(invalid.reason()).isEqualTo("no colon after header field name");
        assertThat(invalid.canAnswer()).isTrue();
    }

    @Test
    void missingViaCannotBeAnswered() {
        ParseResult.Invalid invalid = invalid("""
                OPTIONS sip:sbc.example.net SIP/2.0
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: abc
                CSeq: 1 OPTIONS

                """);
        assertThat(invalid.reason()).isEqualTo("missing mandatory Via header");
        assertThat(invalid.canAnswer()).isFalse();
    }

    @Test
    void secondCallIdIsInvalid() {
        ParseResult.Invalid invalid = invalid("""
                OPTIONS sip:sbc.example.net SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: abc
                Call-ID: def
                CSeq: 1 OPTIONS

                """);
        assertThat(invalid.reason()).isEqualTo("more than one Call-ID header");
    }

    @Test
    void requestLineNeedsSingleSpaces() {
        ParseResult.Invalid invalid = invalid("""
                OPTIONS  sip:sbc.example.net SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: abc
                CSeq: 1 OPTIONS

                """);
        assertThat(invalid.reason()).contains("exactly one SP");
        assertThat(invalid.offset()).isEqualTo("OPTIONS ".length());
        assertThat(invalid.canAnswer()).isTrue();
    }

    @Test
    void aMalformedViaIsNamedInTheReason() {
        ParseResult.Invalid invalid = invalid("""
                OPTIONS sip:sbc.example.net SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1:70000;branch=z9hG4bK1
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: abc
                CSeq: 1 OPTIONS

                """);
        assertThat(invalid.reason()).startsWith("malformed Via");
    }

    @Test
    void otherVersionsParseSoTheUasCanAnswer505() {
        SipRequest m = (SipRequest) parse(crlf("""
                OPTIONS sip:sbc.example.net SIP/7.0
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: abc
                CSeq: 1 OPTIONS

                """));
        assertThat(m.version()).isEqualTo("SIP/7.0");
    }

    @Test
    void onlyLineBreaksIsAKeepAlive() {
        assertThat(parser.parseDatagram("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ParseResult.KeepAlive.class);
        assertThat(parser.parseDatagram(new byte[0])).isInstanceOf(ParseResult.Invalid.class);
    }

    @Test
    void enforcesTheConfiguredLimits() {
        SipParser small = new SipParser(new ParseLimits(40, 4096, 5, 10));
        ParseResult tooManyHeaders = small.parseDatagram(crlf(SampleMessages.OK_200));
        assertThat(tooManyHeaders).isInstanceOfSatisfying(ParseResult.Invalid.class,
                i -> assertThat(i.reason()).isEqualTo("more than 5 header lines"));
        ParseResult longStartLine = small.parseDatagram(crlf(SampleMessages.INVITE));
        assertThat(longStartLine).isInstanceOfSatisfying(ParseResult.Invalid.class,
                i -> assertThat(i.reason()).isEqualTo("start line longer than 40 bytes"));
        SipParser tinyBody = new SipParser(new ParseLimits(8192, 4096, 50, 10));
        assertThat(tinyBody.parseDatagram(crlf(SampleMessages.INVITE))).isInstanceOfSatisfying(
                ParseResult.Invalid.class, i -> assertThat(i.reason()).contains("exceeds the limit of 10"));
    }

    @Test
    void writesAnUnchangedMessageBackByteExact() {
        byte[] wire = crlf(SampleMessages.INVITE.replace("Max-Forwards: 70", "max-forwards:    70")
                .replace("User-Agent: CarrierSwitch/4.2", "X-Odd :  a\n   b"));
        SipMessage m = parse(wire);
        assertThat(SipWriter.toBytes(m)).isEqualTo(wire);
    }

    @Test
    void editedMessagesAreCanonicalWithUnknownHeadersKeptExact() {
        byte[] wire = crlf(SampleMessages.INVITE.replace("User-Agent: CarrierSwitch/4.2", "X-Odd :  a\n   b")
                .replace("Max-Forwards: 70", "max-forwards:    70"));
        SipRequest m = (SipRequest) parse(wire);
        SipRequest edited = m.toBuilder()
                .set(HeaderName.MAX_FORWARDS, "69")
                .body("application/sdp", "v=0\r\n")
                .build();
        String out = new String(SipWriter.toBytes(edited), StandardCharsets.UTF_8);
        assertThat(out).contains("\r\nMax-Forwards: 69\r\n")
                .contains("\r\nX-Odd :  a\r\n   b\r\n")
                .contains("\r\nContent-Length: 5\r\n")
                .endsWith("\r\n\r\nv=0\r\n");
        SipMessage reparsed = parse(out.getBytes(StandardCharsets.UTF_8));
        assertThat(reparsed).isEqualTo(edited);
        assertThat(reparsed.maxForwards()).isEqualTo(69);
    }

    @Test
    void anUneditedBuilderReturnsTheSameMessage() {
        SipMessage m = parse(crlf(SampleMessages.OK_200));
        assertThat(m.toBuilder().build()).isSameAs(m);
    }

    @Test
    void theParserDoesNotCopyOrChangeTheInput() {
        byte[] wire = crlf(SampleMessages.OK_200);
        byte[] before = Arrays.copyOf(wire, wire.length);
        parse(wire);
        assertThat(wire).isEqualTo(before);
    }
}
