package io.edgesbc.server;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import io.edgesbc.testing.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running EdgeSBC with a TLS realm, driven by a JDK TLS client. (The SIPp build here has no
 * OpenSSL, so {@code sipp -t l1} cannot be used: see SippInteropTest.)
 */
class TlsInteropTest {

    @TempDir
    static Path dir;
    private static TestCertificate certificate;
    private static EdgeSbcServer server;

    @BeforeAll
    static void start() throws Exception {
        certificate = TestCertificate.create(dir, "sbc");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        RealmConfig outside = new RealmConfig("outside", loopback, 0, -1, 0, certificate.certificatePem(),
                certificate.keyPem());
        server = new EdgeSbcServer(new ServerConfig("test", List.of(outside), new InetSocketAddress(loopback, 0),
                Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofMinutes(5), 1000,
                ParseLimits.DEFAULTS, Duration.ofSeconds(2))).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void optionsOverTlsIsAnsweredWith200OverTheSameConnection() throws Exception {
        ListenPoint tls = server.listenPoints().stream().filter(p -> p.transport() == TransportKind.TLS)
                .findFirst().orElseThrow();
        try (SSLSocket socket = (SSLSocket) certificate.clientContext().getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), tls.address().getPort())) {
            socket.setSoTimeout(5000);
            String local = "127.0.0.1:" + socket.getLocalPort();
            socket.getOutputStream().write(crlf("""
                    OPTIONS sips:edgesbc@%s SIP/2.0
                    Via: SIP/2.0/TLS %s;branch=z9hG4bKtls1;rport
                    From: <sips:client@%s>;tag=c1
                    To: <sips:edgesbc@%s>
                    Call-ID: tls-interop-1
                    CSeq: 1 OPTIONS
                    Max-Forwards: 70
                    Content-Length: 0

                    """.formatted(tls.sentBy(), local, local, tls.sentBy())));
            socket.getOutputStream().flush();
            SipResponse response = readResponse(socket.getInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.topVia().branch()).isEqualTo("z9hG4bKtls1");
            assertThat(response.callId()).isEqualTo("tls-interop-1");
        }
    }

    /** Reads one response: the header section, then Content-Length bytes of body. */
    private static SipResponse readResponse(InputStream in) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (!bytes.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("connection closed before a whole response").isNotNegative();
            bytes.write(b);
        }
        String head = bytes.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        bytes.write(in.readNBytes(length));
        ParseResult result = new SipParser().parseDatagram(bytes.toByteArray());
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        SipMessage message = ((ParseResult.Parsed) result).message();
        assertThat(message).isInstanceOf(SipResponse.class);
        return (SipResponse) message;
    }
}
