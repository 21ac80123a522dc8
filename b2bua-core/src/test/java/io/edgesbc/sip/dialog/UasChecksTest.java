package io.edgesbc.sip.dialog;

import static io.edgesbc.sip.dialog.Msgs.invite;
import static io.edgesbc.sip.dialog.Msgs.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipUri;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One test per check of {@link UasChecks}, plus its order. */
class UasChecksTest {

    private final UasCapabilities caps = UasCapabilities.defaults().withOptionTags("100rel", "timer");
    private final UasChecks checks = new UasChecks(caps, Msgs.counting());

    private SipResponse answer(SipRequest r) {
        UasVerdict v = checks.check(r);
        assertThat(v).isInstanceOf(UasVerdict.Respond.class);
        return ((UasVerdict.Respond) v).response();
    }

    @Test
    void aPlainInvitePasses() {
        assertThat(checks.check(request(invite("")))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void otherVersionGets505BeforeAnythingElse() {
        // Also an unknown method: 505 still wins (first check).
        SipRequest r = request(invite("").replace("INVITE sip:bob@sbc.example.net SIP/2.0", "FOO sip:bob@sbc.example.net SIP/3.0")
                .replace("10 INVITE", "10 FOO"));
        SipResponse resp = answer(r);
        assertThat(resp.statusCode()).isEqualTo(505);
        assertThat(resp.version()).isEqualTo("SIP/2.0");
        assertThat(checks.check(request(invite("").replace("SIP/2.0\n", "sip/2.0\n")))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void responseCopiesViaFromCallIdCSeqAndAddsAToTag() {
        SipResponse resp = answer(request(invite("Require: foo\n")));
        assertThat(resp.headers().lines(HeaderName.VIA)).containsExactly(
                "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKinv1", "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKproxy");
        assertThat(resp.headers().first(HeaderName.FROM)).isEqualTo("\"Alice\" <sip:alice@example.com>;tag=a1");
        assertThat(resp.headers().first(HeaderName.TO)).isEqualTo("<sip:bob@sbc.example.net>;tag=t1");
        assertThat(resp.callId()).isEqualTo("call-1@192.0.2.10");
        assertThat(resp.headers().first(HeaderName.CSEQ)).isEqualTo("10 INVITE");
    }

    @Test
    void anExistingToTagIsKept() {
        SipResponse resp = answer(request(invite("Require: foo\n").replace("<sip:bob@sbc.example.net>", "<sip:bob@sbc.example.net>;tag=b9")));
        assertThat(resp.toTag()).isEqualTo("b9");
    }

    @Test
    void missingMandatoryHeaderGets400ButMissingMaxForwardsDoesNot() {
        SipRequest noMaxForwards = request(invite("").replace("Max-Forwards: 70\n", ""));
        assertThat(checks.check(noMaxForwards, false)).isEqualTo(UasVerdict.pass());
        // The codec rejects a parsed message without Call-ID, so build one by hand.
        SipRequest noCallId = request(invite("")).toBuilder().remove(HeaderName.CALL_ID).build();
        SipResponse resp = answer(noCallId);
        assertThat(resp.statusCode()).isEqualTo(400);
        assertThat(resp.reasonPhrase()).isEqualTo("Missing Call-ID Header Field");
    }

    @Test
    void cseqMethodMismatchIs400ForAKnownMethodAnd501ForAnUnknownOne() {
        SipResponse known = answer(request(invite("").replace("10 INVITE", "10 OPTIONS")));
        assertThat(known.statusCode()).isEqualTo(400);
        SipRequest unknown = request(invite("").replace("INVITE sip:", "NEWMETHOD sip:"));
        SipResponse resp = answer(unknown);
        assertThat(resp.statusCode()).isEqualTo(501);
        assertThat(resp.allow()).isEqualTo(caps.allowedMethods());
    }

    @Test
    void knownButNotAllowedIs405WithAllowAndUnknownIs501() {
        SipRequest message = request(invite("").replace("INVITE", "MESSAGE"));
        SipResponse r405 = answer(message);
        assertThat(r405.statusCode()).isEqualTo(405);
        assertThat(r405.allow()).containsExactlyElementsOf(caps.allowedMethods()).doesNotContain("MESSAGE");
        SipResponse r501 = answer(request(invite("").replace("INVITE", "FROB")));
        assertThat(r501.statusCode()).isEqualTo(501);
        assertThat(r501.reasonPhrase()).isEqualTo("Not Implemented");
    }

    @Test
    void unsupportedRequestUriSchemeIs416() {
        SipRequest im = request(invite("").replace("INVITE sip:bob@sbc.example.net", "INVITE im:bob@example.net"));
        assertThat(answer(im).statusCode()).isEqualTo(416);
        UasChecks sipOnly = new UasChecks(caps.withUriSchemes("sip"), Msgs.counting());
        SipRequest tel = request(invite("").replace("INVITE sip:bob@sbc.example.net", "INVITE tel:+4930123"));
        assertThat(checks.check(tel)).isEqualTo(UasVerdict.pass());
        assertThat(((UasVerdict.Respond) sipOnly.check(tel)).statusCode()).isEqualTo(416);
    }

    @Test
    void headersInTheRequestUriAre400() {
        SipRequest r = request(invite("").replace("INVITE sip:bob@sbc.example.net", "INVITE sip:bob@sbc.example.net?Route=%3Csip:x%3E"));
        assertThat(((SipUri) r.requestUri()).headers()).isNotEmpty();
        assertThat(answer(r).statusCode()).isEqualTo(400);
    }

    @Test
    void aBranchThatIsOnlyTheMagicCookieIs400ButAnRfc2543BranchPasses() {
        assertThat(answer(request(invite("").replace("branch=z9hG4bKinv1", "branch=z9hG4bK"))).statusCode()).isEqualTo(400);
        assertThat(checks.check(request(invite("").replace("branch=z9hG4bKinv1", "branch=1234")))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void aContactWithAQuestionMarkOutsideBracketsIs400() {
        SipRequest r = request(invite("").replace("Contact: <sip:alice@192.0.2.10:5060>", "Contact: sip:alice@192.0.2.10?Route=x"));
        assertThat(answer(r).reasonPhrase()).isEqualTo("Malformed Contact Header Field");
    }

    @Test
    void mergedRequestIs482AndARetransmissionIsNot() {
        Msgs.FakeClock clock = new Msgs.FakeClock();
        MergedRequestDetector detector = new MergedRequestDetector(clock);
        UasChecks withDetector = new UasChecks(caps, Msgs.counting(), detector);
        SipRequest first = request(invite(""));
        assertThat(withDetector.check(first)).isEqualTo(UasVerdict.pass());
        detector.record(first); // the transaction layer creates the server transaction
        assertThat(withDetector.check(first)).as("retransmission").isEqualTo(UasVerdict.pass());
        SipRequest viaOtherPath = request(invite("").replace("branch=z9hG4bKinv1", "branch=z9hG4bKother"));
        assertThat(((UasVerdict.Respond) withDetector.check(viaOtherPath)).statusCode()).isEqualTo(482);
        clock.advance(MergedRequestDetector.DEFAULT_LIFETIME);
        assertThat(withDetector.check(viaOtherPath)).as("after the transaction's lifetime").isEqualTo(UasVerdict.pass());
    }

    @Test
    void unknownRequireTagsAre420WithUnsupportedListingOnlyThose() {
        SipResponse resp = answer(request(invite("Require: 100rel, foo\nRequire: bar, foo\n")));
        assertThat(resp.statusCode()).isEqualTo(420);
        assertThat(resp.unsupported()).containsExactly("foo", "bar");
        assertThat(checks.check(request(invite("Require: timer, 100rel\n")))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void requireIsNotCheckedForCancelAndProxyRequireIsNotReadByAUas() {
        SipRequest cancel = request(invite("Require: foo\n").replace("INVITE", "CANCEL"));
        assertThat(checks.check(cancel)).isEqualTo(UasVerdict.pass());
        assertThat(checks.check(request(invite("Proxy-Require: foo\n")))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void maxForwardsZeroIs483OnlyWhenForwarding() {
        SipRequest zero = request(invite("").replace("Max-Forwards: 70", "Max-Forwards: 0"));
        assertThat(((UasVerdict.Respond) checks.check(zero, true)).statusCode()).isEqualTo(483);
        assertThat(checks.check(zero, false)).isEqualTo(UasVerdict.pass());
        SipRequest options = request(invite("").replace("INVITE", "OPTIONS").replace("Max-Forwards: 70", "Max-Forwards: 0"));
        assertThat(((UasVerdict.Respond) checks.check(options, true)).statusCode())
                .as("documented choice: no local answer to an OPTIONS meant for the target").isEqualTo(483);
        assertThat(checks.check(options, false)).isEqualTo(UasVerdict.pass());
    }

    private static SipRequest withBody(String contentHeaders) {
        return request(invite(contentHeaders).replace("Content-Length: 0\n\n", "Content-Length: 5\n\nhello"));
    }

    @Test
    void unknownBodyTypeIs415WithAccept() {
        SipResponse resp = answer(withBody("Content-Type: application/unknownformat\n"));
        assertThat(resp.statusCode()).isEqualTo(415);
        assertThat(resp.headers().values(HeaderName.ACCEPT)).containsExactly("application/sdp", "multipart/mixed");
        assertThat(resp.headers().contains(HeaderName.ACCEPT_ENCODING)).isFalse();
        assertThat(resp.headers().contains(HeaderName.ACCEPT_LANGUAGE)).isFalse();
    }

    @Test
    void unknownEncodingIs415WithAcceptEncoding() {
        SipResponse resp = answer(withBody("Content-Type: application/sdp\nContent-Encoding: gzip\n"));
        assertThat(resp.statusCode()).isEqualTo(415);
        assertThat(resp.headers().first(HeaderName.ACCEPT_ENCODING)).isEqualTo("identity");
        UasChecks gzip = new UasChecks(caps.withEncodings("gzip"), Msgs.counting());
        assertThat(gzip.check(withBody("Content-Type: application/sdp\nContent-Encoding: gzip\n"))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void unknownLanguageIs415WithAcceptLanguageWhenLanguagesAreConfigured() {
        SipRequest fr = withBody("Content-Type: application/sdp\nContent-Language: fr\n");
        assertThat(checks.check(fr)).as("no languages configured: any").isEqualTo(UasVerdict.pass());
        UasChecks english = new UasChecks(caps.withLanguages("en"), Msgs.counting());
        SipResponse resp = ((UasVerdict.Respond) english.check(fr)).response();
        assertThat(resp.statusCode()).isEqualTo(415);
        assertThat(resp.headers().first(HeaderName.ACCEPT_LANGUAGE)).isEqualTo("en");
        assertThat(english.check(withBody("Content-Type: application/sdp\nContent-Language: en-GB\n"))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void anOptionalBodyOfUnknownTypeIsIgnoredAndABodyWithoutTypeIs400() {
        assertThat(checks.check(withBody("Content-Type: application/x-foo\nContent-Disposition: render;handling=optional\n")))
                .isEqualTo(UasVerdict.pass());
        assertThat(answer(withBody("")).reasonPhrase()).isEqualTo("Missing Content-Type Header Field");
    }

    @Test
    void inviteWhoseAcceptRulesOutSdpIs406WithWarning() {
        SipResponse resp = answer(request(invite("Accept: text/plain\n")));
        assertThat(resp.statusCode()).isEqualTo(406);
        assertThat(resp.headers().first(HeaderName.WARNING)).startsWith("399 edgesbc \"");
        assertThat(checks.check(request(invite("Accept: application/sdp;level=1, text/plain\n")))).isEqualTo(UasVerdict.pass());
        assertThat(checks.check(request(invite("Accept: */*\n")))).isEqualTo(UasVerdict.pass());
    }

    @Test
    void ackIsNeverAnsweredButDroppedWhenItWouldFail() {
        SipRequest ack = request(invite("Require: foo\n").replace("INVITE", "ACK"));
        assertThat(checks.check(ack)).as("Require is not checked for ACK").isEqualTo(UasVerdict.pass());
        SipRequest badAck = request(invite("").replace("INVITE", "ACK").replace("INVITE sip:", "ACK im:")
                .replace("ACK sip:bob@sbc.example.net", "ACK im:bob@example.net"));
        assertThat(checks.check(badAck)).isInstanceOf(UasVerdict.Drop.class);
    }

    @Test
    void checksRunInTheRfcOrder() {
        // Unknown scheme (416) and unknown Require (420) and Max-Forwards 0 (483): 416 comes first.
        SipRequest r = request(invite("Require: foo\n").replace("INVITE sip:bob@sbc.example.net", "INVITE im:bob@example.net")
                .replace("Max-Forwards: 70", "Max-Forwards: 0"));
        assertThat(answer(r).statusCode()).isEqualTo(416);
        // Not allowed (405) before Require (420).
        assertThat(answer(request(invite("Require: foo\n").replace("INVITE", "MESSAGE"))).statusCode()).isEqualTo(405);
        // Require (420) before Max-Forwards (483) before body (415).
        SipRequest all = request(invite("Require: foo\nContent-Type: x/y\n").replace("Max-Forwards: 70", "Max-Forwards: 0")
                .replace("Content-Length: 0\n\n", "Content-Length: 1\n\nx"));
        assertThat(answer(all).statusCode()).isEqualTo(420);
    }

    @Test
    void registerWithANonSipToIs400() {
        UasChecks registrar = new UasChecks(caps.withAllowedMethods("REGISTER", "OPTIONS"), Msgs.counting());
        SipRequest r = request(invite("").replace("INVITE", "REGISTER").replace("To: <sip:bob@sbc.example.net>", "To: <tel:+4930123>"));
        assertThat(((UasVerdict.Respond) registrar.check(r)).statusCode()).isEqualTo(400);
    }

    @Test
    void capabilitiesAreCopiedNotShared() {
        UasCapabilities base = UasCapabilities.defaults();
        UasCapabilities more = base.withAllowedMethods("INVITE", "FOO");
        assertThat(base.allows("FOO")).isFalse();
        assertThat(more.allows("FOO")).isTrue();
        assertThat(more.knows("FOO")).as("allowed methods are known").isTrue();
        assertThat(Duration.ofSeconds(32)).isEqualTo(MergedRequestDetector.DEFAULT_LIFETIME);
    }
}
