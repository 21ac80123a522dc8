package io.edgesbc.sip.dialog;

import static io.edgesbc.sip.dialog.Msgs.invite;
import static io.edgesbc.sip.dialog.Msgs.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipResponse;
import org.junit.jupiter.api.Test;

/** RFC 3261 §11.2. */
class OptionsResponderTest {

    @Test
    void answers200WithTheCapabilities() {
        UasCapabilities caps = UasCapabilities.defaults().withOptionTags("100rel", "timer").withEncodings("gzip")
                .withLanguages("en", "de");
        SipResponse ok = new OptionsResponder(caps, Msgs.counting()).respond(request(invite("").replace("INVITE", "OPTIONS")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.allow()).containsExactlyElementsOf(caps.allowedMethods());
        assertThat(ok.headers().values(HeaderName.ACCEPT)).containsExactly("application/sdp", "multipart/mixed");
        assertThat(ok.headers().values(HeaderName.ACCEPT_ENCODING)).containsExactly("gzip", "identity");
        assertThat(ok.headers().values(HeaderName.ACCEPT_LANGUAGE)).containsExactly("en", "de");
        assertThat(ok.supported()).containsExactly("100rel", "timer");
        assertThat(ok.toTag()).isEqualTo("t1");
        assertThat(ok.cseq().toString()).isEqualTo("10 OPTIONS");
        assertThat(Msgs.roundTrip(ok)).isEqualTo(ok);
    }

    @Test
    void noLanguagesMeansNoAcceptLanguageAndNoTagsAnEmptySupported() {
        SipResponse ok = new OptionsResponder(UasCapabilities.defaults(), Msgs.counting())
                .respond(request(invite("").replace("INVITE", "OPTIONS")));
        assertThat(ok.headers().contains(HeaderName.ACCEPT_LANGUAGE)).isFalse();
        assertThat(ok.headers().contains(HeaderName.SUPPORTED)).isTrue();
        assertThat(ok.supported()).isEmpty();
    }

    @Test
    void onlyOptions() {
        assertThatThrownBy(() -> new OptionsResponder(UasCapabilities.defaults(), Msgs.counting()).respond(request(invite(""))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
