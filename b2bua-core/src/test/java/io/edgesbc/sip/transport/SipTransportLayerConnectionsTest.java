package io.edgesbc.sip.transport;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

/**
 * The connection idle timeout and the inbound connection limit of TCP listen points
 * ({@link TransportSettings}), over real loopback sockets. The idle timeout is Netty's IdleStateHandler on the channel's event loop, so
 * it runs on real time: a short configured timeout and bounded waits, no injected clock.
 */
class SipTransportLayerConnectionsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration IDLE = Duration.ofMillis(500);
    private static final int MAX_CONNECTIONS = 2;
    /** Bound on waiting for something asynchronous that must happen: generous, the cores are shared. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    private LoopResources loops;
    private SipTransportLayer transport;
    private InetSocketAddress tcp;

    @BeforeEach
    void loops() {
        loops = LoopResources.create("test-conn", 1, true);
    }

    /** One TCP listen point with these limits. */
    private void start(Duration idleTimeout, int maxConnections) {
        transport = new SipTransportLayer(
                List.of(new ListenPoint("outside", TransportKind.TCP, new InetSocketAddress(LOOPBACK, 0))),
                new TransportSettings(ParseLimits.DEFAULTS, idleTimeout, maxConnections), this::answer, loops);
        transport.start().block(WAIT);
        tcp = transport.boundPoints().get(0).address();
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.stop(Duration.ofSeconds(2)).block();
        }
        loops.disposeLater().block(WAIT);
    }

    /** The layer above: answers every request 200 over the transport, on the event loop. */
    private void answer(InboundMessage in) {
        received.add(in);
        if (in.message() instanceof SipRequest request) {
            transport.sendResponse(SipResponse.builder(200, "OK")
                    .add(HeaderName.VIA, request.headers().first(HeaderName.VIA))
                    .add(HeaderName.FROM, request.headers().first(HeaderName.FROM))
                    .add(HeaderName.TO, request.headers().first(HeaderName.TO) + ";tag=x")
                    .add(HeaderName.CALL_ID, request.callId())
                    .add(HeaderName.CSEQ, request.headers().first(HeaderName.CSEQ))
                    .build(), in.source());
        }
    }

    private static byte[] options(String branch) {
        return crlf("""
                OPTIONS sip:sbc.example.net SIP/2.0
                Via: SIP/2.0/TCP 127.0.0.1:5060;branch=%s
                From: <sip:a@example.com>;tag=1
                To: <sip:sbc.example.net>
                Call-ID: conn-%s
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(branch, branch));
    }

    // ---- idle timeout --------------------------------------------------------------------------

    @Test
    void anIdleAcceptedConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(IDLE, 100);
        try (Socket client = new Socket(LOOPBACK, tcp.getPort())) {
            long connected = System.nanoTime();
            client.setSoTimeout((int) WAIT.toMillis());
            assertThat(client.getInputStream().read()).as("the server closed the idle connection").isEqualTo(-1);
            // The server's idle clock starts only once it has accepted, after our connect returned.
            assertThat(Duration.ofNanos(System.nanoTime() - connected)).isGreaterThanOrEqualTo(IDLE);
            await("the closed connection is no longer counted", () -> transport.openConnections() == 0);
        }
    }

    @Test
    void aConnectionWithTrafficIsNotClosedBeforeItGoesIdle() throws Exception {
        start(IDLE, 100);
        try (Socket client = new Socket(LOOPBACK, tcp.getPort())) {
            InputStream in = client.getInputStream();
            long start = System.nanoTime();
            // Keep-alive pings (RFC 5626 §4.4.1) spaced at half the idle timeout, for three timeouts.
            while (System.nanoTime() - start < IDLE.multipliedBy(3).toNanos()) {
                client.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                client.setSoTimeout((int) WAIT.toMillis());
                assertThat(in.read()).as("pong, not a close").isEqualTo('\r');
                assertThat(in.read()).isEqualTo('\n');
                client.setSoTimeout((int) IDLE.dividedBy(2).toMillis());
                assertStaysOpen(in);
            }
            client.getOutputStream().write(options("z9hG4bKbusy"));
            client.getOutputStream().flush();
            client.setSoTimeout((int) WAIT.toMillis());
            assertThat(statusLine(in)).isEqualTo("SIP/2.0 200 OK");
            // Now quiet: the same connection goes idle and is closed after all.
            assertThat(drain(in)).as("closed once idle").isEqualTo(-1);
        }
    }

    // ---- connection limit ----------------------------------------------------------------------

    @Test
    void theConnectionOverTheLimitIsRefusedAndCountedWhileTheOthersWork() throws Exception {
        start(Duration.ofMinutes(5), MAX_CONNECTIONS); // no idle closes here
        try (Socket first = new Socket(LOOPBACK, tcp.getPort()); Socket second = new Socket(LOOPBACK, tcp.getPort())) {
            await("both connections accepted", () -> transport.openConnections() == MAX_CONNECTIONS);
            try (Socket third = new Socket(LOOPBACK, tcp.getPort())) {
                third.setSoTimeout((int) WAIT.toMillis());
                assertThat(readOrReset(third.getInputStream())).as("the third connection is closed").isEqualTo(-1);
            }
            await("the refusal is counted", () -> transport.stats().connectionsRefused() == 1);
            await("the refused connection frees its count", () -> transport.openConnections() == MAX_CONNECTIONS);
            assertThat(received).as("nothing came up from the refused connection").isEmpty();

            for (Socket s : List.of(first, second)) {
                s.setSoTimeout((int) WAIT.toMillis());
                s.getOutputStream().write(options("z9hG4bKlim" + s.getLocalPort()));
                s.getOutputStream().flush();
                assertThat(statusLine(s.getInputStream())).as("OPTIONS over an accepted connection")
                        .isEqualTo("SIP/2.0 200 OK");
            }

            // Below the limit again, a new connection is accepted.
            first.close();
            await("the closed connection is no longer counted", () -> transport.openConnections() == 1);
            try (Socket fourth = new Socket(LOOPBACK, tcp.getPort())) {
                fourth.setSoTimeout((int) WAIT.toMillis());
                fourth.getOutputStream().write(options("z9hG4bKlim4"));
                fourth.getOutputStream().flush();
                assertThat(statusLine(fourth.getInputStream())).isEqualTo("SIP/2.0 200 OK");
            }
            assertThat(transport.stats().connectionsRefused()).isEqualTo(1);
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Reads for the socket's timeout: nothing may come, and the connection must not close. */
    private static void assertStaysOpen(InputStream in) throws IOException {
        try {
            int b = in.read();
            throw new AssertionError(b < 0 ? "closed while in use" : "unexpected byte " + b);
        } catch (SocketTimeoutException expected) {
            // still open, nothing sent
        }
    }

    /** The first line of the next message, read byte by byte. */
    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Reads and discards until the stream ends; returns -1 then. */
    private static int drain(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b >= 0);
        return b;
    }

    /** -1 at the end of the stream; a reset (the server closed with our bytes unread) counts too. */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling an asynchronous outcome
        }
    }
}
