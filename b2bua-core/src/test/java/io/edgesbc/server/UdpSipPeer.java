package io.edgesbc.server;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.parse.SipWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A SIP peer of the server tests on a loopback UDP socket: sends messages (as text or built) and
 * waits for the next one it wants, skipping others (retransmissions, provisional responses).
 */
final class UdpSipPeer implements AutoCloseable {

    /** A message and the address it came from (where an answer to it goes). */
    record Received(SipMessage message, InetSocketAddress from) {
        SipRequest request() {
            return (SipRequest) message;
        }

        SipResponse response() {
            return (SipResponse) message;
        }
    }

    private final DatagramSocket socket;
    private final SipParser parser = new SipParser();

    UdpSipPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Sends {@code text}, whose lines end in "\n", with CRLF line ends. */
    void send(String text, InetSocketAddress to) throws IOException {
        send(text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), to);
    }

    void send(SipMessage message, InetSocketAddress to) throws IOException {
        send(SipWriter.toBytes(message), to);
    }

    private void send(byte[] bytes, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next message that parses and that {@code wanted} accepts; null when none came in time. */
    Received receive(Predicate<SipMessage> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[65536];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            byte[] bytes = java.util.Arrays.copyOf(buf, packet.getLength());
            if (parser.parseDatagram(bytes) instanceof ParseResult.Parsed parsed && wanted.test(parsed.message())) {
                return new Received(parsed.message(), (InetSocketAddress) packet.getSocketAddress());
            }
        }
    }

    /** The next request of {@code method} with {@code callId}, or null. */
    Received request(String method, String callId, Duration timeout) throws IOException {
        return receive(m -> m instanceof SipRequest r && r.method().equals(method) && callId.equals(r.callId()),
                timeout);
    }

    /** The next request of {@code method} of any call, or null. */
    Received request(String method, Duration timeout) throws IOException {
        return receive(m -> m instanceof SipRequest r && r.method().equals(method), timeout);
    }

    /** The next final response (status 200 or more) with {@code callId} and CSeq method {@code method}, or null. */
    Received finalResponse(String callId, String method, Duration timeout) throws IOException {
        return receive(m -> m instanceof SipResponse r && r.statusCode() >= 200 && callId.equals(r.callId())
                && r.cseq().method().equals(method), timeout);
    }

    @Override
    public void close() {
        socket.close();
    }
}
