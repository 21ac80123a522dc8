package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderValuesTest {

    @Test
    void splitListRespectsQuotesAndBrackets() {
        assertThat(HeaderValues.splitList(" a ,\tb,,  \"x, \\\" y\" <sip:a,b@c>;p ,<sip:d> , "))
                .containsExactly("a", "b", "\"x, \\\" y\" <sip:a,b@c>;p", "<sip:d>");
        assertThat(HeaderValues.splitList("")).isEmpty();
        assertThat(HeaderValues.splitList(";;,,;;,;")).containsExactly(";;", ";;", ";");
        assertThatThrownBy(() -> HeaderValues.splitList("a, \"b, c")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderValues.splitList("a, <sip:b, c")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void tokens() {
        assertThat(HeaderValues.tokens("100rel, timer ,replace\t,  path")).containsExactly("100rel", "timer", "replace", "path");
        assertThat(HeaderValues.tokens("INVITE,ACK, !interesting-Method0123456789_*+`.%indeed'~"))
                .containsExactly("INVITE", "ACK", "!interesting-Method0123456789_*+`.%indeed'~");
        assertThat(HeaderValues.tokens("")).isEmpty();
        assertThatThrownBy(() -> HeaderValues.tokens("foo, b@r")).isInstanceOfSatisfying(SipSyntaxException.class,
                e -> assertThat(e.offset()).isEqualTo(6));
        assertThatThrownBy(() -> HeaderValues.tokens("a b")).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void maxForwards() {
        assertThat(HeaderValues.parseMaxForwards("70")).isEqualTo(70);
        assertThat(HeaderValues.parseMaxForwards("0068")).isEqualTo(68); // RFC 4475 §3.1.1.1
        assertThat(HeaderValues.parseMaxForwards("0")).isZero();
        assertThat(HeaderValues.parseMaxForwards("255")).isEqualTo(255);
    }

    @ParameterizedTest
    @ValueSource(strings = {"300", "256", "-1", "", "7a", "+7", "1 2", "99999999999999999999999999"})
    void maxForwardsRejects(String v) {
        assertThatThrownBy(() -> HeaderValues.parseMaxForwards(v)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void contentLength() {
        assertThat(HeaderValues.parseContentLength("150")).isEqualTo(150);
        assertThat(HeaderValues.parseContentLength("0")).isZero();
        assertThat(HeaderValues.parseContentLength("9223372036854775806")).isEqualTo(Long.MAX_VALUE - 1);
        for (String bad : new String[] {"-999", "", "1.5", "9223372036854775808", "99999999999999999999", "x"}) {
            assertThatThrownBy(() -> HeaderValues.parseContentLength(bad)).isInstanceOf(SipSyntaxException.class);
        }
    }

    @Test
    void deltaSecondsClamp() {
        assertThat(HeaderValues.parseDeltaSeconds("3600")).isEqualTo(3600);
        assertThat(HeaderValues.parseDeltaSeconds("4294967295")).isEqualTo(4294967295L);
        assertThat(HeaderValues.parseDeltaSeconds("4294967296")).isEqualTo(4294967295L);
        assertThat(HeaderValues.parseDeltaSeconds("1" + "0".repeat(100))).isEqualTo(4294967295L); // RFC 4475 §3.1.2.4
        for (String bad : new String[] {"-1", "", "1h", "0x10"}) {
            assertThatThrownBy(() -> HeaderValues.parseDeltaSeconds(bad)).isInstanceOf(SipSyntaxException.class);
        }
    }

    @Test
    void unquoteAndQuote() {
        assertThat(HeaderValues.unquote("\"a \\\"b\\\" \\\\ c\"")).isEqualTo("a \"b\" \\ c");
        assertThat(HeaderValues.unquote(" \"\" ")).isEmpty();
        assertThat(HeaderValues.quote("a \"b\" \\")).isEqualTo("\"a \\\"b\\\" \\\\\"");
        assertThat(HeaderValues.quote("\0\u0007")).isEqualTo("\"\\\0\\\u0007\"");
        assertThatThrownBy(() -> HeaderValues.unquote("\"abc")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderValues.unquote("abc")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderValues.unquote("\"a\" b")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderValues.unquote("\"a\u0001\"")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> HeaderValues.quote("a\nb")).isInstanceOf(SipSyntaxException.class);
    }

    @Property(tries = 500)
    void quoteThenUnquoteIsIdentity(@ForAll String text) {
        String clean = text.replace("\r", "").replace("\n", "");
        assertThat(HeaderValues.unquote(HeaderValues.quote(clean))).isEqualTo(clean);
    }

    @Property(tries = 300)
    void numbersRoundTrip(@ForAll long n) {
        long v = Math.abs(n == Long.MIN_VALUE ? 0 : n);
        assertThat(HeaderValues.parseContentLength(Long.toString(v == Long.MAX_VALUE ? 0 : v))).isEqualTo(v == Long.MAX_VALUE ? 0 : v);
        assertThat(HeaderValues.parseDeltaSeconds(Long.toString(v))).isEqualTo(Math.min(v, 4294967295L));
    }
}
