package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgesbc.testing.LoopbackPorts;
import java.io.IOException;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.b2bua.StaticRouter;
import io.edgesbc.media.relay.LatchMode;
import io.edgesbc.server.config.MediaConfig;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anchored media end to end: a SIPp UAC calls through EdgeSBC (outside -> inside) to a SIPp UAS;
 * the RTP of both parties is sent and received by sockets of this test at the addresses their
 * SDP names. The SDP each SIPp receives names only EdgeSBC's relay ports, RTP arrives from
 * EdgeSBC's relay sockets, and when the RTP stops EdgeSBC ends the call after the media timeout
 * (BYE to both SIPps, which then exit successfully).
 */
class MediaAnchoringSippTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern MEDIA_PORT = Pattern.compile("m=audio (\\d+) ");

    private EdgeSbcServer server;
    private int uasPort;
    private int base;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Sipp.available(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        uasPort = freePort();
        base = 46_000 + 200 * ThreadLocalRandom.current().nextInt(40);
        StaticRouter router = StaticRouter.empty()
                .with("outside", "inside", List.of(RouteTarget.of("sip:127.0.0.1:" + uasPort)));
        MediaConfig media = new MediaConfig(true, Duration.ofSeconds(2), Duration.ofSeconds(2), List.of(
                new MediaConfig.Realm("outside", LOOPBACK, null, base, base + 99, LatchMode.LATCH),
                new MediaConfig.Realm("inside", LOOPBACK, null, base + 100, base + 199, LatchMode.LATCH)), List.of());
        ServerConfig config = new ServerConfig("test", List.of(
                new RealmConfig("outside", LOOPBACK, 0, -1),
                new RealmConfig("inside", LOOPBACK, 0, -1)),
                new InetSocketAddress(LOOPBACK, 0), Duration.ofMillis(100), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2),
                List.of(), null, media);
        server = new EdgeSbcServer(config, router).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void rtpFlowsThroughTheRelayAndACallWhoseRtpStopsIsEndedAfterTheMediaTimeout() throws Exception {
        try (DatagramSocket callerRtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket calleeRtp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            callerRtp.setSoTimeout(2000);
            calleeRtp.setSoTimeout(2000);
            int uacPort = freePort();
            Sipp.Run callee = Sipp.startUas("uas-answer-rtp-media-timeout.xml", uasPort, 1,
                    "-key", "rtp_port", Integer.toString(calleeRtp.getLocalPort()));
            Sipp.Run caller = Sipp.startUac("uac-invite-rtp-media-timeout.xml", uacPort, realmPort("outside"), 1, 1,
                    "-key", "rtp_port", Integer.toString(callerRtp.getLocalPort()));
            try {
                // The SDP each side received: the 200's on the caller's side, the INVITE's on the callee's.
                int towardsCallee = awaitMediaPort("the 200 OK with SDP at the caller",
                        () -> received(caller, "SIP/2.0 200 OK"));
                int towardsCaller = awaitMediaPort("the INVITE with SDP at the callee",
                        () -> received(callee, "INVITE sip:"));
                assertThat(towardsCallee).as("the caller sends to the relay's outside range")
                        .isBetween(base, base + 99);
                assertThat(towardsCaller).as("the callee sends to the relay's inside range")
                        .isBetween(base + 100, base + 199);
                String inviteAtCallee = received(callee, "INVITE sip:");
                assertThat(inviteAtCallee).as("no address:port of the caller's side on the callee's side")
                        .doesNotContain(Integer.toString(callerRtp.getLocalPort()))
                        .doesNotContain(Integer.toString(uacPort));
                assertThat(received(caller, "SIP/2.0 200 OK"))
                        .doesNotContain(Integer.toString(calleeRtp.getLocalPort()))
                        .doesNotContain(Integer.toString(uasPort));

                for (int seq = 1; seq <= 5; seq++) {
                    callerRtp.send(rtp(seq, towardsCallee));
                    DatagramPacket atCallee = receive(calleeRtp);
                    assertThat(atCallee).as("RTP %d reaches the callee", seq).isNotNull();
                    assertThat(atCallee.getAddress()).isEqualTo(LOOPBACK);
                    assertThat(atCallee.getPort()).as("from the relay's inside socket, not the caller")
                            .isEqualTo(towardsCaller);
                    calleeRtp.send(rtp(seq, towardsCaller));
                    DatagramPacket atCaller = receive(callerRtp);
                    assertThat(atCaller).as("RTP %d reaches the caller", seq).isNotNull();
                    assertThat(atCaller.getPort()).isEqualTo(towardsCallee);
                }

                // The RTP stops: after the media timeout (2 s) EdgeSBC sends BYE on both legs.
                Sipp.Result callerResult = caller.await(30);
                Sipp.Result calleeResult = callee.await(30);
                assertThat(callerResult.allCallsSucceeded()).as(callerResult.output()).isTrue();
                assertThat(calleeResult.allCallsSucceeded()).as(calleeResult.output()).isTrue();
                awaitTrue("the call is gone and its ports are back", () -> server.activeCalls() == 0
                        && server.media().orElseThrow().relay().metrics().pool("outside").free() == 50
                        && server.media().orElseThrow().relay().metrics().pool("inside").free() == 50);
            } finally {
                caller.kill();
                callee.kill();
            }
        }
    }

    private static DatagramPacket rtp(int seq, int port) {
        byte[] b = ByteBuffer.allocate(172).put((byte) 0x80).put((byte) 0).putShort((short) seq)
                .putInt(seq * 160).putInt(0x0ED6E5BC).array(); // RFC 3550 §5.1 header, 20 ms of PCMU
        return new DatagramPacket(b, b.length, LOOPBACK, port);
    }

    private static DatagramPacket receive(DatagramSocket socket) throws java.io.IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            socket.receive(p);
            return p;
        } catch (java.net.SocketTimeoutException e) {
            return null;
        }
    }

    /** The first message SIPp logged as received that starts with {@code startLine}, or "". */
    private static String received(Sipp.Run run, String startLine) {
        String log;
        try {
            log = run.messageLog();
        } catch (java.io.IOException e) {
            return "";
        }
        for (String section : log.split("\n-{20,}[^\n]*\n")) {
            int at = section.indexOf(startLine);
            if (section.contains("message received") && at >= 0) {
                return section.substring(at);
            }
        }
        return "";
    }

    private static int awaitMediaPort(String what, Supplier<String> message) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = MEDIA_PORT.matcher(message.get());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(50); // polling SIPp's log for an asynchronous outcome
        }
        throw new AssertionError(what + " did not arrive");
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private int realmPort(String realm) {
        return server.listenPoints().stream().filter(p -> p.realm().equals(realm) && p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow().getPort();
    }

    private static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

}
