package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uri dispatch, TelUri and OpaqueUri. */
class UriTest {

    @Test
    void dispatchesOnSchemeCaseInsensitively() {
        assertThat(Uri.parse("SIP:a@b")).isInstanceOf(SipUri.class).extracting(Uri::scheme).isEqualTo("sip");
        assertThat(Uri.parse("Sips:a@b")).isInstanceOf(SipUri.class).extracting(Uri::scheme).isEqualTo("sips");
        assertThat(Uri.parse("TEL:+1234")).isInstanceOf(TelUri.class).extracting(Uri::scheme).isEqualTo("tel");
        Uri other = Uri.parse("Mailto:watson@bell-telephone.com");
        assertThat(other).isInstanceOf(OpaqueUri.class);
        assertThat(other.scheme()).isEqualTo("mailto");
        assertThat(((OpaqueUri) other).schemeSpecificPart()).isEqualTo("watson@bell-telephone.com");
        assertThat(other).hasToString("Mailto:watson@bell-telephone.com");
    }

    @Test
    void opaqueUris() {
        assertThat(Uri.parse("urn:service:sos")).hasToString("urn:service:sos");
        assertThat(Uri.parse("http://[2001:db8::1]:8080/a/b?c=%20d")).isInstanceOf(OpaqueUri.class);
        assertThat(Uri.parse("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6")).isEqualTo(Uri.parse("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sip", ":x", "1abc:x", "urn:", "urn:a b", "urn:a\"b", "urn:%zz", "urn:a<b", "x_y:z"})
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> Uri.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void telUri() {
        TelUri t = TelUri.parse("tel:+1-201-555-0123;ext=1234;ISUB=%41b");
        assertThat(t.global()).isTrue();
        assertThat(t.number()).isEqualTo("+1-201-555-0123");
        assertThat(t.parameters()).containsExactly(entry("ext", "1234"), entry("isub", "Ab"));
        assertThat(t).hasToString("tel:+1-201-555-0123;ext=1234;ISUB=%41b");
        TelUri local = TelUri.parse("tel:7042;phone-context=example.com");
        assertThat(local.global()).isFalse();
        assertThat(local.number()).isEqualTo("7042");
        assertThat(local.parameters()).containsEntry("phone-context", "example.com");
        assertThat(TelUri.parse("tel:*21#;phone-context=+1-201").number()).isEqualTo("*21#");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tel:", "tel:+", "tel:+-()", "tel:1234", "tel:+12a4", "tel:+1;=x", "tel:+1;a=", "tel:+1;a_b=1",
        "tel:+1;ext=1;ext=2", "tel:+1 2", "sip:+1@x"})
    void telRejects(String text) {
        assertThatThrownBy(() -> TelUri.parse(text)).isInstanceOf(SipSyntaxException.class);
    }
}
