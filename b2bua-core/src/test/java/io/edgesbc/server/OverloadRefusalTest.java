package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.b2bua.B2buaSettings;
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
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A new INVITE that waits longer than b2bua.max_queue_delay for its shard gets 503 with
 * Retry-After, over a real UDP socket; once the shard has caught up, new calls are taken again.
 */
class OverloadRefusalTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static byte[] invite(int localPort, String id) {
        return ("INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + localPort
                + ";branch=z9hG4bK-" + id + "\r\nFrom: <sip:alice@example.com>;tag=a-" + id
                + "\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: " + id + "\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + localPort + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The first final response (status >= 200) the socket receives, as text. */
    private static String finalResponse(DatagramSocket socket) throws Exception {
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[8192], 8192);
            socket.receive(p);
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
            if (!text.startsWith("SIP/2.0 1")) {
                return text;
            }
        }
    }

    @Test
    void aNewInviteThatWaitedTooLongForItsShardIsRefusedUntilTheShardCatchesUp() throws Exception {
        ServerConfig config = new ServerConfig("test", List.of(new RealmConfig("outside", LOOPBACK, 0, -1)),
                new InetSocketAddress(LOOPBACK, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100, ParseLimits.DEFAULTS, Duration.ofSeconds(1))
                .withB2bua(new B2buaSettings(Duration.ZERO, true, Set.of(), Set.of(), Duration.ofMillis(100)));
        EdgeSbcServer server = new EdgeSbcServer(config).start();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(10_000);
            InetSocketAddress udp = server.listenPoints().stream().filter(p -> p.transport() == TransportKind.UDP)
                    .map(ListenPoint::address).findFirst().orElseThrow();
            // Hold every shard busy (a stand-in for a backlog) well beyond the 100 ms bound.
            int shards = Runtime.getRuntime().availableProcessors();
            CountDownLatch busy = new CountDownLatch(shards);
            server.shardCalls().onEveryShard(engine -> {
                busy.countDown();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(800);
                long spins = 0;
                while (System.nanoTime() < until) {
                    spins++; // busy, not blocked: BlockHound rejects sleeping (and even onSpinWait) here
                }
                return spins;
            }).subscribe();
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();

            byte[] first = invite(socket.getLocalPort(), "overload-1");
            socket.send(new DatagramPacket(first, first.length, udp));
            String refused = finalResponse(socket);
            assertThat(refused).startsWith("SIP/2.0 503 ").contains("Retry-After: 5").contains("Call-ID: overload-1");

            // The shards are idle again: the next call is handled as usual (480: no route here).
            byte[] second = invite(socket.getLocalPort(), "overload-2");
            socket.send(new DatagramPacket(second, second.length, udp));
            String answered = finalResponse(socket);
            while (answered.contains("Call-ID: overload-1")) { // the 503 again (Timer G) until our ACK
                answered = finalResponse(socket);
            }
            assertThat(answered).contains("Call-ID: overload-2").doesNotStartWith("SIP/2.0 503 ");
            assertThat(server.metrics().scrape()).contains("edgesbc_overload_refused_total 1.0");
        } finally {
            server.stop();
        }
    }
}
