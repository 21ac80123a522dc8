package io.edgesbc.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Buffer ownership on the packet path: zero-copy forward, each reference released once. */
class PacketPathTest {

    private static final InetSocketAddress RELAY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    private static final InetSocketAddress PARTY_A = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000);
    private static final InetSocketAddress PARTY_B = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6000);

    private final RealmConfig realm = RealmConfig.of("r", InetAddress.getLoopbackAddress(), 40000, 40009);
    private final RealmRuntime runtime = new RealmRuntime(realm, new PortPool(realm));
    private final RelayStream fromA = stream("a", 40000);
    private final RelayStream toB = stream("b", 40002);

    private RelayStream stream(String leg, int port) {
        return new RelayStream(new RelayLeg(leg, runtime), 0, StreamKind.RTP, port, LatchMode.LATCH,
                ClockRates.defaults("audio"));
    }

    private static ByteBuf rtp(int seq) {
        return Unpooled.directBuffer(172).writeBytes(Endpoint.rtp(seq, seq * 160, 0xABC, 160));
    }

    @Test
    void forwardsTheSameBufferAndReleasesTheReceivedReferenceOnce() {
        EmbeddedChannel out = new EmbeddedChannel();
        toB.channel = out;
        toB.sdpPeer = PARTY_B;
        fromA.partner = toB;
        EmbeddedChannel in = new EmbeddedChannel(new PacketPath(fromA, () -> 0L));

        ByteBuf buf = rtp(1);
        in.writeInbound(new DatagramPacket(buf, RELAY, PARTY_A));

        DatagramPacket sent = out.readOutbound();
        assertThat(sent.content()).isSameAs(buf); // zero-copy
        assertThat(sent.recipient()).isEqualTo(PARTY_B);
        assertThat(buf.refCnt()).as("only the outgoing packet holds it").isEqualTo(1);
        sent.release(); // what the socket write does after sending
        assertThat(buf.refCnt()).isZero();
        assertThat(fromA.packets).isEqualTo(1);
        assertThat(fromA.latched).isEqualTo(PARTY_A);
        assertThat(in.finish()).isFalse();
        assertThat(out.finish()).isFalse();
    }

    @Test
    void releasesDroppedPackets() {
        EmbeddedChannel in = new EmbeddedChannel(new PacketPath(fromA, () -> 0L));
        ByteBuf noPartner = rtp(1);
        in.writeInbound(new DatagramPacket(noPartner, RELAY, PARTY_A));
        assertThat(noPartner.refCnt()).isZero();
        assertThat(fromA.droppedNoDestination).isEqualTo(1);

        ByteBuf garbage = Unpooled.directBuffer(4).writeInt(0x01020304);
        in.writeInbound(new DatagramPacket(garbage, RELAY, PARTY_A));
        assertThat(garbage.refCnt()).isZero();
        assertThat(fromA.droppedMalformed).isEqualTo(1);

        ByteBuf intruder = rtp(2);
        in.writeInbound(new DatagramPacket(intruder, RELAY, PARTY_B)); // A is latched already
        assertThat(intruder.refCnt()).isZero();
        assertThat(fromA.droppedUnexpectedSource).isEqualTo(1);
        assertThat(in.finish()).isFalse();
    }

    @Test
    void classifiesRtcpMultiplexedOnTheRtpPort() {
        PacketContext c = PacketContext.current();
        ByteBuf rr = Unpooled.wrappedBuffer(Endpoint.rtcpReceiverReport(0x1234));
        c.begin(fromA, new DatagramPacket(rr, RELAY, PARTY_A), 0);
        assertThat(PacketPath.classify(c)).isTrue();
        assertThat(c.rtp).isFalse(); // RFC 5761 §4: PT 201 -> second byte 201
        assertThat(c.ssrc).isEqualTo(0x1234);
        c.end();
        assertThat(rr.refCnt()).isZero();
    }
}
