package io.edgesbc.sip.transport;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.testing.TestCertificate;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.resources.LoopResources;

/** TLS listen points (RFC 3261 §26.2) over real loopback sockets, with a JDK client. */
class SipTransportLayerTlsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    static Path dir;
    private static TestCertificate certificate;

    private final BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    private LoopResources loops;
    private SipTransportLayer transport;
    private InetSocketAddress tls;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.create(dir, "sbc");
    }

    @BeforeEach
    void start() {
        loops = LoopResources.create("test-tls", 1, true);
        transport = new SipTransportLayer(List.of(
                new ListenPoint("outside", TransportKind.UDP, new InetSocketAddress(LOOPBACK, 0)),
                ListenPoint.tls("outside", new InetSocketAddress(LOOPBACK, 0),
                        new TlsSettings(certificate.certificatePem(), certificate.keyPem()))),
                TransportSettings.DEFAULTS, received::add, loops);
        transport.start().block(Duration.ofSeconds(10));
        tls = transport.boundPoints().stream().filter(p -> p.transport() == TransportKind.TLS).findFirst()
                .orElseThrow().address();
    }

    @AfterEach
    void stop() {
        transport.stop(Duration.ofSeconds(2)).block();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(5));
    }

    private SSLSocket connect() throws Exception {
        SSLSocket socket = (SSLSocket) certificate.clientContext().getSocketFactory()
                .createSocket(LOOPBACK, tls.getPort());
        socket.setSoTimeout(5000);
        socket.startHandshake();
        return socket;
    }

    private static String options(String branch) {
        return """
                OPTIONS sips:sbc.example.net SIP/2.0
                Via: SIP/2.0/TLS 127.0.0.1:5061;branch=%s
                From: <sips:a@example.com>;tag=1
                To: <sips:sbc.example.net>
                Call-ID: tls-%s
                CSeq: 1 OPTIONS
                Max-Forwards: 70
                Content-Length: 0

                """.formatted(branch, branch);
    }

    @Test
    void theBoundPointKeepsItsCertificate() {
        ListenPoint point = transport.boundPoints().stream().filter(p -> p.transport() == TransportKind.TLS)
                .findFirst().orElseThrow();
        assertThat(point.tls().certificateChain()).isEqualTo(certificate.certificatePem());
        assertThat(point.address().getPort()).isPositive();
    }

    @Test
    void requestsOverTlsArriveWithTransportTlsAndAreAnsweredOverTheirConnection() throws Exception {
        try (SSLSocket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] one = crlf(options("z9hG4bKs1"));
            // Split across TLS records: the stream framer reassembles as over TCP.
            out.write(one, 0, 17);
            out.flush();
            out.write(one, 17, one.length - 17);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            assertThat(in).isNotNull();
            assertThat(in.source().transport()).isEqualTo(TransportKind.TLS);
            assertThat(in.source().realm()).isEqualTo("outside");
            assertThat(in.source().connection()).isNotNull();
            assertThat(in.source().remote().getPort()).isEqualTo(socket.getLocalPort());
            SipRequest request = (SipRequest) in.message();
            assertThat(request.topVia().branch()).isEqualTo("z9hG4bKs1");
            assertThat(request.requestUri().toString()).startsWith("sips:");

            InputStream input = socket.getInputStream();
            assertThat(input.read()).as("RFC 5626 pong").isEqualTo('\r');
            assertThat(input.read()).isEqualTo('\n');

            SipResponse ok = SipResponse.builder(200, "OK")
                    .add(HeaderName.VIA, request.headers().first(HeaderName.VIA))
                    .add(HeaderName.FROM, request.headers().first(HeaderName.FROM))
                    .add(HeaderName.TO, request.headers().first(HeaderName.TO) + ";tag=x")
                    .add(HeaderName.CALL_ID, request.callId())
                    .add(HeaderName.CSEQ, request.headers().first(HeaderName.CSEQ))
                    .build();
            transport.sendResponse(ok, in.source());
            byte[] status = input.readNBytes("SIP/2.0 200 OK\r\n".length());
            assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("SIP/2.0 200 OK\r\n");
        }
    }

    @Test
    void aFramingErrorGets400AndClosesOnlyThatConnection() throws Exception {
        try (SSLSocket good = connect(); SSLSocket bad = connect()) {
            bad.getOutputStream().write(crlf(options("z9hG4bKs2").replace("Content-Length: 0\n", "")));
            bad.getOutputStream().flush();
            String reply = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("SIP/2.0 400 Bad Request\r\n").contains("Content-Length missing");
            assertThat(transport.stats().framingErrors()).isEqualTo(1);
            assertThat(received).isEmpty();

            good.getOutputStream().write(crlf(options("z9hG4bKs3")));
            good.getOutputStream().flush();
            InboundMessage in = received.poll(5, TimeUnit.SECONDS);
            assertThat(in.message().topVia().branch()).isEqualTo("z9hG4bKs3");
            assertThat(in.source().transport()).isEqualTo(TransportKind.TLS);
        }
    }

    @Test
    void aListenPointWhoseKeyCannotBeReadFailsToStartAndUnbindsTheRest() {
        LoopResources own = LoopResources.create("test-tls-bad", 1, true);
        try {
            SipTransportLayer broken = new SipTransportLayer(List.of(
                    new ListenPoint("outside", TransportKind.UDP, new InetSocketAddress(LOOPBACK, 0)),
                    ListenPoint.tls("outside", new InetSocketAddress(LOOPBACK, 0),
                            new TlsSettings(certificate.certificatePem(), dir.resolve("missing.key")))),
                    TransportSettings.DEFAULTS, received::add, own);
            assertThatThrownBy(() -> broken.start().block(Duration.ofSeconds(10)))
                    .hasMessageContaining("missing.key");
            assertThat(broken.boundPoints()).isEmpty();
        } finally {
            own.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(5));
        }
    }

    @Test
    void aTlsListenPointNeedsItsCertificate() {
        InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
        assertThatThrownBy(() -> new ListenPoint("outside", TransportKind.TLS, any))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListenPoint("outside", TransportKind.TCP, any,
                new TlsSettings(certificate.certificatePem(), certificate.keyPem())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
