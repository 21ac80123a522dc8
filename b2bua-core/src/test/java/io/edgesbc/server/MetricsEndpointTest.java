package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /metrics on a running server: Prometheus text with our SIP counters and the JVM's. */
class MetricsEndpointTest {

    private static EdgeSbcServer server;

    @BeforeAll
    static void start() {
        server = new EdgeSbcServer(SippInteropTest.loopbackConfig()).start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countsSipMessagesAndExportsJvmAndNettyMetrics() throws Exception {
        InetSocketAddress udp = server.listenPoints().stream().filter(p -> p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5000);
            byte[] options = ("OPTIONS sip:edgesbc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=z9hG4bKmetrics\r\nFrom: <sip:t@example.com>;tag=a\r\n"
                    + "To: <sip:edgesbc@127.0.0.1>\r\nCall-ID: metrics-1\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(options, options.length, udp));
            socket.receive(new DatagramPacket(new byte[4096], 4096));
            byte[] garbage = "hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(garbage, garbage.length, udp));
        }
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain"));
        String body = metrics.body();
        assertThat(body)
                .contains("edgesbc_sip_messages_total{direction=\"in\",method=\"OPTIONS\",realm=\"outside\","
                        + "status_class=\"none\"} 1.0")
                .contains("edgesbc_sip_messages_total{direction=\"out\",method=\"OPTIONS\",realm=\"outside\","
                        + "status_class=\"2xx\"} 1.0")
                .contains("edgesbc_sip_server_transactions_total 1.0")
                .contains("# TYPE edgesbc_sip_malformed_total counter")
                .contains("jvm_memory_used_bytes")
                .contains("netty_allocator_memory_used");
        // The garbage datagram is counted once it has been read; the scrape may race it, so
        // poll the counter (no sleeping: each scrape is a real request).
        String dropped = "edgesbc_sip_malformed_total{outcome=\"dropped\"} 1.0";
        for (int i = 0; i < 50 && !body.contains(dropped); i++) {
            body = get("/metrics").body();
        }
        assertThat(body).contains(dropped);
        assertThat(get("/health").body()).isEqualTo("ok\n");
        assertThat(get("/ready").body()).isEqualTo("ready\n");
    }
}
