package io.edgesbc.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpParserTest {

    static final String OFFER = String.join("\r\n",
            "v=0",
            "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1",
            "s=Call to John Smith",
            "i=SDP Offer #1",
            "u=http://www.jdoe.example.com/home.html",
            "e=Jane Doe <jane@jdoe.example.com>",
            "p=+1 617 555-6011",
            "c=IN IP4 198.51.100.1",
            "b=CT:128",
            "t=0 0",
            "a=recvonly",
            "m=audio 49170 RTP/AVP 0",
            "m=audio 49180/2 RTP/AVP 0",
            "m=video 51372 RTP/AVP 99",
            "c=IN IP6 2001:db8::2",
            "a=rtpmap:99 h263-1998/90000",
            "") ;

    @Test
    void parsesSessionLevelFields() {
        SessionDescription sd = SdpParser.parse(OFFER);
        assertThat(sd.origin()).isEqualTo(new Origin("jdoe", "3724394400", "3724394405", "IN", "IP4", "198.51.100.1"));
        assertThat(sd.sessionName()).isEqualTo("Call to John Smith");
        assertThat(sd.information()).contains("SDP Offer #1");
        assertThat(sd.uri()).contains("http://www.jdoe.example.com/home.html");
        assertThat(sd.emails()).containsExactly("Jane Doe <jane@jdoe.example.com>");
        assertThat(sd.phones()).containsExactly("+1 617 555-6011");
        assertThat(sd.connection()).contains(Connection.of("IN", "IP4", "198.51.100.1"));
        assertThat(sd.bandwidths()).containsExactly(new Bandwidth("CT", 128));
        assertThat(sd.timings()).containsExactly("0 0");
        assertThat(sd.declaredDirection()).contains(Direction.RECVONLY);
        assertThat(sd.media()).hasSize(3);
    }

    @Test
    void parsesMediaLines() {
        SessionDescription sd = SdpParser.parse(OFFER);
        MediaDescription second = sd.media().get(1);
        assertThat(second.media()).isEqualTo("audio");
        assertThat(second.port()).isEqualTo(49180);
        assertThat(second.portCount()).hasValue(2);
        assertThat(second.proto()).isEqualTo("RTP/AVP");
        assertThat(second.formats()).containsExactly("0");
        MediaDescription video = sd.media().get(2);
        assertThat(video.connection()).contains(Connection.of("IN", "IP6", "2001:db8::2"));
        assertThat(sd.effectiveConnection(video).orElseThrow().address()).isEqualTo("2001:db8::2");
        assertThat(sd.effectiveConnection(second).orElseThrow().address()).isEqualTo("198.51.100.1");
        assertThat(video.rtpmap(99)).contains(new RtpMap(99, "h263-1998", 90000, null));
    }

    @Test
    void acceptsLfLineEndsAndTrailingWhitespaceOnStructuredLines() {
        String lf = "v=0 \no=- 1 2 IN IP4 10.0.0.1\t\ns=-\nc=IN IP4 10.0.0.1  \nt=0 0 \n"
                + "m=audio 4000 RTP/AVP 0 8 \na=sendonly \n\n\n";
        SessionDescription sd = SdpParser.parse(lf);
        assertThat(sd.origin().address()).isEqualTo("10.0.0.1");
        assertThat(sd.media().get(0).formats()).containsExactly("0", "8");
        assertThat(sd.effectiveDirection(sd.media().get(0))).isEqualTo(Direction.SENDONLY);
        assertThat(sd.toString()).isEqualTo("v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
                + "t=0 0\r\nm=audio 4000 RTP/AVP 0 8\r\na=sendonly\r\n");
    }

    @Test
    void acceptsLastLineWithoutLineEnd() {
        SessionDescription sd = SdpParser.parse("v=0\r\no=- 1 2 IN IP4 h\r\ns=x\r\nt=0 0\r\na=tool:foo");
        assertThat(sd.attribute("tool").orElseThrow().value()).isEqualTo("foo");
    }

    @Test
    void parsesMulticastConnections() {
        SessionDescription sd = SdpParser.parse("v=0\r\no=- 1 2 IN IP4 h\r\ns=x\r\nc=IN IP4 233.252.0.1/127/3\r\n"
                + "t=0 0\r\nm=video 5000 RTP/AVP 31\r\nc=IN IP6 ff00::db8:0:101/3\r\n");
        assertThat(sd.connection()).contains(new Connection("IN", "IP4", "233.252.0.1", OptionalInt.of(127), OptionalInt.of(3)));
        assertThat(sd.media().get(0).connection())
                .contains(new Connection("IN", "IP6", "ff00::db8:0:101", OptionalInt.empty(), OptionalInt.of(3)));
        assertThat(sd.toString()).contains("c=IN IP4 233.252.0.1/127/3\r\n", "c=IN IP6 ff00::db8:0:101/3\r\n");
    }

    @Test
    void keepsSessionVersionsBeyondLong() {
        SessionDescription sd = SdpParser.parse("v=0\no=- 1 123456789012345678901234567890 IN IP4 h\ns=x\nt=0 0\n");
        assertThat(sd.origin().sessionVersion()).isEqualTo("123456789012345678901234567890");
        assertThat(sd.origin().withNextVersion().sessionVersion()).isEqualTo("123456789012345678901234567891");
    }

    @Test
    void parsesUtf8Bytes() {
        byte[] bytes = "v=0\r\no=- 1 1 IN IP4 h\r\ns=Café\r\nt=0 0\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(SdpParser.parse(bytes).sessionName()).isEqualTo("Café");
        assertThat(SdpParser.parse(bytes).toBytes()).isEqualTo(bytes);
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bad = {'v', '=', '0', '\n', (byte) 0xC3, '\n'};
        assertThatThrownBy(() -> SdpParser.parse(bad)).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void rejectedStreamNeedsNoConnection() {
        SessionDescription sd = SdpParser.parse("v=0\no=- 1 1 IN IP4 h\ns=x\nt=0 0\nm=audio 0 RTP/AVP 0\n");
        assertThat(sd.media().get(0).isRejected()).isTrue();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
            o=- 1 1 IN IP4 h\\ns=x\\nt=0 0                                    | 1 | v= not first
            v=1\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0                              | 1 | wrong version
            v=0\\ns=x\\no=- 1 1 IN IP4 h\\nt=0 0                              | 2 | s= before o=
            v=0\\no=- 1 1 IN IP4 h\\nt=0 0                                    | 3 | s= missing
            v=0\\no=- 1 1 IN IP4 h                                            | 3 | truncated after o=
            v=0\\no=- x 1 IN IP4 h\\ns=x\\nt=0 0                              | 2 | non-numeric sess-id
            v=0\\no=- 1 1 IN IP4\\ns=x\\nt=0 0                                | 2 | o= with five subfields
            v=0\\no=-  1 1 IN IP4 h\\ns=x\\nt=0 0                             | 2 | double space in o=
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0\\nm=audio 4000 RTP/AVP 0     | 5 | media without c=
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP4 a\\nc=IN IP4 b\\nt=0 0    | 5 | two session c=
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP4 a/256\\nt=0 0             | 4 | ttl out of range
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP6 ff::1/5/2\\nt=0 0         | 4 | IP6 with ttl
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP4\\nt=0 0                   | 4 | c= with two subfields
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP4 a\\nt=0 0\\nm=audio 70000 RTP/AVP 0 | 6 | port too large
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP4 a\\nt=0 0\\nm=audio 4000 RTP/AVP | 6 | m= without format
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nb=AS\\nt=0 0                       | 4 | b= without colon
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=now 0                            | 4 | non-numeric t=
            v=0\\no=- 1 1 IN IP4 h\\ns=x                                      | 0 | no t=
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0\\na=bad name                 | 5 | attribute name with space
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0\\n\\na=x                     | 5 | empty line inside
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0\\nhello                      | 5 | line without =
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0\\n1=x                        | 5 | type not a letter
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nc=IN IP4 a\\nt=0 0\\nm=audio 1 RTP/AVP 0\\nt=0 0 | 7 | t= inside media
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\nt=0 0\\nv=0                        | 5 | second v=
            v=0\\no=- 1 1 IN IP4 h\\ns=x\\ni=a\\ni=b\\nt=0 0                  | 5 | two session i=
            """)
    void rejectsStructuralErrorsWithLineNumber(String escaped, int line, String why) {
        String sdp = escaped.replace("\\n", "\n");
        assertThatThrownBy(() -> SdpParser.parse(sdp))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.lineNumber()).isEqualTo(line));
    }

    @Test
    void rejectsBareCrAndNul() {
        assertThatThrownBy(() -> SdpParser.parse("v=0\ro=- 1 1 IN IP4 h\r\n"))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.reason()).contains("CR"));
        assertThatThrownBy(() -> SdpParser.parse("v=0\r\no=- 1 1 IN\0 IP4 h\r\n"))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.lineNumber()).isEqualTo(2));
    }

    @Test
    void rejectsNullAndEmptyInputAsParseErrors() {
        assertThatThrownBy(() -> SdpParser.parse((String) null)).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> SdpParser.parse((byte[]) null)).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> SdpParser.parse("")).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> SdpParser.parse("\r\n\r\n")).isInstanceOf(SdpParseException.class);
    }
}
