package io.edgesbc.media.relay;

import static io.edgesbc.media.relay.Endpoint.data;
import static io.edgesbc.media.relay.Endpoint.rtp;
import static io.edgesbc.media.relay.Endpoint.sequence;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.media.sdp.SdpParser;
import io.edgesbc.media.sdp.SessionDescription;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay between two JDK sockets on loopback, with real RTP and RTCP packets. */
class MediaRelayLoopbackTest {

    static final InetAddress LO = Endpoint.LOOPBACK;

    private int base;
    private MediaRelay relay;

    @BeforeEach
    void start() {
        base = 20_000 + 200 * ThreadLocalRandom.current().nextInt(100); // 20,000-39,999
        relay = relay(LatchMode.LATCH, LatchMode.LATCH);
    }

    @AfterEach
    void stop() {
        relay.close();
    }

    private MediaRelay relay(LatchMode access, LatchMode core) {
        return MediaRelay.create(RelayConfig.of(
                        new RealmConfig("access", LO, base, base + 99, access),
                        new RealmConfig("core", LO, base + 100, base + 199, core)),
                MediaTimeoutListener.ignore());
    }

    static SessionDescription sdp(String user, int version, int rtpPort, String... extra) {
        StringBuilder sb = new StringBuilder()
                .append("v=0\r\no=").append(user).append(" 1 ").append(version).append(" IN IP4 127.0.0.1\r\n")
                .append("s=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n")
                .append("m=audio ").append(rtpPort).append(" RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        for (String line : extra) {
            sb.append(line).append("\r\n");
        }
        return SdpParser.parse(sb.toString());
    }

    /** Relay ports of one call: where A sends to and where B sends to. */
    record Ports(int towardsB, int towardsA) {
    }

    private Ports call(String callId, SessionDescription fromA, SessionDescription fromB) {
        RelayResult offer = relay.offer(callId, "a", fromA, CallOptions.between("access", "core"));
        assertThat(offer).isInstanceOf(RelayResult.Relayed.class);
        RelayResult answer = relay.answer(callId, "b", fromB);
        assertThat(answer).isInstanceOf(RelayResult.Relayed.class);
        int portForB = ((RelayResult.Relayed) offer).description().media().get(0).port();
        int portForA = ((RelayResult.Relayed) answer).description().media().get(0).port();
        return new Ports(portForA, portForB); // A sends to the port in its answer
    }

    private StreamStats rtpStats(String callId, String leg) {
        return relay.stats(callId).orElseThrow().stream(leg, 0, StreamKind.RTP);
    }

    @Test
    void forwardsBothDirectionsFromTheRelayAddresses() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            assertThat(p.towardsB()).isBetween(base, base + 99).isEven();
            assertThat(p.towardsA()).isBetween(base + 100, base + 199).isEven();

            byte[] out = rtp(1, 0, 0x1111, 160);
            a.send(p.towardsB(), out);
            DatagramPacket atB = b.receive();
            assertThat(atB).isNotNull();
            assertThat(data(atB)).isEqualTo(out);
            assertThat(atB.getPort()).isEqualTo(p.towardsA()); // from the relay's core-side socket

            byte[] back = rtp(9, 0, 0x2222, 160);
            b.send(p.towardsA(), back);
            DatagramPacket atA = a.receive();
            assertThat(data(atA)).isEqualTo(back);
            assertThat(atA.getPort()).isEqualTo(p.towardsB());

            StreamStats fromA = rtpStats("c1", "a");
            assertThat(fromA.packets()).isEqualTo(1);
            assertThat(fromA.bytes()).isEqualTo(172);
            assertThat(fromA.peer().getPort()).isEqualTo(a.port());
        }
    }

    @Test
    void countsLossOnTheRealPath() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            for (int seq : new int[] {1, 2, 3, 5, 6}) {
                a.send(p.towardsB(), rtp(seq, seq * 160, 0x1111, 160));
                assertThat(sequence(b.receive())).isEqualTo(seq);
            }
            StreamStats s = rtpStats("c1", "a");
            assertThat(s.packets()).isEqualTo(5);
            assertThat(s.packetsLost()).isEqualTo(1);
            assertThat(relay.delete("c1").orElseThrow().packetsLost()).isEqualTo(1);
        }
    }

    @Test
    void latchesOnTheFirstSourceInsteadOfTheSdpAddress() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint bSdp = new Endpoint(); Endpoint bNat = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, bSdp.port()));
            a.send(p.towardsB(), rtp(1, 0, 1, 160));
            assertThat(bSdp.receive()).as("before B sends, the SDP address").isNotNull();

            bNat.send(p.towardsA(), rtp(100, 0, 2, 160)); // B's packets really come from here (NAT)
            assertThat(sequence(a.receive())).isEqualTo(100);

            a.send(p.towardsB(), rtp(2, 160, 1, 160));
            DatagramPacket atNat = bNat.receive();
            assertThat(atNat).as("after latching, the learned source").isNotNull();
            assertThat(sequence(atNat)).isEqualTo(2);
            assertThat(rtpStats("c1", "b").peer().getPort()).isEqualTo(bNat.port());
        }
    }

    @Test
    void dropsAndCountsAnUnexpectedSourceAfterLatching() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint(); Endpoint intruder = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            b.send(p.towardsA(), rtp(1, 0, 7, 160));
            assertThat(sequence(a.receive())).isEqualTo(1);

            intruder.send(p.towardsA(), rtp(500, 0, 8, 160)); // new SSRC, but no SDP change
            b.send(p.towardsA(), rtp(2, 160, 7, 160));
            assertThat(sequence(a.receive())).as("the intruder's packet was dropped").isEqualTo(2);
            assertThat(rtpStats("c1", "b").droppedUnexpectedSource()).isEqualTo(1);
        }
    }

    @Test
    void strictModeAcceptsOnlyTheSdpAddress() throws IOException {
        relay.close();
        relay = relay(LatchMode.LATCH, LatchMode.STRICT);
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint(); Endpoint bNat = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            bNat.send(p.towardsA(), rtp(1, 0, 7, 160)); // would be latched in latch mode
            b.send(p.towardsA(), rtp(2, 160, 7, 160));
            assertThat(sequence(a.receive())).isEqualTo(2);
            assertThat(rtpStats("c1", "b").droppedUnexpectedSource()).isEqualTo(1);

            a.send(p.towardsB(), rtp(1, 0, 1, 160));
            assertThat(b.receive()).as("sent to the SDP address").isNotNull();
            assertThat(bNat.receive(200)).isNull();
        }
    }

    @Test
    void relatchesOnANewSsrcAfterAnSdpUpdate() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b1 = new Endpoint(); Endpoint b2 = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b1.port()));
            b1.send(p.towardsA(), rtp(1, 0, 7, 160));
            assertThat(sequence(a.receive())).isEqualTo(1);

            // B moves (e.g. a transfer behind the far end) and re-offers; A answers unchanged
            RelayResult update = relay.update("c1", "b", sdp("bob", 2, b2.port()));
            assertThat(update).isInstanceOf(RelayResult.Relayed.class);
            assertThat(((RelayResult.Relayed) update).description().media().get(0).port())
                    .as("same relay port for A").isEqualTo(p.towardsB());
            assertThat(relay.answer("c1", "a", sdp("alice", 1, a.port())).isRelayed()).isTrue();

            b2.send(p.towardsA(), rtp(1000, 0, 9, 160)); // new source, new SSRC
            assertThat(sequence(a.receive())).isEqualTo(1000);
            a.send(p.towardsB(), rtp(2, 160, 1, 160));
            assertThat(sequence(b2.receive())).isEqualTo(2);

            b1.send(p.towardsA(), rtp(3, 320, 7, 160)); // the old source is now unexpected
            b2.send(p.towardsA(), rtp(1001, 160, 9, 160));
            assertThat(sequence(a.receive())).isEqualTo(1001);
            StreamStats s = rtpStats("c1", "b");
            assertThat(s.relatches()).isEqualTo(1);
            assertThat(s.droppedUnexpectedSource()).isEqualTo(1);
        }
    }

    @Test
    void relaysRtcpOnTheNextPort() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint aRtcp = new Endpoint();
             Endpoint b = new Endpoint(); Endpoint bRtcp = new Endpoint()) {
            RelayResult offer = relay.offer("c1", "a", sdp("alice", 1, a.port(), "a=rtcp:" + aRtcp.port()),
                    CallOptions.between("access", "core"));
            RelayResult answer = relay.answer("c1", "b", sdp("bob", 1, b.port(), "a=rtcp:" + bRtcp.port()));
            var toB = ((RelayResult.Relayed) offer).description().media().get(0);
            var toA = ((RelayResult.Relayed) answer).description().media().get(0);
            assertThat(toB.rtcp().orElseThrow().port()).isEqualTo(toB.port() + 1); // RFC 3605
            assertThat(toA.rtcp().orElseThrow().port()).isEqualTo(toA.port() + 1);

            byte[] rr = Endpoint.rtcpReceiverReport(0x1111);
            aRtcp.send(toA.port() + 1, rr);
            DatagramPacket atB = bRtcp.receive();
            assertThat(data(atB)).isEqualTo(rr);
            assertThat(atB.getPort()).isEqualTo(toB.port() + 1);

            bRtcp.send(toB.port() + 1, Endpoint.rtcpReceiverReport(0x2222));
            assertThat(aRtcp.receive().getPort()).isEqualTo(toA.port() + 1);
            StreamStats rtcp = relay.stats("c1").orElseThrow().stream("a", 0, StreamKind.RTCP);
            assertThat(rtcp.packets()).isEqualTo(1);
            assertThat(rtcp.bytes()).isEqualTo(8);
        }
    }

    @Test
    void countsMalformedPackets() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            a.send(p.towardsB(), new byte[] {1, 2, 3}); // not RTP version 2
            a.send(p.towardsB(), rtp(5, 0, 1, 0));
            assertThat(sequence(b.receive())).isEqualTo(5);
            assertThat(rtpStats("c1", "a").droppedMalformed()).isEqualTo(1);
        }
    }

    @Test
    void repeatedRequestsChangeNothing() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            SessionDescription fromA = sdp("alice", 1, a.port());
            SessionDescription fromB = sdp("bob", 1, b.port());
            RelayResult o1 = relay.offer("c1", "a", fromA, CallOptions.between("access", "core"));
            RelayResult o2 = relay.offer("c1", "a", fromA, CallOptions.between("access", "core"));
            assertThat(o2).isEqualTo(o1);
            RelayResult a1 = relay.answer("c1", "b", fromB);
            RelayResult a2 = relay.answer("c1", "b", fromB);
            assertThat(a2).isEqualTo(a1);
            assertThat(relay.metrics().pool("access").free()).isEqualTo(49);
            assertThat(relay.metrics().pool("core").free()).isEqualTo(49);
            // a re-INVITE with the same SDP: same ports, same o= version (RFC 3264 §8)
            RelayResult u = relay.update("c1", "a", fromA);
            assertThat(u).isEqualTo(o1);
        }
    }

    @Test
    void usesNativeEpollOnLinuxX86() {
        boolean linuxX86 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        assertThat(relay.nativeTransport()).isEqualTo(linuxX86);
    }

    @Test
    void failuresAreValues() {
        SessionDescription any = sdp("alice", 1, 4000);
        assertThat(relay.answer("nope", "b", any)).isEqualTo(new RelayResult.UnknownCall("nope"));
        assertThat(relay.update("nope", "a", any)).isEqualTo(new RelayResult.UnknownCall("nope"));
        assertThat(relay.offer("c1", "a", any, CallOptions.between("access", "mars")))
                .isInstanceOf(RelayResult.Rejected.class);
        assertThat(relay.offer("c1", "a", any, CallOptions.between("access", "core")).isRelayed()).isTrue();
        assertThat(relay.answer("c1", "a", any)).as("own offer").isInstanceOf(RelayResult.Rejected.class);
        assertThat(relay.answer("c1", "b", any).isRelayed()).isTrue();
        assertThat(relay.update("c1", "x", any)).as("third leg").isInstanceOf(RelayResult.Rejected.class);
    }

    @Test
    void bypassPassesSdpUnchangedAndAllocatesNothing() {
        SessionDescription fromA = sdp("alice", 1, 4000);
        RelayResult r = relay.offer("c1", "a", fromA, CallOptions.between("access", "core").withBypass());
        assertThat(r).isEqualTo(new RelayResult.Relayed(fromA, java.util.Optional.empty()));
        SessionDescription fromB = sdp("bob", 1, 5000);
        assertThat(relay.answer("c1", "b", fromB)).isEqualTo(new RelayResult.Relayed(fromB, java.util.Optional.empty()));
        assertThat(relay.metrics().pool("access").free()).isEqualTo(50);
        assertThat(relay.delete("c1").orElseThrow().bypassed()).isTrue();
    }

    @Test
    void portsReturnToThePoolWhenCallsAreDeleted() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                String id = "call-" + i;
                assertThat(relay.offer(id, "a", sdp("alice", 1, 4000, "m=video 4002 RTP/AVP 96",
                        "a=rtpmap:96 H264/90000"), CallOptions.between("access", "core")).isRelayed()).isTrue();
                assertThat(relay.answer(id, "b", sdp("bob", 1, 5000)).isRelayed()).isTrue();
            }
            assertThat(relay.metrics().pool("access").free()).isEqualTo(10);
            assertThat(relay.metrics().pool("core").free()).isEqualTo(10);
            assertThat(relay.metrics().activeCalls()).isEqualTo(20);
            for (int i = 0; i < 20; i++) {
                assertThat(relay.delete("call-" + i)).isPresent();
            }
            assertThat(relay.metrics().pool("access").free()).isEqualTo(50);
            assertThat(relay.metrics().pool("core").free()).isEqualTo(50);
            assertThat(relay.metrics().activeCalls()).isZero();
        }
        assertThat(relay.delete("call-0")).as("deleting twice").isEmpty();
        assertThat(relay.answer("call-0", "b", sdp("bob", 1, 5000))).isInstanceOf(RelayResult.UnknownCall.class);
    }

    /** Runs {@code request} on the call's control executor and returns what it returned there. */
    private <T> T onControlExecutor(String callId, java.util.function.Supplier<T> request) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        relay.controlExecutor(callId).execute(() -> {
            try {
                result.complete(request.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void onItsControlExecutorACallIsSetUpAndTornDownInPlace() throws Exception {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            // Within one task of the loop: the sockets are bound by the time offer/answer return,
            // and the ports are back in the pool by the time delete returns.
            Ports p = onControlExecutor("c1", () -> call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port())));
            byte[] out = rtp(1, 0, 0x1111, 160);
            a.send(p.towardsB(), out);
            assertThat(data(b.receive())).isEqualTo(out);
            int freeWhileUp = relay.metrics().pool("access").free();
            int freeAfter = onControlExecutor("c1", () -> {
                assertThat(relay.delete("c1")).isPresent();
                return relay.metrics().pool("access").free();
            });
            assertThat(freeAfter).isEqualTo(freeWhileUp + 1);
            // the same ports serve the next call at once
            Ports again = onControlExecutor("c2", () -> call("c2", sdp("alice", 1, a.port()), sdp("bob", 1, b.port())));
            assertThat(again.towardsB()).isBetween(base, base + 99);
            a.send(again.towardsB(), out);
            assertThat(data(b.receive())).isEqualTo(out);
        }
    }

    @Test
    void anotherOfTheRelaysLoopsIsRefusedRatherThanMadeToWait() throws Exception {
        relay.close();
        relay = MediaRelay.create(RelayConfig.of(
                        new RealmConfig("access", LO, base, base + 99, LatchMode.LATCH),
                        new RealmConfig("core", LO, base + 100, base + 199, LatchMode.LATCH)).withIoThreads(2),
                MediaTimeoutListener.ignore());
        String here = "c-here";
        String there = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "c-" + i)
                .filter(id -> relay.controlExecutor(id) != relay.controlExecutor(here)).findFirst().orElseThrow();
        RelayResult refused = onControlExecutor(here,
                () -> relay.offer(there, "a", sdp("alice", 1, 4000), CallOptions.between("access", "core")));
        assertThat(refused).isInstanceOf(RelayResult.Rejected.class);
        assertThat(relay.metrics().activeCalls()).isZero();
        assertThat(relay.metrics().pool("access").free()).isEqualTo(50);
        // from a thread of its own the same request is handed over and succeeds
        assertThat(relay.offer(there, "a", sdp("alice", 1, 4000), CallOptions.between("access", "core")).isRelayed())
                .isTrue();
    }

    @Test
    void exhaustionIsReportedCountedAndUndoneByDelete() {
        relay.close();
        relay = MediaRelay.create(RelayConfig.of(new RealmConfig("tiny", LO, base, base + 3, LatchMode.LATCH)),
                MediaTimeoutListener.ignore()); // two RTP/RTCP pairs
        CallOptions tiny = CallOptions.within("tiny");
        assertThat(relay.offer("c1", "a", sdp("alice", 1, 4000), tiny).isRelayed()).isTrue(); // 1 pair per leg
        assertThat(relay.metrics().pool("tiny").free()).isZero();

        assertThat(relay.offer("c2", "a", sdp("alice", 1, 4000), tiny)).isEqualTo(new RelayResult.PortsExhausted("tiny"));
        assertThat(relay.metrics().pool("tiny").exhaustions()).isEqualTo(1);
        assertThat(relay.metrics().activeCalls()).as("a failed first offer leaves no call").isEqualTo(1);

        relay.delete("c1");
        assertThat(relay.metrics().pool("tiny").free()).isEqualTo(2);
        // two sections need four pairs: the two taken are given back
        assertThat(relay.offer("c3", "a", sdp("alice", 1, 4000, "m=audio 4002 RTP/AVP 8"), tiny))
                .isInstanceOf(RelayResult.PortsExhausted.class);
        assertThat(relay.metrics().pool("tiny").free()).isEqualTo(2);
        assertThat(relay.offer("c2", "a", sdp("alice", 1, 4000), tiny).isRelayed()).isTrue();
    }

    @Test
    void aCallsOwnLatchModeOverridesTheRealms() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint(); Endpoint bNat = new Endpoint()) {
            // both realms latch; this call asks for strict
            RelayResult offer = relay.offer("c1", "a", sdp("alice", 1, a.port()),
                    CallOptions.between("access", "core").withLatchMode(LatchMode.STRICT));
            RelayResult answer = relay.answer("c1", "b", sdp("bob", 1, b.port()));
            int towardsB = ((RelayResult.Relayed) answer).description().media().get(0).port();
            int towardsA = ((RelayResult.Relayed) offer).description().media().get(0).port();
            bNat.send(towardsA, rtp(1, 0, 7, 160)); // latch mode would take this source
            b.send(towardsA, rtp(2, 160, 7, 160));
            assertThat(sequence(a.receive())).isEqualTo(2);
            assertThat(rtpStats("c1", "b").droppedUnexpectedSource()).isEqualTo(1);
            a.send(towardsB, rtp(1, 0, 1, 160));
            assertThat(b.receive()).as("sent to the SDP address").isNotNull();
            assertThat(bNat.receive(200)).isNull();
        }
    }

    @Test
    void anAdvertisedAddressGoesIntoTheSdpWhileTheRelayBindsItsOwn() throws IOException {
        relay.close();
        InetAddress published = InetAddress.getByName("192.0.2.7");
        relay = MediaRelay.create(RelayConfig.of(
                        RealmConfig.of("access", LO, base, base + 99).withAdvertise(published),
                        RealmConfig.of("core", LO, base + 100, base + 199)),
                MediaTimeoutListener.ignore());
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            RelayResult offer = relay.offer("c1", "a", sdp("alice", 1, a.port()), CallOptions.between("access", "core"));
            RelayResult answer = relay.answer("c1", "b", sdp("bob", 1, b.port()));
            SessionDescription toA = ((RelayResult.Relayed) answer).description();
            SessionDescription toB = ((RelayResult.Relayed) offer).description();
            assertThat(toA.connection().orElseThrow().address()).isEqualTo("192.0.2.7");
            assertThat(toA.origin().address()).isEqualTo("192.0.2.7");
            assertThat(toB.connection().orElseThrow().address()).isEqualTo("127.0.0.1");
            // the socket itself is on the bound address
            a.send(toA.media().get(0).port(), rtp(1, 0, 1, 160));
            assertThat(sequence(b.receive())).isEqualTo(1);
        }
    }

    @Test
    void aWildcardRealmNeedsAnAdvertisedAddress() throws IOException {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RealmConfig.of("x", any, 30000, 30099))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("advertise");
        assertThat(new RealmConfig("x", any, 30000, 30099, LatchMode.LATCH, LO).sdpAddress()).isEqualTo(LO);
    }

    @Test
    void trafficCountersCoverLiveAndEndedCallsAndNeverDecrease() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            Ports p = call("c1", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            assertThat(relay.metrics().activeStreams()).as("RTP + RTCP on two legs").isEqualTo(4);
            for (int seq : new int[] {1, 2, 4}) {
                a.send(p.towardsB(), rtp(seq, seq * 160, 0x1111, 160));
                assertThat(sequence(b.receive())).isEqualTo(seq);
            }
            RelayMetrics.Traffic live = relay.metrics().traffic();
            assertThat(live.packets()).isEqualTo(3);
            assertThat(live.bytes()).isEqualTo(3 * 172);
            assertThat(live.packetsLost()).isEqualTo(1);

            relay.delete("c1");
            RelayMetrics after = relay.metrics();
            assertThat(after.traffic()).isEqualTo(live);
            assertThat(after.activeStreams()).isZero();

            Ports q = call("c2", sdp("alice", 1, a.port()), sdp("bob", 1, b.port()));
            b.send(q.towardsA(), rtp(9, 0, 0x2222, 20));
            assertThat(sequence(a.receive())).isEqualTo(9);
            assertThat(relay.metrics().traffic().packets()).isEqualTo(4);
            assertThat(relay.metrics().traffic().bytes()).isEqualTo(3 * 172 + 32);
        }
    }
}
