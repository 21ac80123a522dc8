package io.edgesbc.media.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A test party: a JDK UDP socket on loopback that sends and receives RTP/RTCP. */
final class Endpoint implements AutoCloseable {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final DatagramSocket socket;

    Endpoint() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout(2_000);
    }

    int port() {
        return socket.getLocalPort();
    }

    void send(int relayPort, byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, LOOPBACK, relayPort));
    }

    /** The next datagram, or null after the timeout. */
    DatagramPacket receive(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
            return p;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    DatagramPacket receive() throws IOException {
        return receive(2_000);
    }

    static byte[] data(DatagramPacket p) {
        return Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
    }

    /** An RTP packet (RFC 3550 §5.1): 12-byte header, PT 0, then {@code payload} bytes. */
    static byte[] rtp(int seq, int timestamp, int ssrc, int payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload);
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (0xFF ^ i));
        }
        return b.array();
    }

    /** An empty RTCP receiver report (RFC 3550 §6.4.2): 8 bytes. */
    static byte[] rtcpReceiverReport(int ssrc) {
        return ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1).putInt(ssrc).array();
    }

    static int sequence(DatagramPacket p) {
        return ((p.getData()[p.getOffset() + 2] & 0xFF) << 8) | (p.getData()[p.getOffset() + 3] & 0xFF);
    }

    @Override
    public void close() {
        socket.close();
    }
}
