package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HeaderNameTest {

    @ParameterizedTest
    @CsvSource({
        "i, Call-ID", "CALL-ID, Call-ID", "m, Contact", "v, Via", "V, Via", "f, From", "t, To",
        "l, Content-Length", "c, Content-Type", "e, Content-Encoding", "s, Subject", "k, Supported",
        "o, Event", "r, Refer-To", "b, Referred-By", "u, Allow-Events", "x, Session-Expires",
        "cseq, CSeq", "rack, RAck", "www-authenticate, WWW-Authenticate",
    })
    void compactAndAnyCaseMapToTheCanonicalName(String written, String canonical) {
        HeaderName fromString = HeaderName.of(written);
        byte[] bytes = ("xx" + written + "yy").getBytes(StandardCharsets.US_ASCII);
        HeaderName fromBytes = HeaderName.of(bytes, 2, 2 + written.length());
        assertThat(fromString.canonical()).isEqualTo(canonical);
        assertThat(fromBytes).isSameAs(fromString);
        assertThat(fromString.isKnown()).isTrue();
    }

    @Test
    void unknownNamesKeepTheirSpellingAndCompareIgnoringCase() {
        HeaderName a = HeaderName.of("X-Custom-Thing");
        HeaderName b = HeaderName.of("x-custom-thing".getBytes(StandardCharsets.US_ASCII), 0, 14);
        assertThat(a.isKnown()).isFalse();
        assertThat(a.canonical()).isEqualTo("X-Custom-Thing");
        assertThat(b.canonical()).isEqualTo("x-custom-thing");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(HeaderName.of("z").isKnown()).isFalse();
    }

    @Test
    void listKindsDecideHowValuesSplit() {
        assertThat(HeaderName.VIA.kind()).isEqualTo(HeaderName.Kind.LIST);
        assertThat(HeaderName.CALL_ID.kind()).isEqualTo(HeaderName.Kind.SINGLE);
        assertThat(HeaderName.AUTHORIZATION.kind()).isEqualTo(HeaderName.Kind.REPEATABLE);
    }
}
