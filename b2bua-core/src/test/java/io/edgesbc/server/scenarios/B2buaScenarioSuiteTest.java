package io.edgesbc.server.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgesbc.b2bua.CallRouter;
import io.edgesbc.b2bua.RouteDecision;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.server.EdgeSbcServer;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.scenarios.SippMessageLog.Message;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The named SIPp scenario suite of issue 4: SIPp UAC -> EdgeSBC -> SIPp UAS on loopback, one test
 * per scenario of src/test/resources/sipp/suite/NAME/{uac,uas}.xml, named after what it proves.
 *
 * <p>Every test checks what could go wrong: the callers' and callees' outcomes (SIPp's exit code
 * and call counts; the scenarios check the messages and their order), how many calls saw the
 * messages that matter (from the SIPp message logs), that no call is left in EdgeSBC
 * ({@code activeCalls() == 0}), and the topology check ({@link TopologyCheck}) between every caller
 * and callee. The caller's leg goes over UDP, or TCP in the {@code ...OverTcp} tests; the callee's
 * leg is UDP only (EdgeSBC's UAC leg has no TCP yet).
 *
 * <p>The router sends calls arriving in realm "outside" out of realm "inside" to the targets the
 * test sets ({@link #targets}). T1 is 1 s: SIPp 3.6.1's UAS aborts a call when the INVITE is
 * retransmitted after it answered (it takes the copy for an unexpected message), and on a busy
 * machine EdgeSBC can be late enough with a short T1 to retransmit. The silent-target failover runs
 * on a second server with T1 = 100 ms, so that Timer B (64*T1) takes 6.4 s; the loss scenario on
 * one with T1 = 500 ms, so that a call the UAS aborted ends within Timer B = 32 s.
 */
class B2buaScenarioSuiteTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static EdgeSbcServer server;
    private static volatile List<RouteTarget> targets = List.of();

    @BeforeAll
    static void start() {
        assumeTrue(sippInstalled(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        server = server(Duration.ofSeconds(1));
    }

    private static EdgeSbcServer server(Duration t1) {
        CallRouter router = (realm, source, invite) -> realm.equals("outside")
                ? new RouteDecision.Route("inside", targets, RouteDecision.Route.DEFAULT_FAILOVER)
                : RouteDecision.noRoute();
        ServerConfig config = new ServerConfig("scenario-suite", List.of(
                new RealmConfig("outside", LOOPBACK, 0, 0),
                new RealmConfig("inside", LOOPBACK, 0, -1)),
                new InetSocketAddress(LOOPBACK, 0), t1, Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100_000, ParseLimits.DEFAULTS, Duration.ofSeconds(2));
        return new EdgeSbcServer(config, router).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    // ---------------------------------------------------------------- what the B2BUA does today

    @Test
    void basicCall() throws Exception {
        Run run = new Run("basic-call").calls(5).go();
        assertThat(run.callsWhere(run.callee(), received("ACK"))).isEqualTo(5);
        assertThat(run.callsWhere(run.callee(), received("BYE"))).isEqualTo(5);
    }

    @Test
    void basicCallOverTcp() throws Exception {
        Run run = new Run("basic-call").transport("t1").calls(5).go();
        assertThat(run.callsWhere(run.callee(), received("BYE"))).isEqualTo(5);
    }

    @Test
    void calleeHangsUp() throws Exception {
        Run run = new Run("callee-hangs-up").calls(5).go();
        assertThat(run.callsWhere(run.caller(), received("BYE"))).isEqualTo(5);
        assertThat(run.callsWhere(run.callee(), m -> m.status() == 200 && m.method().equals("BYE"))).isEqualTo(5);
    }

    @Test
    void calleeHangsUpOverTcp() throws Exception {
        // The caller's leg is TCP: EdgeSBC's BYE towards the caller must go over it too.
        Run run = new Run("callee-hangs-up").transport("t1").calls(3).go();
        assertThat(run.callsWhere(run.caller(), received("BYE"))).isEqualTo(3);
    }

    @Test
    void cancelBeforeAnswer() throws Exception {
        Run run = new Run("cancel-before-answer").calls(5).go();
        assertThat(run.callsWhere(run.callee(), received("CANCEL"))).isEqualTo(5);
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 487)).isEqualTo(5);
    }

    @Test
    void cancelBeforeAnswerOverTcp() throws Exception {
        Run run = new Run("cancel-before-answer").transport("t1").calls(3).go();
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 487)).isEqualTo(3);
    }

    @Test
    void cancel200Race() throws Exception {
        Run run = new Run("cancel-200-race").calls(5).go();
        // The caller: 487 every time, never a 200 to its INVITE.
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 487)).isEqualTo(5);
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 200 && m.method().equals("INVITE"))).isZero();
        // The callee, whose 200 crossed the CANCEL: ACK + BYE.
        assertThat(run.callsWhere(run.callee(), received("ACK"))).isEqualTo(5);
        assertThat(run.callsWhere(run.callee(), received("BYE"))).isEqualTo(5);
    }

    @Test
    void busy486() throws Exception {
        Run run = new Run("busy-486").calls(5).go();
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 486)).isEqualTo(5);
        assertThat(run.callsWhere(run.callee(), received("ACK"))).isEqualTo(5);
    }

    @Test
    void earlyMedia183() throws Exception {
        Run run = new Run("early-media-183").calls(5).go();
        assertThat(run.callsWhere(run.caller(),
                m -> m.status() == 183 && m.body().contains("s=early-media-183"))).isEqualTo(5);
    }

    @Test
    void failoverFirstTargetSilent() throws Exception {
        EdgeSbcServer shortT1 = server(Duration.ofMillis(100));
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            silent.setSoTimeout(200);
            Run run = new Run("basic-call").on(shortT1).calls(3)
                    .firstTarget(RouteTarget.of("sip:127.0.0.1:" + silent.getLocalPort())).go();
            assertThat(run.callsWhere(run.callee(), received("INVITE"))).isEqualTo(3);
            // The silent target was tried first: it got the INVITEs (and their retransmissions).
            assertThat(invitesAt(silent)).isGreaterThanOrEqualTo(3);
        } finally {
            shortT1.stop();
        }
    }

    @Test
    void failover503() throws Exception {
        int firstPort = SippPeer.freePort();
        SippPeer first = SippPeer.uas("first-target", "failover-503", "uas", firstPort, 4);
        try {
            Run run = new Run("basic-call").calls(4).firstTarget(RouteTarget.of("sip:127.0.0.1:" + firstPort))
                    .alsoCheck(first).go();
            SippPeer.Outcome firstOutcome = first.await(20);
            assertThat(firstOutcome.allSucceeded()).as(firstOutcome.output()).isTrue();
            assertThat(run.callsWhere(first, received("ACK"))).isEqualTo(4);
            assertThat(run.callsWhere(run.callee(), received("INVITE"))).isEqualTo(4);
            assertThat(run.callsWhere(run.caller(), m -> m.status() == 503)).isZero();
        } finally {
            first.kill();
        }
    }

    @Test
    void forkedTwo2xx() throws Exception {
        Run run = new Run("forked-two-2xx").calls(3).go();
        // Both branches ACKed; the second ended with a BYE (the scenario checks which tag), the first
        // when the caller hung up: two BYEs per call.
        assertThat(run.count(run.callee(), received("ACK"))).isGreaterThanOrEqualTo(6);
        assertThat(run.count(run.callee(), received("BYE"))).isGreaterThanOrEqualTo(6);
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 200 && m.method().equals("INVITE"))).isEqualTo(3);
    }

    @Test
    void loss10Percent() throws Exception {
        int calls = 30;
        EdgeSbcServer t1Half = server(Duration.ofMillis(500));
        try {
            Run run = new Run("loss-10-percent").on(t1Half).calls(calls).rate(30).loss(10).expectAllSucceeded(false)
                    .go();
            // Every call ended one way or the other (SIPp counted it), and none is left in EdgeSBC.
            assertThat(run.callerOutcome().successful() + run.callerOutcome().failed())
                    .as(run.callerOutcome().output()).isEqualTo(calls);
            assertThat(run.callerOutcome().successful()).as("most calls get through 10% loss: " + run.callerOutcome())
                    .isGreaterThanOrEqualTo(calls * 3 / 4);
        } finally {
            t1Half.stop();
        }
    }

    @Test
    void thousandCallsAtASteadyRate() throws Exception {
        Run run = new Run("basic-call").calls(1000).rate(200).noPauseBetween().go();
        assertThat(run.callerOutcome().successful()).isEqualTo(1000);
        assertThat(run.calleeOutcome().successful()).isEqualTo(1000);
        assertThat(run.callsWhere(run.callee(), received("BYE"))).isEqualTo(1000);
    }

    // ------------------------------------------------- waiting for the in-dialog relay (issue 4)

    @Test
    void reinviteFromCaller() throws Exception {
        Run run = new Run("reinvite-from-caller").calls(3).go();
        assertThat(run.callsWhere(run.callee(), received("INVITE"))).isEqualTo(3);
        assertThat(run.count(run.callee(), received("INVITE"))).isGreaterThanOrEqualTo(6);
    }

    @Test
    void reinviteFromCallee() throws Exception {
        Run run = new Run("reinvite-from-callee").calls(3).go();
        assertThat(run.callsWhere(run.caller(), received("INVITE"))).isEqualTo(3);
    }

    @Test
    void updateEarly() throws Exception {
        Run run = new Run("update-early").calls(3).go();
        assertThat(run.callsWhere(run.callee(), received("UPDATE"))).isEqualTo(3);
    }

    @Test
    void prack100rel() throws Exception {
        Run run = new Run("prack-100rel").calls(3).go();
        assertThat(run.callsWhere(run.callee(), received("PRACK"))).isEqualTo(3);
        assertThat(run.callsWhere(run.caller(), m -> m.status() == 183 && m.header("RSeq").isPresent()))
                .isEqualTo(3);
    }

    @Test
    void infoInDialog() throws Exception {
        Run run = new Run("info-in-dialog").calls(3).go();
        assertThat(run.callsWhere(run.callee(), received("INFO"))).isEqualTo(3);
        assertThat(run.callsWhere(run.caller(), received("INFO"))).isEqualTo(3);
    }

    @Test
    void referInDialog() throws Exception {
        Run run = new Run("refer-in-dialog").calls(3).go();
        assertThat(run.callsWhere(run.callee(), received("REFER"))).isEqualTo(3);
        assertThat(run.callsWhere(run.caller(), received("NOTIFY"))).isEqualTo(3);
    }

    @Test
    void sessionTimerExpiry() throws Exception {
        Run run = new Run("session-timer-expiry").calls(1).timeout(150).go();
        assertThat(run.callsWhere(run.caller(), received("BYE"))).isEqualTo(1);
        assertThat(run.callsWhere(run.callee(), received("BYE"))).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------- the harness

    private static Predicate<Message> received(String method) {
        return m -> m.isRequest() && m.method().equals(method);
    }

    /** Datagrams that reached the silent target (read after the fact from its socket buffer). */
    private static int invitesAt(DatagramSocket silent) throws IOException {
        int invites = 0;
        byte[] buffer = new byte[65_535];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                silent.receive(packet);
            } catch (SocketTimeoutException drained) {
                return invites;
            }
            if (new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8).startsWith("INVITE ")) {
                invites++;
            }
        }
    }

    private static int port(EdgeSbcServer sbc, String realm, TransportKind transport) {
        return sbc.listenPoints().stream().filter(p -> p.realm().equals(realm) && p.transport() == transport)
                .map(ListenPoint::address).findFirst().orElseThrow().getPort();
    }

    private static boolean sippInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "sipp"))) {
                return true;
            }
        }
        return false;
    }

    /** One scenario run: a SIPp UAS (the last target), a SIPp UAC, the checks every scenario shares. */
    private static final class Run {
        private final String scenario;
        private EdgeSbcServer sbc = server;
        private String transport = "u1";
        private int calls = 3;
        private int rate = 10;
        private int lossPercent;
        private boolean expectAllSucceeded = true;
        private int timeoutSeconds = 60;
        private RouteTarget firstTarget;
        private final List<SippPeer> alsoCheck = new ArrayList<>();
        private SippPeer caller;
        private SippPeer callee;
        private SippPeer.Outcome callerOutcome;
        private SippPeer.Outcome calleeOutcome;

        Run(String scenario) {
            this.scenario = scenario;
        }

        Run on(EdgeSbcServer other) {
            this.sbc = other;
            return this;
        }

        Run transport(String t) {
            this.transport = t;
            return this;
        }

        Run calls(int n) {
            this.calls = n;
            return this;
        }

        Run rate(int r) {
            this.rate = r;
            return this;
        }

        Run loss(int percent) {
            this.lossPercent = percent;
            return this;
        }

        Run timeout(int seconds) {
            this.timeoutSeconds = seconds;
            return this;
        }

        Run expectAllSucceeded(boolean all) {
            this.expectAllSucceeded = all;
            return this;
        }

        Run firstTarget(RouteTarget target) {
            this.firstTarget = target;
            return this;
        }

        Run alsoCheck(SippPeer peer) {
            alsoCheck.add(peer);
            return this;
        }

        Run noPauseBetween() {
            return this;
        }

        SippPeer caller() {
            return caller;
        }

        SippPeer callee() {
            return callee;
        }

        SippPeer.Outcome callerOutcome() {
            return callerOutcome;
        }

        SippPeer.Outcome calleeOutcome() {
            return calleeOutcome;
        }

        Run go() throws Exception {
            List<String> options = new ArrayList<>(List.of("-timeout", Math.max(40, timeoutSeconds - 10) + "s"));
            if (lossPercent > 0) {
                options.addAll(List.of("-lost", Integer.toString(lossPercent)));
            }
            String[] loss = options.toArray(new String[0]);
            int calleePort = SippPeer.freePort();
            callee = SippPeer.uas("callee", scenario, "uas", calleePort, calls, loss);
            RouteTarget last = RouteTarget.of("sip:127.0.0.1:" + calleePort);
            targets = firstTarget == null ? List.of(last) : List.of(firstTarget, last);
            int callerPort = SippPeer.freePort();
            TransportKind kind = transport.equals("t1") ? TransportKind.TCP : TransportKind.UDP;
            caller = SippPeer.uac("caller", scenario, transport, callerPort, port(sbc, "outside", kind), calls, rate,
                    loss);
            try {
                callerOutcome = caller.await(timeoutSeconds);
                calleeOutcome = callee.await(timeoutSeconds);
                assertThat(callerOutcome.exitCode()).as("the caller SIPp ran to its end: " + callerOutcome.output())
                        .isNotEqualTo(-1);
                assertThat(calleeOutcome.exitCode()).as("the callee SIPp ran to its end: " + calleeOutcome.output())
                        .isNotEqualTo(-1);
                if (expectAllSucceeded) {
                    assertThat(callerOutcome.allSucceeded()).as("caller: " + callerOutcome.output()).isTrue();
                    assertThat(calleeOutcome.allSucceeded()).as("callee: " + calleeOutcome.output()).isTrue();
                }
                awaitNoCalls();
                List<TopologyCheck.Leak> leaks = new ArrayList<>(TopologyCheck.between(caller.side(), callee.side()));
                for (SippPeer other : alsoCheck) {
                    leaks.addAll(TopologyCheck.between(caller.side(), other.side()));
                }
                assertThat(caller.log().received()).as("the caller's message log is real").isNotEmpty();
                assertThat(callee.log().received()).as("the callee's message log is real").isNotEmpty();
                // The check has something to look for: both sides' tags and branches, the caller's Call-ID.
                var callerIds = TopologyCheck.identifiers(caller.side());
                var calleeIds = TopologyCheck.identifiers(callee.side());
                // (With loss, SIPp does not log what it "lost" on sending: at least one call then.)
                int logged = lossPercent > 0 ? 1 : calls;
                assertThat(callerIds.get("Call-ID")).hasSizeGreaterThanOrEqualTo(logged);
                assertThat(callerIds.get("tag")).hasSizeGreaterThanOrEqualTo(logged);
                assertThat(callerIds.get("branch")).isNotEmpty();
                assertThat(calleeIds.get("tag")).hasSizeGreaterThanOrEqualTo(logged);
                assertThat(leaks).as("topology hiding").isEmpty();
            } finally {
                caller.kill();
                callee.kill();
            }
            return this;
        }

        /** Distinct Call-IDs among the messages {@code peer} received that match. */
        long callsWhere(SippPeer peer, Predicate<Message> which) throws IOException {
            return peer.log().received().stream().filter(which).map(m -> m.header("Call-ID").orElse(""))
                    .distinct().count();
        }

        /** The messages {@code peer} received that match (retransmissions included). */
        long count(SippPeer peer, Predicate<Message> which) throws IOException {
            return peer.log().received().stream().filter(which).count();
        }

        private void awaitNoCalls() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (sbc.activeCalls() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sbc.activeCalls()).as("calls left in EdgeSBC's call tables").isZero();
        }
    }
}
