package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running server whose only target is a TCP address nobody listens on: the refused connect is
 * the INVITE's transport error, which the caller hears as a 503 at once (RFC 3261 §17.1.4,
 * §8.1.3.1), not as a 408 after Timer B's 32 s; and the failure is counted.
 */
class TransportErrorCallTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    @Test
    void aCalleeThatRefusesTheTcpConnectionGivesTheCaller503AtOnce() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closed = s.getLocalPort();
        }
        Path policyFile = dir.resolve("calls.yaml");
        Files.writeString(policyFile, """
                trunks:
                  - name: callee
                    realm: inside
                    targets: ["sip:127.0.0.1:%d;transport=tcp"]
                rules:
                  - name: all
                    match: {method: INVITE}
                    route: {trunk: callee}
                """.formatted(closed));
        ServerConfig config = new ServerConfig("test", List.of(
                new RealmConfig("outside", LOOPBACK, 0, -1),
                new RealmConfig("inside", LOOPBACK, 0, 0)),
                new InetSocketAddress(LOOPBACK, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2),
                List.of(policyFile), null).withPolicyWatch(null);
        PolicyFiles.Outcome outcome = PolicyFiles.load(config.policyFiles(), Set.of("outside", "inside"));
        assertThat(outcome).isInstanceOf(PolicyFiles.Outcome.Loaded.class);
        EdgeSbcServer server = new EdgeSbcServer(config,
                new PolicyRouter(((PolicyFiles.Outcome.Loaded) outcome).policy())).start();
        try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            // Well below Timer B (32 s): only the transport error can answer in time.
            caller.setSoTimeout(5_000);
            InetSocketAddress outside = server.listenPoints().stream()
                    .filter(p -> p.realm().equals("outside") && p.transport() == TransportKind.UDP)
                    .map(ListenPoint::address).findFirst().orElseThrow();
            int port = caller.getLocalPort();
            byte[] invite = ("INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port
                    + ";branch=z9hG4bK-refused-1;rport\r\nFrom: <sip:alice@example.com>;tag=a-1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: refused-1\r\nCSeq: 1 INVITE\r\n"
                    + "Contact: <sip:alice@127.0.0.1:" + port + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            caller.send(new DatagramPacket(invite, invite.length, outside));
            String finalResponse;
            do {
                DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
                caller.receive(p);
                finalResponse = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            } while (finalResponse.startsWith("SIP/2.0 1"));
            assertThat(finalResponse).startsWith("SIP/2.0 503 ").contains("Call-ID: refused-1");
            assertThat(server.metrics().scrape()).contains("edgesbc_sip_send_failures_total 1.0");
        } finally {
            server.stop();
        }
    }
}
