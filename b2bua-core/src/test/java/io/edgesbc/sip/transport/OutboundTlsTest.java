package io.edgesbc.sip.transport;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SampleMessages;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.testing.TestCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.resources.LoopResources;

/** EdgeSBC opening TLS connections (RFC 3261 §26.2): the peer's certificate is checked, connections reused. */
class OutboundTlsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;
    private LoopResources loops;
    private SipTransportLayer transport;
    private TestCertificate peer;

    @BeforeEach
    void start() throws Exception {
        TestCertificate ours = TestCertificate.create(dir, "sbc");
        peer = TestCertificate.create(dir, "peer");
        loops = LoopResources.create("test-tls-out", 1, true);
        transport = new SipTransportLayer(List.of(
                ListenPoint.tls("outside", new InetSocketAddress(LOOPBACK, 0),
                        new TlsSettings(ours.certificatePem(), ours.keyPem()))),
                TransportSettings.DEFAULTS.withTlsTrust(peer.certificatePem()), m -> { }, loops);
        transport.start().block(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        transport.stop(Duration.ofSeconds(2)).block();
        loops.disposeLater().block(Duration.ofSeconds(5));
    }

    private static SipMessage options(String branch) {
        return ((ParseResult.Parsed) new SipParser().parseDatagram(crlf(SampleMessages.OK_200
                .replace("z9hG4bK776asdhds", branch)))).message();
    }

    /** A TLS server socket presenting {@code certificate}. */
    private static SSLServerSocket tlsServer(TestCertificate certificate) throws Exception {
        String pem = Files.readString(certificate.keyPem());
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("peer", key, "x".toCharArray(), new Certificate[] {certificate.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "x".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, LOOPBACK);
        server.setSoTimeout(10_000);
        return server;
    }

    @Test
    void opensOneVerifiedConnectionAndReusesIt() throws Exception {
        // The peer is another transport layer with a TLS listen point presenting the trusted certificate.
        java.util.concurrent.BlockingQueue<InboundMessage> arrived = new java.util.concurrent.LinkedBlockingQueue<>();
        LoopResources peerLoops = LoopResources.create("test-tls-peer", 1, true);
        SipTransportLayer peerTransport = new SipTransportLayer(List.of(
                ListenPoint.tls("peer", new InetSocketAddress(LOOPBACK, 0),
                        new TlsSettings(peer.certificatePem(), peer.keyPem()))),
                TransportSettings.DEFAULTS, arrived::add, peerLoops);
        try {
            peerTransport.start().block(Duration.ofSeconds(10));
            InetSocketAddress address = peerTransport.boundPoints().get(0).address();
            SipMessage first = request("z9hG4bKtls1");
            transport.sendStream(TransportKind.TLS, first, "outside", address);
            InboundMessage one = arrived.poll(10, TimeUnit.SECONDS);
            assertThat(one).isNotNull();
            assertThat(one.message().topVia().branch()).isEqualTo("z9hG4bKtls1");
            assertThat(one.source().transport()).isEqualTo(TransportKind.TLS);
            transport.sendStream(TransportKind.TLS, request("z9hG4bKtls2"), "outside", address);
            InboundMessage two = arrived.poll(10, TimeUnit.SECONDS);
            assertThat(two.message().topVia().branch()).isEqualTo("z9hG4bKtls2");
            assertThat(two.source().connection()).as("the same connection").isSameAs(one.source().connection());
            assertThat(peerTransport.openConnections()).isEqualTo(1);
        } finally {
            peerTransport.stop(Duration.ofSeconds(2)).block();
            peerLoops.disposeLater().block(Duration.ofSeconds(5));
        }
    }

    private static SipMessage request(String branch) {
        return ((ParseResult.Parsed) new SipParser().parseDatagram(crlf(("OPTIONS sip:peer@127.0.0.1 SIP/2.0\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=" + branch + "\nFrom: <sip:a@example.com>;tag=1\n"
                + "To: <sip:peer@127.0.0.1>\nCall-ID: tls-" + branch + "\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n"))))
                .message();
    }

    @Test
    void refusesAPeerWhoseCertificateIsNotTrusted() throws Exception {
        TestCertificate stranger = TestCertificate.create(dir, "stranger");
        try (SSLServerSocket server = tlsServer(stranger)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            transport.sendStream(TransportKind.TLS, options("z9hG4bKtls3"), "outside", address);
            try (Socket accepted = server.accept()) {
                accepted.setSoTimeout(5000);
                // Our side aborts the handshake; nothing is ever readable as plain SIP.
                try {
                    accepted.getInputStream().read();
                } catch (Exception handshakeFailed) {
                    // expected: the client closed during the handshake
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (transport.stats().sendFailures() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(transport.stats().sendFailures()).isEqualTo(1);
        }
    }
}
