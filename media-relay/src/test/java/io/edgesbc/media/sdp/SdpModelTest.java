package io.edgesbc.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SdpModelTest {

    private static SessionDescription parse(String... lines) {
        return SdpParser.parse(String.join("\r\n", lines) + "\r\n");
    }

    @Test
    void directionDefaultsToSendrecvAndMediaOverridesSession() {
        SessionDescription sd = parse("v=0", "o=- 1 1 IN IP4 h", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "a=inactive", "m=audio 1 RTP/AVP 0", "m=audio 2 RTP/AVP 0", "a=recvonly");
        assertThat(sd.effectiveDirection(sd.media().get(0))).isEqualTo(Direction.INACTIVE);
        assertThat(sd.effectiveDirection(sd.media().get(1))).isEqualTo(Direction.RECVONLY);
        SessionDescription plain = parse("v=0", "o=- 1 1 IN IP4 h", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "m=audio 1 RTP/AVP 0");
        assertThat(plain.effectiveDirection(plain.media().get(0))).isEqualTo(Direction.SENDRECV);
        assertThat(plain.media().get(0).declaredDirection()).isEmpty();
    }

    @Test
    void directionValueAttributeIsNotADirection() {
        assertThat(Direction.of(Attribute.of("sendonly", "x"))).isEmpty();
        assertThat(Direction.of(Attribute.flag("sendonly"))).contains(Direction.SENDONLY);
    }

    @Test
    void rtpmapAndFmtpLookupPerPayloadType() {
        MediaDescription m = parse("v=0", "o=- 1 1 IN IP4 h", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "m=audio 1 RTP/AVP 111 101 0 1",
                "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1",
                "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16 ", "a=rtpmap:1 broken").media().get(0);
        assertThat(m.rtpmap(111)).contains(new RtpMap(111, "opus", 48000, "2"));
        assertThat(m.rtpmap(1)).isEmpty();
        assertThat(m.rtpmap(11)).isEmpty();
        assertThat(m.fmtp(111)).contains("minptime=10;useinbandfec=1");
        assertThat(m.fmtp(101)).contains("0-16");
        assertThat(m.fmtp(0)).isEmpty();
        assertThat(m.encodingName(0)).contains("PCMU");
        assertThat(m.encodingName(101)).contains("telephone-event");
        assertThat(m.encodingName(1)).isEmpty();
    }

    @Test
    void staticPayloadTypesFollowRfc3551() {
        assertThat(StaticPayloadTypes.name(0)).contains("PCMU");
        assertThat(StaticPayloadTypes.name(3)).contains("GSM");
        assertThat(StaticPayloadTypes.name(4)).contains("G723");
        assertThat(StaticPayloadTypes.name(8)).contains("PCMA");
        assertThat(StaticPayloadTypes.name(9)).contains("G722");
        assertThat(StaticPayloadTypes.name(18)).contains("G729");
        assertThat(StaticPayloadTypes.name(2)).isEmpty();
        assertThat(StaticPayloadTypes.name(96)).isEmpty();
    }

    @Test
    void rtcpAttributeWithAndWithoutAddress() {
        assertThat(Rtcp.parse("53020")).contains(new Rtcp(53020, null));
        assertThat(Rtcp.parse("53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD"))
                .contains(new Rtcp(53020, Connection.of("IN", "IP6", "2001:2345:6789:ABCD:EF01:2345:6789:ABCD")));
        assertThat(Rtcp.parse("70000")).isEmpty();
        assertThat(Rtcp.parse("5 IN IP4")).isEmpty();
        assertThat(Rtcp.parse("x")).isEmpty();
        assertThat(new Rtcp(9, Connection.of("IN", "IP4", "0.0.0.0")).text()).isEqualTo("9 IN IP4 0.0.0.0");
    }

    @Test
    void mediaRtcpHelperReadsTheAttribute() {
        MediaDescription m = parse("v=0", "o=- 1 1 IN IP4 h", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "m=audio 1 RTP/AVP 0", "a=rtcp:53020 IN IP4 126.16.64.4").media().get(0);
        assertThat(m.rtcp()).contains(new Rtcp(53020, Connection.of("IN", "IP4", "126.16.64.4")));
    }

    @Test
    void connectionOfFormatsIpv6Canonically() throws Exception {
        assertThat(Connection.of(InetAddress.getByName("2001:0DB8:0:0:0:0:0:1")).text()).isEqualTo("IN IP6 2001:db8::1");
        assertThat(Connection.of(InetAddress.getByName("2001:db8:0:1:1:1:1:1")).address()).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Connection.of(InetAddress.getByName("2001:0:0:1:0:0:0:1")).address()).isEqualTo("2001:0:0:1::1");
        assertThat(Connection.of(InetAddress.getByName("::")).address()).isEqualTo("::");
        assertThat(Connection.of(InetAddress.getByName("fe80::1%1")).address()).isEqualTo("fe80::1");
        assertThat(Connection.of(InetAddress.getByName("192.0.2.1")).text()).isEqualTo("IN IP4 192.0.2.1");
    }

    @Test
    void holdAddressIsOnlyIpv4Unspecified() {
        assertThat(Connection.of("IN", "IP4", "0.0.0.0").isHoldAddress()).isTrue();
        assertThat(Connection.of("IN", "IP6", "::").isHoldAddress()).isFalse();
        assertThat(Connection.of("IN", "IP4", "10.0.0.1").isHoldAddress()).isFalse();
    }

    @Test
    void attributeFlagAndEmptyValueDiffer() {
        assertThat(Attribute.flag("x").text()).isEqualTo("x");
        assertThat(Attribute.of("x", "").text()).isEqualTo("x:");
        assertThat(Attribute.flag("x")).isNotEqualTo(Attribute.of("x", ""));
        assertThatThrownBy(() -> Attribute.flag("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attribute.of("a", "x\r\ny")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modelIsImmutable() {
        SessionDescription sd = parse("v=0", "o=- 1 1 IN IP4 h", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "m=audio 1 RTP/AVP 0");
        assertThatThrownBy(() -> sd.fields().add(Attribute.flag("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> sd.media().get(0).formats().add("8")).isInstanceOf(UnsupportedOperationException.class);
        MediaDescription changed = sd.media().get(0).withPort(0);
        assertThat(sd.media().get(0).port()).isEqualTo(1);
        assertThat(changed.isRejected()).isTrue();
    }

    @Test
    void mediaDescriptionRequiresAFormat() {
        assertThatThrownBy(() -> new MediaDescription("audio", 1, java.util.OptionalInt.empty(), "RTP/AVP",
                List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writerRoundTripsCrlfInputByteForByte() {
        String crlf = SdpParserTest.OFFER;
        assertThat(SdpParser.parse(crlf).toString()).isEqualTo(crlf);
        assertThat(SdpWriter.write(SdpParser.parse(crlf))).isEqualTo(crlf);
    }
}
