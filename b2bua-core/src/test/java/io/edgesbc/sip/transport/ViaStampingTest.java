package io.edgesbc.sip.transport;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.Via;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * received/rport stamping on arrival (RFC 3261 §18.2.1, RFC 3581 §4), and what it means for where
 * the response then goes ({@link ResponseRouting}).
 */
class ViaStampingTest {

    private static final InetSocketAddress SOURCE = new InetSocketAddress("203.0.113.5", 40123);

    private static SipRequest request(String via) {
        ParseResult result = new SipParser().parseDatagram(crlf("""
                OPTIONS sip:sbc.example.net SIP/2.0
                Via: %s
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: stamp-1
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(via)));
        return (SipRequest) ((ParseResult.Parsed) result).message();
    }

    private static Via stamped(String via) {
        return ViaStamping.stamp(request(via), SOURCE).topVia();
    }

    @Test
    void aTruthfulViaWithoutRportIsLeftAsItIs() {
        SipRequest request = request("SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1");
        assertThat(ViaStamping.stamp(request, SOURCE)).isSameAs(request);
    }

    @Test
    void anotherAddressGetsReceivedButNoRport() {
        Via via = stamped("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1");
        assertThat(via.received()).isEqualTo("203.0.113.5");
        assertThat(via.hasRport()).isFalse();
    }

    @Test
    void aNameAlwaysGetsReceived() {
        assertThat(stamped("SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK1").received()).isEqualTo("203.0.113.5");
    }

    @Test
    void aBareRportGetsTheSourcePortAndReceivedEvenWhenTheAddressMatches() {
        Via via = stamped("SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1;rport");
        assertThat(via.received()).isEqualTo("203.0.113.5");
        assertThat(via.rport()).isEqualTo(40123);
    }

    @Test
    void anRportValueTheSenderWroteIsReplacedWithTheSourcePort() {
        assertThat(stamped("SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1;rport=9").rport()).isEqualTo(40123);
    }

    @Test
    void aReceivedTheSenderWroteIsReplacedWithTheSourceAddress() {
        assertThat(stamped("SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1;received=198.51.100.66").received())
                .isEqualTo("203.0.113.5");
    }

    @Test
    void valuesThatAlreadyNameTheSourceAreLeftAsTheyAre() {
        SipRequest request = request("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;received=203.0.113.5;rport=40123");
        assertThat(ViaStamping.stamp(request, SOURCE)).isSameAs(request);
    }

    @Test
    void onlyTheFirstElementOfACommaListIsStamped() {
        SipRequest request = request("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK0");
        SipRequest out = ViaStamping.stamp(request, SOURCE);
        assertThat(out.headers().first(HeaderName.VIA))
                .isEqualTo("SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;received=203.0.113.5, SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK0");
    }

    /** RFC 3581 §4: whatever its sent-by says, a request with rport is answered at its source. */
    @ParameterizedTest
    @ValueSource(strings = {
            "SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1;rport",
            "SIP/2.0/UDP 203.0.113.5;branch=z9hG4bK1;rport",
            "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport",
            "SIP/2.0/UDP host.example.com;branch=z9hG4bK1;rport",
            "SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK1;rport",
            "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1;rport=9;received=198.51.100.66",
    })
    void aStampedRequestWithRportIsAnsweredAtItsSource(String via) {
        assertThat(ResponseRouting.unreliable(stamped(via))).isEqualTo(SOURCE);
    }

    /** RFC 3261 §18.2.2: without rport, the source address but the sent-by port (or 5060). */
    @ParameterizedTest
    @ValueSource(strings = {
            "SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1",
            "SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1",
            "SIP/2.0/UDP host.example.com:5070;branch=z9hG4bK1",
            "SIP/2.0/UDP 203.0.113.5:5070;branch=z9hG4bK1;received=198.51.100.66",
    })
    void aStampedRequestWithoutRportIsAnsweredAtItsSentByPort(String via) {
        assertThat(ResponseRouting.unreliable(stamped(via))).isEqualTo(new InetSocketAddress("203.0.113.5", 5070));
    }
}
