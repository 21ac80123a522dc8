package io.edgesbc.sip.transport;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

/**
 * Every way a send can fail reaches the sender's {@link SendFailure}, once, on an event loop, and
 * is counted (RFC 3261 §17.1.4, §17.2.4 need the transaction to hear of it). Real loopback sockets.
 */
class SendFailureReportTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private LoopResources loops;
    private SipTransportLayer transport;

    /** A failure as reported: the cause and the thread it was reported on. */
    private record Report(Throwable cause, Thread thread) {
    }

    private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
    private final SendFailure recording = cause -> reports.add(new Report(cause, Thread.currentThread()));

    private InetSocketAddress start(TransportSettings settings) {
        loops = LoopResources.create("test-sip", 1, true);
        transport = new SipTransportLayer(List.of(
                new ListenPoint("outside", TransportKind.UDP, new InetSocketAddress(LOOPBACK, 0)),
                new ListenPoint("outside", TransportKind.TCP, new InetSocketAddress(LOOPBACK, 0))),
                settings, message -> { }, loops);
        transport.start().block(Duration.ofSeconds(5));
        return transport.boundPoints().stream().filter(p -> p.transport() == TransportKind.TCP)
                .findFirst().orElseThrow().address();
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.stop(Duration.ofSeconds(2)).block();
            loops.disposeLater().block(Duration.ofSeconds(5));
        }
    }

    private static SipMessage options() {
        String text = """
                OPTIONS sip:peer.example.net SIP/2.0
                Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-send-%s
                From: <sip:sbc@example.net>;tag=1
                To: <sip:peer.example.net>
                Call-ID: send-%s
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(System.nanoTime(), System.nanoTime());
        return ((ParseResult.Parsed) new SipParser().parseDatagram(crlf(text))).message();
    }

    /** A loopback TCP port nobody listens on (bound, then closed). */
    private static InetSocketAddress closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return new InetSocketAddress(LOOPBACK, s.getLocalPort());
        }
    }

    private Report nextReport() throws InterruptedException {
        Report r = reports.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a failure report").isNotNull();
        assertThat(r.thread()).as("reported on an event loop").isInstanceOf(FastThreadLocalThread.class);
        assertThat(r.thread().getName()).startsWith("test-sip");
        return r;
    }

    @Test
    void aRefusedConnectIsReportedOnceAndCounted() throws Exception {
        start(TransportSettings.DEFAULTS);
        transport.sendStream(TransportKind.TCP, options(), "outside", closedPort(), recording);
        Report r = nextReport();
        assertThat(r.cause().toString()).containsIgnoringCase("refused");
        assertThat(reports.poll(300, TimeUnit.MILLISECONDS)).as("reported once").isNull();
        assertThat(transport.stats().sendFailures()).isOne();
    }

    @Test
    void aRealmWithoutThatTransportIsReportedFromAnEventLoopNotFromTheCaller() throws Exception {
        start(TransportSettings.DEFAULTS);
        transport.sendStream(TransportKind.TCP, options(), "inside", closedPort(), recording);
        assertThat(nextReport().cause().getMessage()).isEqualTo("no TCP listen point in realm inside");
        transport.send(options(), "inside", closedPort(), recording);
        assertThat(nextReport().cause().getMessage()).isEqualTo("no UDP socket in realm inside");
        assertThat(transport.stats().sendFailures()).isEqualTo(2);
    }

    @Test
    void noConnectionIsOpenedWhileMaxConnectionsAreOpen() throws Exception {
        InetSocketAddress ours = start(new TransportSettings(TransportSettings.DEFAULTS.parseLimits(),
                Duration.ofMinutes(5), 1));
        try (Socket inbound = new Socket(LOOPBACK, ours.getPort());
             ServerSocket peer = new ServerSocket(0, 1, LOOPBACK)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (transport.openConnections() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the accept is counted on the event loop
            }
            assertThat(transport.openConnections()).isOne();

            transport.sendStream(TransportKind.TCP, options(), "outside",
                    new InetSocketAddress(LOOPBACK, peer.getLocalPort()), recording);
            assertThat(nextReport().cause().getMessage()).contains("transport.max_connections");
            assertThat(transport.stats().connectionsRefused()).isOne();
            peer.setSoTimeout(300);
            try (Socket accepted = peer.accept()) {
                throw new AssertionError("a connection was opened past the limit: " + accepted);
            } catch (SocketTimeoutException expected) {
                // nothing connected
            }
        }
    }

    @Test
    void aPeerThatDoesNotReadFillsItsSendBufferAndLaterMessagesFail() throws Exception {
        start(TransportSettings.DEFAULTS.withMaxSendBuffer(64 * 1024));
        AtomicInteger failures = new AtomicInteger();
        SendFailure counting = cause -> {
            if (cause.getMessage() != null && cause.getMessage().contains("send buffer")) {
                failures.incrementAndGet();
            }
        };
        try (ServerSocket peer = new ServerSocket(0, 1, LOOPBACK)) {
            InetSocketAddress to = new InetSocketAddress(LOOPBACK, peer.getLocalPort());
            SipMessage message = options();
            transport.sendStream(TransportKind.TCP, message, "outside", to, counting);
            try (Socket accepted = peer.accept()) { // ... and never read from
                // Far more than the kernel's socket buffers and 64 kB can hold together.
                for (int i = 0; i < 100_000 && failures.get() == 0; i++) {
                    transport.sendStream(TransportKind.TCP, message, "outside", to, counting);
                    if (i % 1000 == 999) {
                        Thread.sleep(1); // let the event loop drain its task queue into the socket
                    }
                }
                // The loop may still work through queued sends: wait until nothing changes.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                long seen = -1;
                while (System.nanoTime() < deadline && (failures.get() == 0 || seen != failures.get())) {
                    seen = failures.get();
                    Thread.sleep(200);
                }
                assertThat(failures.get()).as("messages refused once the send buffer was full").isPositive();
                assertThat(transport.stats().sendBufferFull()).isEqualTo(failures.get());
                assertThat(transport.stats().sendFailures()).isEqualTo(failures.get());
            }
        }
    }
}
