package io.edgesbc.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SdpRewriterTest {

    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=alice 100 7 IN IP4 10.0.0.1",
            "s=-",
            "c=IN IP4 10.0.0.1",
            "t=0 0",
            "m=audio 20000 RTP/AVP 0 8",
            "a=sendrecv",
            "");

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static RelayAllocation relay(int port) {
        return RelayAllocation.builder(ip("203.0.113.10")).media(0, ip("203.0.113.10"), port).build();
    }

    private final SdpRewriter rewriter = new SdpRewriter();

    @Test
    void firstRewriteKeepsIncomingVersionAndReplacesOriginAddress() {
        SdpRewriter.Result r = rewriter.rewrite(SdpParser.parse(OFFER), relay(40000), LegSdpState.initial());
        assertThat(r.description().origin())
                .isEqualTo(new Origin("alice", "100", "7", "IN", "IP4", "203.0.113.10"));
        assertThat(r.state().lastSent()).contains(r.description());
    }

    @Test
    void identicalOfferKeepsVersionEvenWhenIncomingVersionMoves() {
        SdpRewriter.Result first = rewriter.rewrite(SdpParser.parse(OFFER), relay(40000), LegSdpState.initial());
        // the other leg bumped its version without changing anything we send (RFC 3264 §8)
        SessionDescription bumped = SdpParser.parse(OFFER.replace("100 7", "100 8"));
        SdpRewriter.Result second = rewriter.rewrite(bumped, relay(40000), first.state());
        assertThat(second.description().origin().sessionVersion()).isEqualTo("7");
        assertThat(second.description()).isEqualTo(first.description());
    }

    @Test
    void changedContentBumpsVersionByExactlyOne() {
        SdpRewriter.Result first = rewriter.rewrite(SdpParser.parse(OFFER), relay(40000), LegSdpState.initial());
        SessionDescription hold = SdpParser.parse(OFFER.replace("a=sendrecv", "a=sendonly"));
        SdpRewriter.Result second = rewriter.rewrite(hold, relay(40000), first.state());
        assertThat(second.description().origin().sessionVersion()).isEqualTo("8");
        SdpRewriter.Result third = rewriter.rewrite(hold, relay(40000), second.state());
        assertThat(third.description().origin().sessionVersion()).isEqualTo("8");
        SdpRewriter.Result fourth = rewriter.rewrite(SdpParser.parse(OFFER), relay(40000), third.state());
        assertThat(fourth.description().origin().sessionVersion()).isEqualTo("9");
    }

    @Test
    void newRelayPortIsAChange() {
        SdpRewriter.Result first = rewriter.rewrite(SdpParser.parse(OFFER), relay(40000), LegSdpState.initial());
        SdpRewriter.Result moved = rewriter.rewrite(SdpParser.parse(OFFER), relay(40010), first.state());
        assertThat(moved.description().media().get(0).port()).isEqualTo(40010);
        assertThat(moved.description().origin().sessionVersion()).isEqualTo("8");
    }

    @Test
    void legOriginStaysFixedWhenIncomingOriginChanges() {
        SdpRewriter.Result first = rewriter.rewrite(SdpParser.parse(OFFER), relay(40000), LegSdpState.initial());
        // e.g. after a transfer the other leg's SDP comes from another UA
        SessionDescription other = SdpParser.parse(OFFER.replace("o=alice 100 7 IN IP4 10.0.0.1", "o=bob 555 1 IN IP4 10.9.9.9"));
        SdpRewriter.Result second = rewriter.rewrite(other, relay(40000), first.state());
        assertThat(second.description().origin()).isEqualTo(first.description().origin());
        SessionDescription otherChanged = SdpParser.parse(OFFER.replace("o=alice 100 7 IN IP4 10.0.0.1", "o=bob 555 1 IN IP4 10.9.9.9")
                .replace("0 8", "8"));
        SdpRewriter.Result third = rewriter.rewrite(otherChanged, relay(40000), second.state());
        assertThat(third.description().origin())
                .isEqualTo(new Origin("alice", "100", "8", "IN", "IP4", "203.0.113.10"));
    }

    @Test
    void versionBumpWorksBeyondLongRange() {
        String big = OFFER.replace("100 7", "100 9223372036854775807");
        SdpRewriter.Result first = rewriter.rewrite(SdpParser.parse(big), relay(40000), LegSdpState.initial());
        SdpRewriter.Result second = rewriter.rewrite(SdpParser.parse(big), relay(40002), first.state());
        assertThat(second.description().origin().sessionVersion()).isEqualTo("9223372036854775808");
    }

    @Test
    void missingEndpointForActiveSectionIsACallerError() {
        RelayAllocation none = RelayAllocation.builder(ip("203.0.113.10")).build();
        assertThatThrownBy(() -> rewriter.rewrite(SdpParser.parse(OFFER), none, LegSdpState.initial()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("media section 0");
    }

    @Test
    void defaultRtcpPortIsRtpPlusOne() {
        assertThat(relay(40000).endpoint(0).orElseThrow().rtcpPort()).isEqualTo(40001);
        assertThat(RelayAllocation.builder(ip("::1")).media(0, ip("::1"), 40000, 40000).build()
                .endpoint(0).orElseThrow().rtcpPort()).isEqualTo(40000);
    }

    @Test
    void mediaLevelConnectionAddedWhenNoneExistsAnywhere() {
        // built programmatically: a section with neither session nor media c= still gets one
        SessionDescription sd = new SessionDescription(new Origin("-", "1", "1", "IN", "IP4", "h"), "-",
                List.of(new GenericField('t', "0 0")),
                List.of(new MediaDescription("audio", 5, java.util.OptionalInt.empty(), "RTP/AVP", List.of("0"), List.of())));
        SessionDescription out = rewriter.rewrite(sd, relay(40000), LegSdpState.initial()).description();
        assertThat(out.media().get(0).connection()).contains(Connection.of("IN", "IP4", "203.0.113.10"));
    }

    @Test
    void extraLayeredMulticastConnectionsAreDropped() {
        String sdp = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 h", "s=-", "t=0 0",
                "m=video 5000 RTP/AVP 31", "c=IN IP4 233.252.0.1/127", "c=IN IP4 233.252.0.2/127", "");
        SessionDescription out = rewriter.rewrite(SdpParser.parse(sdp), relay(40000), LegSdpState.initial()).description();
        assertThat(out.media().get(0).connections()).containsExactly(Connection.of("IN", "IP4", "203.0.113.10"));
    }

    @Test
    void codecRejectedSectionStillHidesInternalAddress() {
        String sdp = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 h", "s=-", "t=0 0",
                "m=audio 5000 RTP/AVP 18", "c=IN IP4 10.0.0.1", "a=rtcp:5001 IN IP4 10.0.0.1", "");
        SdpRewriter denyG729 = new SdpRewriter(new SdpRewriter.Options(false,
                new CodecPolicy(Set.of(), Set.of("g729"), List.of())));
        MediaDescription m = denyG729.rewrite(SdpParser.parse(sdp), relay(40000), LegSdpState.initial())
                .description().media().get(0);
        assertThat(m.port()).isZero();
        assertThat(m.connection().orElseThrow().address()).isEqualTo("203.0.113.10");
        assertThat(m.rtcp().orElseThrow().connection().address()).isEqualTo("203.0.113.10");
    }

    @Test
    void inputIsNotModified() {
        SessionDescription in = SdpParser.parse(OFFER);
        rewriter.rewrite(in, relay(40000), LegSdpState.initial());
        assertThat(in.toString()).isEqualTo(OFFER);
    }
}
