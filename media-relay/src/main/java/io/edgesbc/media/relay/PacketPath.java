package io.edgesbc.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The data plane of one relay socket. Per packet, on the call's event loop, as named steps over
 * the thread's {@link PacketContext}: {@link #classify}, {@link #checkSource} (which also
 * latches), {@link #count}, {@link #forward}. No locks, no allocation besides the outgoing
 * {@link DatagramPacket}, no Reactor. Forwarded packets are written per packet and flushed once
 * per read batch.
 *
 * <p>Buffer ownership: the received datagram is released once by {@link PacketContext#end()};
 * a forwarded packet carries one extra reference on the same buffer (zero-copy), which the
 * outgoing write releases when it is sent or fails.
 */
final class PacketPath extends ChannelInboundHandlerAdapter {

    private static final int RTP_HEADER = 12; // RFC 3550 §5.1 fixed header
    private static final int RTCP_HEADER = 8; // RFC 3550 §6.4.1 header up to the sender SSRC

    private final RelayStream stream;
    private final NanoClock clock;
    /**
     * loop: the partner socket written to since the last flush. Writes are flushed once per read
     * batch ({@link #channelReadComplete}) instead of once per packet, so that the packets a
     * wakeup reads from this socket leave the partner's in one {@code sendmmsg} rather than one
     * {@code sendto} each.
     */
    private Channel unflushed;

    PacketPath(RelayStream stream, NanoClock clock) {
        this.stream = stream;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        PacketContext c = PacketContext.current().begin(stream, packet, clock.nanoTime());
        Channel written;
        try {
            handle(c);
        } finally {
            written = c.written;
            c.end();
        }
        if (written != null && written != unflushed) {
            flushPending(); // the partner changed within a batch (an SDP update)
            unflushed = written;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushPending();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flushPending();
        ctx.fireChannelInactive();
    }

    private void flushPending() {
        Channel ch = unflushed;
        if (ch != null) {
            unflushed = null;
            ch.flush();
        }
    }

    static void handle(PacketContext c) {
        if (!classify(c)) {
            c.stream.droppedMalformed++;
            return;
        }
        if (!checkSource(c)) {
            c.stream.droppedUnexpectedSource++;
            return;
        }
        count(c);
        forward(c);
    }

    /**
     * RTP or RTCP, and the header fields the next steps need. Version must be 2 (RFC 3550 §5.1).
     * On an RTP socket, second-byte values 192-223 (payload types 64-95) are RTCP multiplexed
     * onto the RTP port (RFC 5761 §4).
     */
    static boolean classify(PacketContext c) {
        ByteBuf b = c.content;
        int at = b.readerIndex();
        if (c.length < RTCP_HEADER || (b.getUnsignedByte(at) >>> 6) != 2) {
            return false;
        }
        int second = b.getUnsignedByte(at + 1);
        boolean rtcp = c.stream.kind == StreamKind.RTCP || (second >= 192 && second <= 223);
        if (rtcp) {
            c.rtp = false;
            c.ssrc = b.getInt(at + 4);
            return true;
        }
        if (c.length < RTP_HEADER) {
            return false;
        }
        c.rtp = true;
        c.payloadType = second & 0x7F;
        c.sequence = b.getUnsignedShort(at + 2);
        c.timestamp = b.getInt(at + 4);
        c.ssrc = b.getInt(at + 8);
        return true;
    }

    /**
     * {@link LatchMode#STRICT}: only the SDP address. {@link LatchMode#LATCH}: the first source
     * is learned (symmetric RTP, RFC 4961); later, only that source, unless an SDP change armed a
     * re-latch and the packet comes from elsewhere with a new SSRC.
     */
    static boolean checkSource(PacketContext c) {
        RelayStream s = c.stream;
        InetSocketAddress src = c.source;
        if (s.mode == LatchMode.STRICT) {
            return src.equals(s.sdpPeer);
        }
        InetSocketAddress latched = s.latched;
        if (latched == null) {
            s.latched = src;
            return true;
        }
        if (latched.equals(src)) {
            return true;
        }
        if (s.relatchArmed && c.ssrc != s.lastSsrc) {
            s.latched = src;
            s.relatchArmed = false;
            s.relatches++;
            return true;
        }
        return false;
    }

    /** Counters and, for RTP, loss and jitter (RFC 3550 A.1, A.3, A.8). */
    static void count(PacketContext c) {
        RelayStream s = c.stream;
        s.lastSsrc = c.ssrc;
        s.bytes += c.length;
        if (c.rtp) {
            s.rtpStats.onPacket(c.ssrc, c.sequence, c.timestamp, c.arrivalNanos, s.clockRates[c.payloadType]);
            s.countRtpPacket();
        }
        s.countPacket(); // last: publishes the counters above
    }

    /**
     * Out of the other leg's socket of the same media section and kind, to that party's address.
     * Dropped and counted when the other side is unknown or its socket cannot take more.
     */
    static void forward(PacketContext c) {
        RelayStream s = c.stream;
        RelayStream out = s.partner;
        Channel ch = out == null ? null : out.channel;
        InetSocketAddress to = out == null ? null : out.destination();
        if (ch == null || to == null || !ch.isActive() || !ch.isWritable()) {
            s.droppedNoDestination++;
            return;
        }
        ch.write(new DatagramPacket(c.content.retain(), to), ch.voidPromise());
        c.written = ch; // flushed by the receiving socket's handler, once per read batch
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // e.g. a send refused by the kernel; the packet is lost like any UDP packet. Not rethrown:
        // one call's socket errors must not disturb others.
        stream.droppedNoDestination++;
    }
}
