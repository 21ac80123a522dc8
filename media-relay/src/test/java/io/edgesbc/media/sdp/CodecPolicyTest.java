package io.edgesbc.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecPolicyTest {

    private static MediaDescription audio(String mLine, String... attrs) {
        StringBuilder sb = new StringBuilder("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n");
        sb.append(mLine).append("\r\n");
        for (String a : attrs) {
            sb.append(a).append("\r\n");
        }
        return SdpParser.parse(sb.toString()).media().get(0);
    }

    @Test
    void denyRemovesPayloadTypeAndItsLines() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 0 18 101", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
                "a=rtcp-fb:18 nack", "a=rtcp-fb:* trr-int 100", "a=rtpmap:101 telephone-event/8000", "a=ptime:20");
        MediaDescription out = new CodecPolicy(Set.of(), Set.of("G729"), List.of()).apply(m);
        assertThat(out.formats()).containsExactly("0", "101");
        assertThat(out.attributes()).extracting(Attribute::text)
                .containsExactly("rtcp-fb:* trr-int 100", "rtpmap:101 telephone-event/8000", "ptime:20");
        assertThat(out.port()).isEqualTo(1);
    }

    @Test
    void staticPayloadTypesWithoutRtpmapAreNamedPerRfc3551() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 0 8 9 18 3 4");
        MediaDescription out = new CodecPolicy(Set.of("pcma", "G722"), Set.of(), List.of()).apply(m);
        assertThat(out.formats()).containsExactly("8", "9");
    }

    @Test
    void allowListDropsUnknownDynamicPayloadTypes() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 0 96");
        assertThat(new CodecPolicy(Set.of("PCMU"), Set.of(), List.of()).apply(m).formats()).containsExactly("0");
        assertThat(new CodecPolicy(Set.of(), Set.of("PCMA"), List.of()).apply(m).formats()).containsExactly("0", "96");
    }

    @Test
    void namesCompareCaseInsensitively() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 111 0", "a=rtpmap:111 OPUS/48000/2");
        assertThat(new CodecPolicy(Set.of(), Set.of("opus"), List.of()).apply(m).formats()).containsExactly("0");
    }

    @Test
    void orderingIsStableForUnlistedCodecs() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 0 9 8 101 3", "a=rtpmap:101 telephone-event/8000");
        MediaDescription out = new CodecPolicy(Set.of(), Set.of(), List.of("PCMA", "G722")).apply(m);
        assertThat(out.formats()).containsExactly("8", "9", "0", "101", "3");
        assertThat(out.fields()).isEqualTo(m.fields());
    }

    @Test
    void onlyAuxiliaryLeftRejectsSection() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 0 13 101", "a=rtpmap:101 telephone-event/8000");
        MediaDescription out = new CodecPolicy(Set.of(), Set.of("PCMU"), List.of()).apply(m);
        assertThat(out.isRejected()).isTrue();
        assertThat(out.formats()).isEqualTo(m.formats());
    }

    @Test
    void nothingLeftRejectsSection() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 0 8");
        MediaDescription out = new CodecPolicy(Set.of("opus"), Set.of(), List.of()).apply(m);
        assertThat(out.port()).isZero();
        assertThat(out.formats()).containsExactly("0", "8");
    }

    @Test
    void auxiliaryOnlySectionIsNotRejectedWhenNothingWasRemoved() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 101", "a=rtpmap:101 telephone-event/8000");
        assertThat(new CodecPolicy(Set.of(), Set.of("G729"), List.of()).apply(m)).isEqualTo(m);
    }

    @Test
    void rtxGoesWithItsPrimary() {
        MediaDescription m = audio("m=video 1 RTP/AVPF 96 97 98 99", "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000",
                "a=fmtp:97 apt=96", "a=rtpmap:98 H264/90000", "a=rtpmap:99 rtx/90000", "a=fmtp:99 apt=98");
        MediaDescription out = new CodecPolicy(Set.of(), Set.of("VP8"), List.of()).apply(m);
        assertThat(out.formats()).containsExactly("98", "99");
        assertThat(out.attributes()).extracting(Attribute::text)
                .containsExactly("rtpmap:98 H264/90000", "rtpmap:99 rtx/90000", "fmtp:99 apt=98");
    }

    @Test
    void rejectedAndNonRtpSectionsAreLeftAlone() {
        MediaDescription rejected = audio("m=audio 0 RTP/AVP 0");
        MediaDescription bfcp = audio("m=application 9 TCP/BFCP *");
        CodecPolicy deny = new CodecPolicy(Set.of("opus"), Set.of("PCMU"), List.of());
        assertThat(deny.apply(rejected)).isEqualTo(rejected);
        assertThat(deny.apply(bfcp)).isEqualTo(bfcp);
    }

    @Test
    void allowAllChangesNothing() {
        MediaDescription m = audio("m=audio 1 RTP/AVP 18 0");
        assertThat(CodecPolicy.allowAll().apply(m)).isSameAs(m);
        assertThat(CodecPolicy.allowAll().permits("anything")).isTrue();
    }
}
