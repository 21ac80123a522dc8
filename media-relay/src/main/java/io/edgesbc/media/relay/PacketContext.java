package io.edgesbc.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;

/**
 * What the steps of {@link PacketPath} learn about the packet being handled. One instance per
 * event loop thread, reused for every packet; it holds references only while a packet is in
 * flight.
 */
final class PacketContext {

    private static final FastThreadLocal<PacketContext> CURRENT = new FastThreadLocal<>() {
        @Override
        protected PacketContext initialValue() {
            return new PacketContext();
        }
    };

    /** The stream (socket) the packet arrived on. */
    RelayStream stream;
    /** The received datagram; released by {@link #end()}, exactly once. */
    DatagramPacket packet;
    ByteBuf content;
    InetSocketAddress source;
    long arrivalNanos;
    int length;

    /** Set by classify: RTP (else RTCP, also for rtcp-mux on the RTP socket). */
    boolean rtp;
    int ssrc;
    int payloadType;
    int sequence;
    int timestamp;
    /** Set by forward: the socket the packet was written to (not flushed yet), else null. */
    Channel written;

    static PacketContext current() {
        return CURRENT.get();
    }

    PacketContext begin(RelayStream s, DatagramPacket p, long nowNanos) {
        stream = s;
        packet = p;
        content = p.content();
        source = p.sender();
        arrivalNanos = nowNanos;
        length = content.readableBytes();
        written = null;
        return this;
    }

    /** Releases the received packet and forgets it. */
    void end() {
        DatagramPacket p = packet;
        stream = null;
        packet = null;
        content = null;
        source = null;
        written = null;
        if (p != null) {
            p.release();
        }
    }
}
