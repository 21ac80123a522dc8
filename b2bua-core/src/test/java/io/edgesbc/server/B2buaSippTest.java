package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgesbc.testing.LoopbackPorts;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.b2bua.StaticRouter;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls through a running EdgeSBC between two real SIPp instances over UDP: a SIPp UAC calls into
 * one realm, EdgeSBC routes the call (a {@link StaticRouter}) out of another realm to a SIPp UAS.
 * Each test checks both SIPp message logs (-trace_msg): neither side received any identifier of
 * the other (Call-ID, tags, branches, its address:port), and no call is left in EdgeSBC.
 *
 * <p>Routes: outside -> inside to the SIPp UAS; lab -> inside to a port where nobody listens
 * (Timer B); inside -> outside to that dead port first, then the SIPp UAS (failover). T1 is 100 ms
 * so that Timer B (64*T1) takes 6.4 s.
 */
class B2buaSippTest {

    private static final int CALLS = 3;
    private static EdgeSbcServer server;
    private static int uasPort;
    /**
     * The silent target: a socket we hold open and never read, so the port stays ours. A port
     * merely found free and released could be handed to SIPp or another socket later, which
     * would then receive the INVITEs meant for nobody.
     */
    private static DatagramSocket silent;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Sipp.available(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        uasPort = freePort();
        silent = new DatagramSocket(new InetSocketAddress(loopback, 0));
        int deadPort = silent.getLocalPort();
        RouteTarget uas = RouteTarget.of("sip:127.0.0.1:" + uasPort);
        RouteTarget dead = RouteTarget.of("sip:127.0.0.1:" + deadPort);
        StaticRouter router = StaticRouter.empty()
                .with("outside", "inside", List.of(uas))
                .with("lab", "inside", List.of(dead))
                .with("inside", "outside", List.of(dead, uas));
        ServerConfig config = new ServerConfig("test", List.of(
                new RealmConfig("outside", loopback, 0, -1),
                new RealmConfig("inside", loopback, 0, -1),
                new RealmConfig("lab", loopback, 0, -1)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(100), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2));
        server = new EdgeSbcServer(config, router).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (silent != null) {
            silent.close();
        }
    }

    private static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    private static int realmPort(String realm) {
        return server.listenPoints().stream().filter(p -> p.realm().equals(realm) && p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow().getPort();
    }


    private static void awaitNoCalls() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.activeCalls() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.activeCalls()).as("calls left in EdgeSBC's call tables").isZero();
    }

    /** Runs the UAS (if any) and the UAC; both must succeed, neither may see the other's identifiers. */
    private void call(String uasScenario, String uacScenario, String inboundRealm) throws Exception {
        Sipp.Run callee = null;
        if (uasScenario != null) {
            callee = Sipp.startUas(uasScenario, uasPort, CALLS);
        }
        int uacPort = freePort();
        Sipp.Run caller = Sipp.startUac(uacScenario, uacPort, realmPort(inboundRealm), CALLS, 10);
        try {
            Sipp.Result callerResult = caller.await(60);
            assertThat(callerResult.allCallsSucceeded()).as("caller: " + callerResult.output()).isTrue();
            if (callee != null) {
                Sipp.Result calleeResult = callee.await(30);
                assertThat(calleeResult.allCallsSucceeded()).as("callee: " + calleeResult.output()).isTrue();
                assertTopologyHidden(caller, uacPort, callee, uasPort);
            }
        } finally {
            caller.kill();
            if (callee != null) {
                callee.kill();
            }
        }
        awaitNoCalls();
    }

    /**
     * SIPp makes its identifiers from its pid: Call-ID "n-PID@ip", tags "PIDSIPpTag0x n", branches
     * "z9hG4bK-PID-...". None of the caller's may reach the callee, nor its address:port; and the
     * other way round.
     */
    private static void assertTopologyHidden(Sipp.Run caller, int callerPort, Sipp.Run callee, int calleePort)
            throws IOException {
        String atCallee = callee.messageLog();
        String atCaller = caller.messageLog();
        assertThat(atCallee).as("the callee's log is real").contains("Subject: b2bua interop");
        assertThat(atCaller).as("the caller's log is real").contains("SIP/2.0 100 Trying");
        for (String secret : List.of("-" + caller.pid() + "@", caller.pid() + "SIPpTag", "z9hG4bK-" + caller.pid(),
                "127.0.0.1:" + callerPort)) {
            assertThat(atCallee).as("the callee received the caller's " + secret).doesNotContain(secret);
        }
        for (String secret : List.of(callee.pid() + "SIPpTag", "z9hG4bK-" + callee.pid(), "127.0.0.1:" + calleePort)) {
            assertThat(atCaller).as("the caller received the callee's " + secret).doesNotContain(secret);
        }
    }

    @Test
    void basicCallWithByeFromTheCaller() throws Exception {
        call("uas-answer-200.xml", "uac-invite-bye.xml", "outside");
    }

    @Test
    void byeFromTheCallee() throws Exception {
        call("uas-answer-200-then-bye.xml", "uac-invite-callee-hangs-up.xml", "outside");
    }

    @Test
    void cancelWhileRinging() throws Exception {
        call("uas-ring-then-cancelled.xml", "uac-cancel-after-180.xml", "outside");
    }

    @Test
    void busy486IsMappedBack() throws Exception {
        call("uas-reject-486.xml", "uac-invite-486.xml", "outside");
    }

    @Test
    void anUnreachableTargetEndsWith408AfterTimerB() throws Exception {
        long start = System.nanoTime();
        call(null, "uac-invite-408.xml", "lab");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(6400));
    }

    @Test
    void failoverToTheSecondTargetAfterTimerBOnTheFirst() throws Exception {
        call("uas-answer-200.xml", "uac-invite-bye.xml", "inside");
    }
}
