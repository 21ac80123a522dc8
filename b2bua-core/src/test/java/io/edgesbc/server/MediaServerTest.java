package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.b2bua.MediaOutcome;
import io.edgesbc.b2bua.MediaPolicy;
import io.edgesbc.b2bua.MediaSession;
import io.edgesbc.server.config.ConfigLoader;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.media.RelayMediaAnchor;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay inside a running server, built from a configuration's {@code media:} section: its
 * meters on /metrics, its media timeouts routed to the call's shard, and its close on stop. The
 * B2BUA's calls do not use the anchor here (that is the end-to-end test); the test asks the anchor
 * itself, as a call would.
 */
class MediaServerTest {

    @TempDir
    Path dir;
    private EdgeSbcServer server;
    private int base;

    @BeforeEach
    void start() throws Exception {
        base = 44_000 + 200 * ThreadLocalRandom.current().nextInt(50);
        Path file = dir.resolve("sbc.yaml");
        Files.writeString(file, """
                realms:
                  - {name: outside, address: 127.0.0.1, udp: 0}
                  - {name: inside, address: 127.0.0.1, udp: 0}
                media:
                  timeout: 1s
                  hold_timeout: 1s
                  realms:
                    - {name: outside, ports: %d-%d}
                    - {name: inside, ports: %d-%d}
                """.formatted(base, base + 19, base + 100, base + 119));
        ServerConfig c = ConfigLoader.load(file);
        // admin on a free port (the file format asks for a real one)
        server = new EdgeSbcServer(new ServerConfig(c.source(), c.realms(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), c.t1(), c.t2(), c.t4(), c.idleTimeout(),
                c.maxConnections(), c.parseLimits(), c.shutdownTimeout(), c.policyFiles(), c.tlsTrust(), c.media()))
                .start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static byte[] sdp(int port) {
        return ("v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50); // polling an asynchronous outcome, not waiting for a timer
        }
    }

    @Test
    void exportsTheRelaysMetersAndCountsRelayedPackets() throws Exception {
        RelayMediaAnchor anchor = server.media().orElseThrow();
        MediaSession s = new MediaSession("0-metrics", "outside", "inside", MediaPolicy.DEFAULT);
        try (DatagramSocket caller = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             DatagramSocket callee = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            callee.setSoTimeout(2000);
            assertThat(anchor.offer(s, MediaSession.Side.CALLER, sdp(caller.getLocalPort())).block())
                    .isInstanceOf(MediaOutcome.Rewritten.class);
            MediaOutcome answer = anchor.answer(s, MediaSession.Side.CALLEE, sdp(callee.getLocalPort())).block();
            int outsidePort = io.edgesbc.media.sdp.SdpParser.parse(((MediaOutcome.Rewritten) answer).body())
                    .media().get(0).port();
            byte[] rtp = ByteBuffer.allocate(172).put((byte) 0x80).put((byte) 0).putShort((short) 1).array();
            caller.send(new DatagramPacket(rtp, rtp.length, InetAddress.getLoopbackAddress(), outsidePort));
            callee.receive(new DatagramPacket(new byte[2048], 2048));

            await("the relayed packet shows on /metrics",
                    () -> server.metrics().scrape().contains("edgesbc_media_packets_total 1.0"));
            String body = server.metrics().scrape();
            assertThat(body)
                    .contains("edgesbc_media_bytes_total 172.0")
                    .contains("edgesbc_media_calls_active 1.0")
                    .contains("edgesbc_media_streams_active 4.0")
                    .contains("edgesbc_media_port_pairs_in_use{realm=\"outside\"} 1.0")
                    .contains("edgesbc_media_port_pairs_free{realm=\"inside\"} 9.0")
                    .contains("edgesbc_media_port_exhaustions_total{realm=\"outside\"} 0.0")
                    .contains("edgesbc_media_packets_dropped_total{reason=\"unexpected_source\"} 0.0")
                    .contains("edgesbc_media_packets_lost_total 0.0");
        }
        anchor.release(s).block();
        String body = server.metrics().scrape();
        assertThat(body).contains("edgesbc_media_jitter_seconds_count{side=\"caller\"} 1")
                .as("the callee sent nothing: no jitter to record")
                .contains("edgesbc_media_jitter_seconds_count{side=\"callee\"} 0");
    }

    @Test
    void aMediaTimeoutReachesTheShardAndARelayCallWithoutACallIsReleased() throws Exception {
        RelayMediaAnchor anchor = server.media().orElseThrow();
        // a relay call no B2BUA call knows: the shard finds no call, so the server releases it
        MediaSession orphan = new MediaSession("1-orphan", "outside", "inside", MediaPolicy.DEFAULT);
        assertThat(anchor.offer(orphan, MediaSession.Side.CALLER, sdp(4000)).block())
                .isInstanceOf(MediaOutcome.Rewritten.class);
        assertThat(anchor.relay().metrics().pool("outside").free()).isEqualTo(9);
        await("the silent relay call is released after its 1 s timeout",
                () -> anchor.relay().metrics().pool("outside").free() == 10);
        assertThat(anchor.relay().metrics().activeCalls()).isZero();
    }

    @Test
    void stopClosesTheRelay() throws IOException {
        RelayMediaAnchor anchor = server.media().orElseThrow();
        MediaSession s = new MediaSession("0-open", "outside", "inside", MediaPolicy.DEFAULT);
        anchor.offer(s, MediaSession.Side.CALLER, sdp(4000)).block();
        server.stop();
        server = null;
        assertThat(anchor.relay().metrics().activeCalls()).isZero();
        assertThat(anchor.relay().metrics().pool("inside").free()).isEqualTo(10);
        // the relay's port is free again for anyone
        try (DatagramSocket s2 = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), base))) {
            assertThat(s2.getLocalPort()).isEqualTo(base);
        }
    }
}
