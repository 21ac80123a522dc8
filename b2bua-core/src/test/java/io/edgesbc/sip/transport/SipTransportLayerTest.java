package io.edgesbc.sip.transport;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SampleMessages;
import io.edgesbc.sip.parse.SipParser;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.resources.LoopResources;

/** The transport over real loopback sockets. */
class SipTransportLayerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    private LoopResources loops;
    private SipTransportLayer transport;
    private InetSocketAddress udp;
    private InetSocketAddress tcp;

    @BeforeEach
    void start() {
        loops = LoopResources.create("test-sip", 1, true);
        transport = new SipTransportLayer(List.of(
                new ListenPoint("outside", TransportKind.UDP, new InetSocketAddress(LOOPBACK, 0)),
                new ListenPoint("outside", TransportKind.TCP, new InetSocketAddress(LOOPBACK, 0))),
                TransportSettings.DEFAULTS, received::add, loops);
        transport.start().block(Duration.ofSeconds(5));
        for (ListenPoint p : transport.boundPoints()) {
            if (p.transport() == TransportKind.UDP) {
                udp = p.address();
            } else {
                tcp = p.address();
            }
        }
    }

    @AfterEach
    void stop() {
        transport.stop(Duration.ofSeconds(2)).block();
        loops.disposeLater().block(Duration.ofSeconds(5));
    }

    private static String options(String via) {
        return """
                OPTIONS sip:sbc.example.net SIP/2.0
                Via: %s
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: opt-%s
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(via, Long.toHexString(System.nanoTime()));
    }

    /** Linux on x86_64 is what EdgeSBC ships for: there the native transport must be the one in use. */
    @Test
    void runsOnTheNativeEpollTransportOnLinux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").equals("amd64"), "epoll is Linux x86_64 only here");
        assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("native epoll loads").isTrue();
        assertThat(transport.usesEpoll()).isTrue();
    }

    @Test
    void stampsReceivedAndRportOnRequestsOverUdp() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] bytes = crlf(options("SIP/2.0/UDP 192.0.2.1:5999;branch=z9hG4bKa1;rport"));
            socket.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            assertThat(in).isNotNull();
            SipRequest request = (SipRequest) in.message();
            assertThat(request.topVia().received()).isEqualTo("127.0.0.1");
            assertThat(request.topVia().rport()).isEqualTo(socket.getLocalPort());
            assertThat(in.source().transport()).isEqualTo(TransportKind.UDP);
            assertThat(in.source().realm()).isEqualTo("outside");
            assertThat(in.source().remote().getPort()).isEqualTo(socket.getLocalPort());
        }
    }

    @Test
    void leavesTheViaAloneWhenTheSourceMatchesAndNoRportIsAsked() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] bytes = crlf(options("SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bKa2"));
            socket.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            assertThat(in.message().topVia().received()).isNull();
            assertThat(in.message().wire()).as("unchanged message keeps its bytes").isNotNull();
        }
    }

    @Test
    void answersAMalformedRequestWith400AndSendsNothingUp() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(5000);
            byte[] bytes = crlf(options("SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bKa3")
                    .replace("Max-Forwards: 70", "Max-Forwards: seventy"));
            socket.send(new DatagramPacket(bytes, bytes.length, udp));
            SipResponse response = receiveResponse(socket);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.headers().first(HeaderName.WARNING)).startsWith("399 ").contains("malformed Max-Forwards");
            assertThat(response.topVia().branch()).isEqualTo("z9hG4bKa3");
            assertThat(response.toTag()).isNotBlank();
            assertThat(received).isEmpty();
            assertThat(transport.stats().malformedAnswered()).isEqualTo(1);
        }
    }

    @Test
    void dropsAndCountsWhatCannotBeAnswered() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(300);
            byte[] garbage = "\u0001\u0002 hello\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            socket.send(new DatagramPacket(garbage, garbage.length, udp));
            byte[] notOurs = crlf(SampleMessages.OK_200);
            socket.send(new DatagramPacket(notOurs, notOurs.length, udp));
            // A well-formed request afterwards still goes through: the bad input had no effect.
            byte[] good = crlf(options("SIP/2.0/UDP 127.0.0.1:" + socket.getLocalPort() + ";branch=z9hG4bKa4"));
            socket.send(new DatagramPacket(good, good.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            assertThat(in.message().topVia().branch()).isEqualTo("z9hG4bKa4");
            assertThat(transport.stats().malformedDropped()).isEqualTo(1);
            assertThat(transport.stats().responsesNotOurs()).isEqualTo(1);
            byte[] buf = new byte[2048];
            try {
                socket.receive(new DatagramPacket(buf, buf.length));
                throw new AssertionError("nothing should have been sent back");
            } catch (SocketTimeoutException expected) {
                // nothing came back
            }
        }
    }

    @Test
    void sendsResponsesBackToTheRequestsSource() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(5000);
            byte[] bytes = crlf(options("SIP/2.0/UDP 192.0.2.1:5999;branch=z9hG4bKa5;rport"));
            socket.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            SipRequest request = (SipRequest) in.message();
            SipResponse ok = SipResponse.builder(200, "OK")
                    .add(HeaderName.VIA, request.headers().first(HeaderName.VIA))
                    .add(HeaderName.FROM, request.headers().first(HeaderName.FROM))
                    .add(HeaderName.TO, request.headers().first(HeaderName.TO) + ";tag=x")
                    .add(HeaderName.CALL_ID, request.callId())
                    .add(HeaderName.CSEQ, request.headers().first(HeaderName.CSEQ))
                    .build();
            transport.sendResponse(ok, in.source());
            SipResponse response = receiveResponse(socket);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.topVia().rport()).isEqualTo(socket.getLocalPort());
        }
    }

    /**
     * RFC 3261 §18.2.2: without rport, a UDP response goes to the source address (received when
     * the sent-by host differs) but to the sent-by port, not to the port the request came from.
     */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "192.0.2.1"})
    void aUdpRequestWithoutRportIsAnsweredAtItsSentByPort(String sentByHost) throws Exception {
        try (DatagramSocket source = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket sentBy = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            sentBy.setSoTimeout(5000);
            byte[] bytes = crlf(options("SIP/2.0/UDP " + sentByHost + ":" + sentBy.getLocalPort()
                    + ";branch=z9hG4bKsb1"));
            source.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            transport.sendResponse(okFor((SipRequest) in.message()), in.source());
            SipResponse response = receiveResponse(sentBy);
            assertThat(response.topVia().branch()).isEqualTo("z9hG4bKsb1");
            assertNothingArrives(source);
        }
    }

    /** RFC 3581 §4: with rport, at the source address and port, whatever the sent-by port says. */
    @Test
    void aUdpRequestWithRportIsAnsweredAtItsSourceNotItsSentByPort() throws Exception {
        try (DatagramSocket source = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket sentBy = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            source.setSoTimeout(5000);
            byte[] bytes = crlf(options("SIP/2.0/UDP 127.0.0.1:" + sentBy.getLocalPort() + ";branch=z9hG4bKsb2;rport"));
            source.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            transport.sendResponse(okFor((SipRequest) in.message()), in.source());
            SipResponse response = receiveResponse(source);
            assertThat(response.topVia().branch()).isEqualTo("z9hG4bKsb2");
            assertThat(response.topVia().rport()).isEqualTo(source.getLocalPort());
            assertNothingArrives(sentBy);
        }
    }

    @Test
    void aUdpResponseToAMaddrNameIsDroppedAndCounted() throws Exception {
        try (DatagramSocket source = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] bytes = crlf(options("SIP/2.0/UDP 127.0.0.1:" + source.getLocalPort()
                    + ";branch=z9hG4bKsb3;maddr=proxy.example.com;rport"));
            source.send(new DatagramPacket(bytes, bytes.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            transport.sendResponse(okFor((SipRequest) in.message()), in.source());
            assertThat(transport.stats().sendFailures()).isEqualTo(1);
            assertThat(transport.stats().messagesOut()).isZero();
            assertNothingArrives(source);
        }
    }

    @Test
    void aResponseWhoseTopViaIsOursGoesUpAndAnotherIsDropped() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] other = crlf(SampleMessages.OK_200);
            socket.send(new DatagramPacket(other, other.length, udp));
            byte[] ours = crlf(SampleMessages.OK_200.replace("192.0.2.10:5060", "127.0.0.1:" + udp.getPort()));
            socket.send(new DatagramPacket(ours, ours.length, udp));
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            assertThat(in.message()).isInstanceOf(SipResponse.class);
            assertThat(in.message().topVia().port()).isEqualTo(udp.getPort());
            assertThat(transport.stats().responsesNotOurs()).isEqualTo(1);
        }
    }

    @Test
    void theBoundPointsAreOneImmutableSnapshotUntilStop() {
        List<ListenPoint> points = transport.boundPoints();
        assertThat(points).hasSize(2).isSameAs(transport.boundPoints());
        assertThat(points.stream().map(ListenPoint::address)).containsExactlyInAnyOrder(udp, tcp);
        assertThatThrownBy(() -> points.add(points.get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        transport.stop(Duration.ofSeconds(2)).block();
        assertThat(transport.boundPoints()).isEmpty();
        assertThat(points).as("a snapshot taken before is not changed by stop").hasSize(2);
    }

    /** Waits a short, bounded time for a datagram that must not come. */
    private static void assertNothingArrives(DatagramSocket socket) throws Exception {
        socket.setSoTimeout(300);
        byte[] buf = new byte[4096];
        try {
            socket.receive(new DatagramPacket(buf, buf.length));
            throw new AssertionError("unexpected datagram at port " + socket.getLocalPort() + ": "
                    + new String(buf, 0, 40, StandardCharsets.ISO_8859_1));
        } catch (SocketTimeoutException expected) {
            // nothing came
        }
    }

    @Test
    void framesTcpStreamsAnswersPingsAndClosesOnlyABrokenConnection() throws Exception {
        try (Socket good = new Socket(LOOPBACK, tcp.getPort()); Socket bad = new Socket(LOOPBACK, tcp.getPort())) {
            good.setSoTimeout(5000);
            bad.setSoTimeout(5000);
            OutputStream out = good.getOutputStream();
            byte[] one = crlf(options("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKt1"));
            byte[] two = crlf(options("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKt2"));
            out.write(one, 0, 10);
            out.flush();
            out.write(one, 10, one.length - 10);
            out.write(two);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(received.poll(5, TimeUnit.SECONDS).message().topVia().branch()).isEqualTo("z9hG4bKt1");
            InboundMessage second = received.poll(5, TimeUnit.SECONDS);
            assertThat(second.message().topVia().branch()).isEqualTo("z9hG4bKt2");
            assertThat(second.source().connection()).isNotNull();
            InputStream in = good.getInputStream();
            assertThat(in.read()).isEqualTo('\r');
            assertThat(in.read()).isEqualTo('\n');

            // No Content-Length on a stream: 400, then that connection (only) is closed.
            bad.getOutputStream().write(crlf(options("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKt3")
                    .replace("Content-Length: 0\n", "")));
            bad.getOutputStream().flush();
            String reply = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("SIP/2.0 400 Bad Request\r\n").contains("Content-Length missing");
            assertThat(transport.stats().framingErrors()).isEqualTo(1);

            out.write(crlf(options("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKt4")));
            out.flush();
            assertThat(received.poll(5, TimeUnit.SECONDS).message().topVia().branch()).isEqualTo("z9hG4bKt4");
        }
    }

    @Test
    void aResponseWhoseTcpConnectionClosedGoesOverANewConnectionToTheViaAddress() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 5, LOOPBACK)) {
            listener.setSoTimeout(5000);
            InboundMessage in;
            try (Socket client = new Socket(LOOPBACK, tcp.getPort())) {
                client.getOutputStream().write(crlf(options("SIP/2.0/TCP 127.0.0.1:" + listener.getLocalPort()
                        + ";branch=z9hG4bKnew1")));
                client.getOutputStream().flush();
                in = received.poll(5, TimeUnit.SECONDS);
            }
            // The client closed its connection before we answered (RFC 3261 §18.2.2).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (in.source().connection().isActive() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(in.source().connection().isActive()).as("the client's connection closed").isFalse();
            transport.sendResponse(okFor((SipRequest) in.message()), in.source());
            try (Socket back = listener.accept()) {
                back.setSoTimeout(5000);
                byte[] buf = new byte[4096];
                int n = back.getInputStream().read(buf);
                String reply = new String(buf, 0, n, StandardCharsets.UTF_8);
                assertThat(reply).startsWith("SIP/2.0 200 OK\r\n").contains("branch=z9hG4bKnew1");
            }
        }
    }

    @Test
    void requestsToOneTcpAddressShareOneConnection() throws Exception {
        try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 5, LOOPBACK)) {
            listener.setSoTimeout(5000);
            InetSocketAddress peer = new InetSocketAddress(LOOPBACK, listener.getLocalPort());
            SipMessage first = new SipParser().parseDatagram(crlf(options("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKr1")))
                    instanceof ParseResult.Parsed p ? p.message() : null;
            SipMessage second = new SipParser().parseDatagram(crlf(options("SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bKr2")))
                    instanceof ParseResult.Parsed p ? p.message() : null;
            transport.sendTcp(first, "outside", peer);
            try (Socket accepted = listener.accept()) {
                accepted.setSoTimeout(15_000); // generous: the suite shares 2 cores with SIPp runs
                java.io.BufferedReader reader = new java.io.BufferedReader(
                        new java.io.InputStreamReader(accepted.getInputStream(), StandardCharsets.UTF_8));
                assertThat(readUntil(reader, "z9hG4bKr1")).isTrue();
                transport.sendTcp(second, "outside", peer);
                boolean found;
                try {
                    found = readUntil(reader, "z9hG4bKr2");
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("second request not received; open=" + transport.openConnections()
                            + " sendFailures=" + transport.stats().sendFailures() + " out="
                            + transport.stats().messagesOut(), e);
                }
                assertThat(found).as("second request on the same connection").isTrue();
                listener.setSoTimeout(300);
                assertThatNoSecondConnection(listener);
            }
        }
    }

    private static boolean readUntil(java.io.BufferedReader reader, String marker) throws Exception {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static void assertThatNoSecondConnection(java.net.ServerSocket listener) throws Exception {
        try (Socket unexpected = listener.accept()) {
            throw new AssertionError("a second connection was opened from " + unexpected.getRemoteSocketAddress());
        } catch (SocketTimeoutException expected) {
            // one connection only
        }
    }

    private static SipResponse okFor(SipRequest request) {
        return SipResponse.builder(200, "OK")
                .add(HeaderName.VIA, request.headers().first(HeaderName.VIA))
                .add(HeaderName.FROM, request.headers().first(HeaderName.FROM))
                .add(HeaderName.TO, request.headers().first(HeaderName.TO) + ";tag=x")
                .add(HeaderName.CALL_ID, request.callId())
                .add(HeaderName.CSEQ, request.headers().first(HeaderName.CSEQ))
                .build();
    }

    private static SipResponse receiveResponse(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        socket.receive(packet);
        ParseResult result = new SipParser().parseDatagram(buf, 0, packet.getLength());
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        SipMessage m = ((ParseResult.Parsed) result).message();
        assertThat(m).isInstanceOf(SipResponse.class);
        return (SipResponse) m;
    }
}
