package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request sent twice is one server transaction; the second copy is counted as a retransmission on /metrics. */
class RetransmissionMetricTest {

    @Test
    void aRepeatedRequestIsAbsorbedAndCounted() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerConfig config = new ServerConfig("test", List.of(new RealmConfig("outside", loopback, 0, -1)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100, ParseLimits.DEFAULTS, Duration.ofSeconds(1));
        EdgeSbcServer server = new EdgeSbcServer(config).start();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            socket.setSoTimeout(5000);
            InetSocketAddress udp = server.listenPoints().stream().filter(p -> p.transport() == TransportKind.UDP)
                    .map(ListenPoint::address).findFirst().orElseThrow();
            byte[] options = ("OPTIONS sip:edgesbc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=z9hG4bKretrans1\r\nFrom: <sip:t@example.com>;tag=a\r\n"
                    + "To: <sip:edgesbc@127.0.0.1>\r\nCall-ID: retrans-1\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 2; i++) {
                socket.send(new DatagramPacket(options, options.length, udp));
                socket.receive(new DatagramPacket(new byte[4096], 4096)); // the 200, then the same 200 again
            }
            assertThat(server.serverTransactionsCreated()).isOne();
            assertThat(server.metrics().scrape()).contains("edgesbc_sip_retransmissions_received_total 1.0");
        } finally {
            server.stop();
        }
    }
}
