package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CSeq, ContentType and RetryAfter. */
class ScalarValuesTest {

    @Test
    void cseq() {
        assertThat(CSeq.parse("4711 INVITE")).isEqualTo(new CSeq(4711, "INVITE"));
        assertThat(CSeq.parse("0009   INVITE")).isEqualTo(new CSeq(9, "INVITE")); // RFC 4475 §3.1.1.1
        assertThat(CSeq.parse("2147483647 x-Custom")).isEqualTo(new CSeq(2147483647L, "x-Custom"));
        assertThat(CSeq.parse("139122385 !interesting-Method0123456789_*+`.%indeed'~").method())
                .isEqualTo("!interesting-Method0123456789_*+`.%indeed'~");
        assertThat(new CSeq(4711, "INVITE")).hasToString("4711 INVITE");
        assertThat(CSeq.parse("1 invite").method()).isEqualTo("invite"); // case-sensitive, kept
    }

    @ParameterizedTest
    @ValueSource(strings = {"36893488147419103232 REGISTER", "2147483648 INVITE", "-1 INVITE", "INVITE", "1",
        "1INVITE", "1 INV@TE", "1 INVITE extra", "", "x INVITE"})
    void cseqRejects(String v) {
        assertThatThrownBy(() -> CSeq.parse(v)).isInstanceOf(SipSyntaxException.class);
    }

    @Property(tries = 200)
    void cseqRoundTrip(@ForAll @LongRange(min = 0, max = 2147483647L) long n) {
        CSeq c = new CSeq(n, "BYE");
        assertThat(CSeq.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void contentType() {
        ContentType c = ContentType.parse("Application/SDP");
        assertThat(c.type()).isEqualTo("application");
        assertThat(c.subtype()).isEqualTo("sdp");
        assertThat(c.mediaType()).isEqualTo("application/sdp");
        assertThat(c.parameters()).isEmpty();
        ContentType m = ContentType.parse("multipart/mixed ; Boundary = \"unique boundary\" ;charset=UTF-8");
        assertThat(m.parameters()).containsExactly(entry("boundary", "\"unique boundary\""), entry("charset", "UTF-8"));
        assertThat(m.parameter("BOUNDARY")).isEqualTo("\"unique boundary\"");
        assertThat(m).hasToString("multipart/mixed;boundary=\"unique boundary\";charset=UTF-8");
        assertThat(ContentType.parse(m.toString())).isEqualTo(m);
        assertThat(ContentType.parse("text/plain / x".replace(" / x", ""))).isEqualTo(ContentType.of("text", "plain"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application", "application/", "/sdp", "application/sdp;", "application/sdp;charset",
        "application/sdp;charset=", "application/sdp;a=\"x", "application/s dp", "app@/sdp", ""})
    void contentTypeRejects(String v) {
        assertThatThrownBy(() -> ContentType.parse(v)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void retryAfter() {
        RetryAfter r = RetryAfter.parse("18000;duration=3600");
        assertThat(r.seconds()).isEqualTo(18000);
        assertThat(r.duration()).isEqualTo(3600);
        assertThat(r.comment()).isNull();
        RetryAfter c = RetryAfter.parse("120 (I'm in a (long) meeting) ; Duration = 60;x");
        assertThat(c.seconds()).isEqualTo(120);
        assertThat(c.comment()).isEqualTo("I'm in a (long) meeting");
        assertThat(c.duration()).isEqualTo(60);
        assertThat(c.parameters()).containsExactly(entry("duration", "60"), entry("x", null));
        assertThat(c).hasToString("120 (I'm in a (long) meeting);duration=60;x");
        assertThat(RetryAfter.parse(c.toString())).isEqualTo(c);
        assertThat(RetryAfter.parse("5").duration()).isEqualTo(-1);
        assertThat(new RetryAfter(5, null, Map.of())).hasToString("5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5", "5 (unterminated", "5 (a))", "5;duration=x", "5;duration", "5 x", "5;"})
    void retryAfterRejects(String v) {
        assertThatThrownBy(() -> RetryAfter.parse(v)).isInstanceOf(SipSyntaxException.class);
    }

    @Property(tries = 200)
    void retryAfterRoundTrip(@ForAll @LongRange(min = 0, max = 4294967295L) long s,
                             @ForAll @StringLength(max = 10) String comment) {
        String clean = comment.replaceAll("[^a-zA-Z0-9 ]", "").strip();
        RetryAfter r = new RetryAfter(s, clean.isEmpty() ? null : clean, Map.of("duration", "10"));
        RetryAfter back = RetryAfter.parse(r.toString());
        assertThat(back).isEqualTo(r);
    }
}
