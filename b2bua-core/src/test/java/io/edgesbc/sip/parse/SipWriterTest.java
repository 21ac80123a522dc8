package io.edgesbc.sip.parse;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The canonical writer copies a value as received only when those bytes are its unfolded UTF-8;
 * every other value (folded, non-ASCII, invalid UTF-8, edited) is written from its String.
 */
class SipWriterTest {

    private static final SipParser PARSER = new SipParser();

    private static SipMessage parse(byte[] wire) {
        return ((ParseResult.Parsed) PARSER.parseDatagram(wire)).message();
    }

    @Test
    void editedMessageWritesEachKnownValueUnfoldedWithItsLongName() {
        byte[] wire = crlf("""
                INVITE sip:bob@example.com SIP/2.0
                v: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa\t 
                Max-Forwards: 70
                t: <sip:bob@example.com>
                f:   "Zoë" <sip:a@example.com>;tag=a
                Call-ID: a@host
                CSeq: 1 INVITE
                Subject: first line
                  second line
                X-Odd:   kept   as sent
                Content-Length: 0

                """);
        SipMessage edited = parse(wire).toBuilder().set(HeaderName.MAX_FORWARDS, "69").build();
        String out = new String(SipWriter.toBytes(edited), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(String.join("\r\n",
                "INVITE sip:bob@example.com SIP/2.0",
                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa",
                "Max-Forwards: 69",
                "To: <sip:bob@example.com>",
                "From: \"Zoë\" <sip:a@example.com>;tag=a",
                "Call-ID: a@host",
                "CSeq: 1 INVITE",
                "Subject: first line second line",
                "X-Odd:   kept   as sent",
                "Content-Length: 0",
                "", ""));
        assertThat(parse(SipWriter.toBytes(edited))).isEqualTo(edited);
    }

    @Test
    void invalidUtf8InAKnownValueIsWrittenAsItsDecodedString() {
        byte[] head = crlf("""
                OPTIONS sip:bob@example.com SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa
                To: <sip:bob@example.com>
                From: <sip:a@example.com>;tag=a
                Call-ID: a@host
                CSeq: 1 OPTIONS
                Subject: X
                Content-Length: 0

                """);
        String text = new String(head, StandardCharsets.ISO_8859_1).replace("Subject: X", "Subject: \u00ff");
        SipMessage m = parse(text.getBytes(StandardCharsets.ISO_8859_1));
        SipMessage edited = m.toBuilder().set(HeaderName.MAX_FORWARDS, "70").build();
        String out = new String(SipWriter.toBytes(edited), StandardCharsets.UTF_8);
        assertThat(out).contains("\r\nSubject: " + m.headers().first(HeaderName.SUBJECT) + "\r\n");
        assertThat(m.headers().first(HeaderName.SUBJECT)).isEqualTo("\ufffd");
    }
}
