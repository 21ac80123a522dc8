package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.parse.SipWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPTIONS keep-alive over real UDP: a "carrier" socket that answers the pings keeps its target in
 * rotation; once it stops answering (Timer F, 64*T1 with T1 = 50 ms here) the target is out, and
 * it is back at the first answer after that.
 */
class OptionsPingOverUdpTest {

    @TempDir
    Path dir;

    @Test
    void aTargetThatStopsAnsweringLeavesTheRotationAndComesBack() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket carrier = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            carrier.setSoTimeout(100);
            String target = "sip:127.0.0.1:" + carrier.getLocalPort();
            Path policy = dir.resolve("ping.yaml");
            Files.writeString(policy, """
                    version: "ping-udp"
                    trunks:
                      - name: carrier
                        realm: outside
                        from: [127.0.0.2/32]
                        targets: ["%s"]
                        options_ping: 1s
                    rules:
                      - name: all
                        match: {method: INVITE}
                        route: {trunk: carrier}
                    """.formatted(target));
            ServerConfig config = new ServerConfig("test", List.of(new RealmConfig("outside", loopback, 0, -1)),
                    new InetSocketAddress(loopback, 0), Duration.ofMillis(50), Duration.ofMillis(400),
                    Duration.ofSeconds(1), Duration.ofMinutes(5), 100, ParseLimits.DEFAULTS, Duration.ofSeconds(1),
                    List.of(policy), null);
            PolicyRouter router = new PolicyRouter(((PolicyFiles.Outcome.Loaded) PolicyFiles.load(
                    config.policyFiles(), Set.of("outside"))).policy());
            EdgeSbcServer server = new EdgeSbcServer(config, router).start();
            AtomicBoolean answering = new AtomicBoolean(true);
            List<SipRequest> received = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread peer = new Thread(() -> serve(carrier, answering, received, running), "fake-carrier");
            peer.start();
            try {
                await(() -> received.size() >= 2, "two pings");
                SipRequest ping = received.get(0);
                assertThat(ping.method()).isEqualTo("OPTIONS");
                assertThat(ping.requestUri().toString()).isEqualTo(target);
                assertThat(ping.topVia().branch()).startsWith("z9hG4bK-");
                assertThat(ping.fromTag()).isNotNull();
                assertThat(router.health().down()).isEmpty();
                assertThat(server.metrics().scrape())
                        .contains("edgesbc_trunk_target_up{target=\"" + target + "\",trunk=\"carrier\"} 1.0");

                answering.set(false);
                await(() -> router.health().down().contains(target), "the target out of rotation");
                assertThat(server.metrics().scrape())
                        .contains("edgesbc_trunk_target_up{target=\"" + target + "\",trunk=\"carrier\"} 0.0");
                answering.set(true);
                await(() -> router.health().down().isEmpty(), "the target back in rotation");
            } finally {
                running.set(false);
                peer.join(2_000);
                server.stop();
            }
        }
    }

    /** Answers every OPTIONS with 200 while {@code answering}; records what it received. */
    private static void serve(DatagramSocket socket, AtomicBoolean answering, List<SipRequest> received,
                              AtomicBoolean running) {
        SipParser parser = new SipParser();
        byte[] buffer = new byte[65_535];
        while (running.get()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (java.io.IOException e) {
                return;
            }
            byte[] bytes = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            if (parser.parseDatagram(bytes) instanceof ParseResult.Parsed parsed
                    && parsed.message() instanceof SipRequest request) {
                received.add(request);
                if (answering.get()) {
                    byte[] ok = SipWriter.toBytes(UasResponses.to(request, 200, "OK", () -> "carrier-1").build());
                    try {
                        socket.send(new DatagramPacket(ok, ok.length, packet.getSocketAddress()));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
