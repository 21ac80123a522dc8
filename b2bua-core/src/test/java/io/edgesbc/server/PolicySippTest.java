package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgesbc.testing.LoopbackPorts;
import java.io.IOException;
import io.edgesbc.policy.admission.LimitUsage;
import io.edgesbc.policy.admission.Reason;
import io.edgesbc.policy.admission.Scope;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SIPp through an EdgeSBC whose calls are routed by a policy file (the server configuration's
 * {@code policy:}): a SIPp UAC on realm outside (trunk sipp-caller by its address), a SIPp UAS
 * behind trunk sipp-callee on realm inside, which admits 5 concurrent calls.
 */
class PolicySippTest {

    private static EdgeSbcServer server;
    private static int uasPort;
    private static Path policyFile;

    static String policy(int uasPort, String routeName) {
        return """
                trunks:
                  - name: sipp-caller
                    realm: outside
                    from: [127.0.0.1]
                  - name: sipp-callee
                    realm: inside
                    targets: ["sip:127.0.0.1:%d"]
                    limits: {concurrent_calls: 5}
                rules:
                  - name: premium-barred
                    match: {trunk: sipp-caller, ruri_user: {prefix: "0900"}}
                    reject: {code: 403, reason: Premium Barred}
                  - name: to-callee
                    match: {trunk: sipp-caller, method: INVITE, ruri_user: {prefix: "+49"}}
                    normalize:
                      ruri_user: [{strip_prefix: "+49"}, {add_prefix: "0"}]
                    route: {trunk: sipp-callee}
                    headers: {add: {X-Edge-Route: %s}}
                """.formatted(uasPort, routeName);
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Sipp.available(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        uasPort = freePort();
        policyFile = Files.createTempDirectory("policy").resolve("calls.yaml");
        Files.writeString(policyFile, policy(uasPort, "to-callee"));
        ServerConfig config = new ServerConfig("test", List.of(
                new RealmConfig("outside", loopback, 0, -1),
                new RealmConfig("inside", loopback, 0, -1)),
                // T1 as by default: a shorter one makes EdgeSBC retransmit INVITEs that a loaded
                // SIPp UAS, already waiting for the ACK, counts as unexpected.
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2),
                List.of(policyFile), null)
                // The reload test counts reloads through the admin API; a watch would add its own
                // (PolicyWatchServerTest covers reload on file change).
                .withPolicyWatch(null);
        PolicyFiles.Outcome outcome = PolicyFiles.load(config.policyFiles(), Set.of("outside", "inside"));
        assertThat(outcome).isInstanceOf(PolicyFiles.Outcome.Loaded.class);
        server = new EdgeSbcServer(config, new PolicyRouter(((PolicyFiles.Outcome.Loaded) outcome).policy())).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static int freePort() throws IOException {
        return LoopbackPorts.free();
    }

    static int realmPort(EdgeSbcServer server, String realm) {
        return server.listenPoints().stream().filter(p -> p.realm().equals(realm) && p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow().getPort();
    }


    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    static int inUse(EdgeSbcServer server) {
        return server.admission().orElseThrow().usage().stream().mapToInt(LimitUsage::inUse).sum();
    }

    @Test
    void aTrunkLimitedToFiveCallsRefusesTheSixthWith503AndEveryCounterReturnsToZero() throws Exception {
        PolicyRouter router = server.policyRouter().orElseThrow();
        long refusedBefore = router.rejections(Reason.CONCURRENT_CALLS, Scope.TRUNK);
        Sipp.Run callee = Sipp.startUas("uas-hold-3s-then-bye.xml", uasPort, 5);
        int callerPort = freePort();
        Sipp.Run five = Sipp.startUac("uac-policy-callee-hangs-up.xml", callerPort, realmPort(server, "outside"), 5,
                50, "-s", "+4930123456");
        Sipp.Run sixth = null;
        try {
            await(() -> router.callsInUse(Scope.TRUNK, "sipp-callee") == 5, "5 calls up on trunk sipp-callee");
            sixth = Sipp.startUac("uac-policy-refused-503.xml", freePort(), realmPort(server, "outside"), 1, 1,
                    "-s", "+4930123456");
            Sipp.Result refused = sixth.await(30);
            assertThat(refused.allCallsSucceeded()).as("the 6th call gets 503: " + refused.output()).isTrue();
            assertThat(sixth.messageLog()).contains("SIP/2.0 503 Service Unavailable").contains("Retry-After: 5");
            assertThat(router.callsInUse(Scope.TRUNK, "sipp-callee")).as("the 5 calls still up").isEqualTo(5);

            Sipp.Result callers = five.await(60);
            assertThat(callers.allCallsSucceeded()).as("caller: " + callers.output()).isTrue();
            Sipp.Result callees = callee.await(30);
            assertThat(callees.allCallsSucceeded()).as("callee: " + callees.output()).isTrue();

            // Number normalisation and header rules, as the callee received them.
            String atCallee = callee.messageLog();
            assertThat(atCallee).contains("INVITE sip:030123456@127.0.0.1:" + uasPort + " SIP/2.0")
                    .contains("X-Edge-Route: to-callee").doesNotContain("INVITE sip:+4930123456");
        } finally {
            five.kill();
            callee.kill();
            if (sixth != null) {
                sixth.kill();
            }
        }
        await(() -> server.activeCalls() == 0, "no call left");
        assertThat(server.admission().orElseThrow().usage()).as("every admission counter back at 0")
                .allSatisfy(u -> assertThat(u.inUse()).as(u.toString()).isZero());
        assertThat(router.rejections(Reason.CONCURRENT_CALLS, Scope.TRUNK) - refusedBefore).isOne();
        assertThat(server.metrics().scrape())
                .contains("edgesbc_admission_calls_in_use{name=\"sipp-callee\",scope=\"trunk\"} 0.0")
                .contains("edgesbc_admission_rejections_total{reason=\"concurrent_calls\",scope=\"trunk\"}")
                .containsPattern("edgesbc_rejections_total\\{reason=\"concurrent_calls\",trunk=\"sipp-callee\"} [1-9]");
    }

    @Test
    void aRejectRuleAnswersWithItsCode() throws Exception {
        Sipp.Run caller = Sipp.startUac("uac-policy-refused-403.xml", freePort(), realmPort(server, "outside"), 1, 1,
                "-s", "0900123456");
        try {
            Sipp.Result result = caller.await(30);
            assertThat(result.allCallsSucceeded()).as(result.output()).isTrue();
            assertThat(caller.messageLog()).contains("SIP/2.0 403 Premium Barred");
        } finally {
            caller.kill();
        }
        assertThat(inUse(server)).isZero();
    }

    private static java.net.http.HttpResponse<String> postReload() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + server.adminPort() + "/policy/reload"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReloadUnderACallSendsNewCallsByTheNewPolicyWhileTheCallInProgressKeepsItsRoute() throws Exception {
        var reloader = server.policyReloader().orElseThrow();
        long applied = reloader.succeeded();
        long refused = reloader.failed();
        int otherPort = freePort();
        Sipp.Run oldCallee = Sipp.startUas("uas-hold-3s-then-bye.xml", uasPort, 1);
        Sipp.Run newCallee = Sipp.startUas("uas-answer-200.xml", otherPort, 1);
        Sipp.Run first = null;
        Sipp.Run second = null;
        try {
            first = Sipp.startUac("uac-policy-callee-hangs-up.xml", freePort(), realmPort(server, "outside"), 1, 1,
                    "-s", "+4930123456");
            await(() -> server.activeCalls() == 1 && oldCalleeAnswered(oldCallee), "the first call is up");

            // A broken file: refused, logged, counted; the running policy stays.
            Files.writeString(policyFile, "rules:\n  - name: broken\n    reject: {code: 99}\n");
            var bad = postReload();
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains(policyFile + ":3:");
            assertThat(reloader.failed() - refused).isOne();

            Files.writeString(policyFile, policy(otherPort, "after-reload"));
            var ok = postReload();
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(reloader.succeeded() - applied).isOne();

            second = Sipp.startUac("uac-invite-bye.xml", freePort(), realmPort(server, "outside"), 1, 1);
            Sipp.Result secondResult = second.await(30);
            assertThat(secondResult.allCallsSucceeded()).as(secondResult.output()).isTrue();
            Sipp.Result firstResult = first.await(30);
            assertThat(firstResult.allCallsSucceeded()).as("the call in progress: " + firstResult.output()).isTrue();
            assertThat(oldCallee.await(30).allCallsSucceeded()).isTrue();
            assertThat(newCallee.await(30).allCallsSucceeded()).isTrue();
            assertThat(oldCallee.messageLog()).contains("X-Edge-Route: to-callee").doesNotContain("after-reload");
            assertThat(newCallee.messageLog()).contains("X-Edge-Route: after-reload")
                    .contains("INVITE sip:030123456@127.0.0.1:" + otherPort);
        } finally {
            for (Sipp.Run r : new Sipp.Run[] {first, second, oldCallee, newCallee}) {
                if (r != null) {
                    r.kill();
                }
            }
            Files.writeString(policyFile, policy(uasPort, "to-callee"));
            assertThat(postReload().statusCode()).isEqualTo(200);
        }
        await(() -> server.activeCalls() == 0, "no call left");
        assertThat(inUse(server)).isZero();
        assertThat(server.metrics().scrape()).contains("edgesbc_policy_reloads_total{outcome=\"refused\"}");
    }

    private static boolean oldCalleeAnswered(Sipp.Run callee) {
        try {
            return callee.messageLog().contains("ACK sip:");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aFloodingSourceIsRefusedAndCountedBeforeAnyOtherWork() throws Exception {
        String flooding = policy(uasPort, "to-callee")
                + "flood_guard: {requests_per_second: 1, burst: 3, ban_for: 60s, exempt_trunks: false}\n";
        Files.writeString(policyFile, flooding);
        long screened = server.requestsScreenedOut();
        PolicyRouter router = server.policyRouter().orElseThrow();
        long rate = router.rejections(Reason.FLOOD_RATE, Scope.SOURCE);
        long banned = router.rejections(Reason.FLOOD_BANNED, Scope.SOURCE);
        try {
            assertThat(postReload().statusCode()).isEqualTo(200);
            List<String> answers = new java.util.ArrayList<>();
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                socket.setSoTimeout(3000);
                int port = realmPort(server, "outside");
                for (int i = 0; i < 5; i++) {
                    String options = ("OPTIONS sip:edgesbc@127.0.0.1:%d SIP/2.0\r\n"
                            + "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-flood-%d;rport\r\n"
                            + "From: <sip:flood@127.0.0.1>;tag=f%d\r\nTo: <sip:edgesbc@127.0.0.1>\r\n"
                            + "Call-ID: flood-%d@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                            + "Content-Length: 0\r\n\r\n").formatted(port, socket.getLocalPort(), i, i, i);
                    byte[] bytes = options.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    socket.send(new java.net.DatagramPacket(bytes, bytes.length,
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
                    java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
                    socket.receive(in);
                    String response = new String(in.getData(), 0, in.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
                    answers.add(response.substring(0, response.indexOf('\r')));
                }
            }
            assertThat(answers).containsExactly("SIP/2.0 200 OK", "SIP/2.0 200 OK", "SIP/2.0 200 OK",
                    "SIP/2.0 403 Forbidden", "SIP/2.0 403 Forbidden");
            assertThat(server.requestsScreenedOut() - screened).isEqualTo(2);
            assertThat(router.rejections(Reason.FLOOD_RATE, Scope.SOURCE) - rate).isOne();
            assertThat(server.metrics().scrape())
                    .contains("edgesbc_admission_rejections_total{reason=\"flood_banned\",scope=\"source\"} "
                            + (banned + 1) + ".0");
        } finally {
            Files.writeString(policyFile, policy(uasPort, "to-callee"));
            assertThat(postReload().statusCode()).isEqualTo(200);
        }
    }

    /**
     * One trunk without a concurrent-call limit, so only the rule's call rate refuses; the rule
     * also normalises both numbers and edits headers, as the callee's log shows.
     */
    static String burstPolicy(int uasPort) {
        return """
                trunks:
                  - name: sipp-caller
                    realm: outside
                    from: [127.0.0.1]
                  - name: sipp-burst
                    realm: inside
                    targets: ["sip:127.0.0.1:%d"]
                rules:
                  - name: burst
                    match: {trunk: sipp-caller, method: INVITE}
                    normalize:
                      ruri_user: [{strip_prefix: "0"}, {add_prefix: "+49"}]
                      from_user: [{add_prefix: "00"}]
                    route: {trunk: sipp-burst}
                    headers: {remove: [Subject], add: {X-Edge-Route: burst}}
                    limits: {calls_per_second: 2, burst: 4}
                """.formatted(uasPort);
    }

    @Test
    void aCallRateLimitHoldsUnderABurstAndTheCalleeSeesNormalisedNumbersAndEditedHeaders() throws Exception {
        int calls = 20;
        int burst = 4;
        double perSecond = 2;
        PolicyRouter router = server.policyRouter().orElseThrow();
        int burstUas = freePort();
        Sipp.Run callee = Sipp.startUas("uas-answer-200.xml", burstUas, calls);
        Sipp.Run caller = null;
        try {
            // A new rule, so a new bucket, full: nothing has taken from it yet.
            Files.writeString(policyFile, burstPolicy(burstUas));
            assertThat(postReload().statusCode()).isEqualTo(200);
            long refusedBefore = router.rejections(Reason.CALLS_PER_SECOND, Scope.RULE);
            long started = System.nanoTime();
            caller = Sipp.startUac("uac-burst-200-or-503.xml", freePort(), realmPort(server, "outside"), calls, 200,
                    "-s", "030123456");
            Sipp.Result result = caller.await(60);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(result.allCallsSucceeded()).as("every call answered or refused: " + result.output()).isTrue();

            long refused = router.rejections(Reason.CALLS_PER_SECOND, Scope.RULE) - refusedBefore;
            long admitted = calls - refused;
            // The token bucket: the first `burst` calls pass however slowly SIPp sends them; beyond
            // that at most `perSecond` per second of the whole run (measured around it, so a slow
            // machine only widens the bound), plus one token that may mature at the edge.
            long most = burst + (long) Math.floor(perSecond * seconds) + 1;
            assertThat(admitted).as("admitted of %d calls in %.1f s", calls, seconds)
                    .isGreaterThanOrEqualTo(burst).isLessThanOrEqualTo(most);
            assertThat(caller.messageLog()).contains("SIP/2.0 503 Service Unavailable").contains("Retry-After: 1");

            String atCallee = callee.messageLog();
            assertThat(atCallee).contains("INVITE sip:+4930123456@127.0.0.1:" + burstUas + " SIP/2.0")
                    .contains("X-Edge-Route: burst").contains("<sip:00alice@")
                    .doesNotContain("Subject:").doesNotContain("INVITE sip:030123456@");
        } finally {
            if (caller != null) {
                caller.kill();
            }
            callee.kill();
            Files.writeString(policyFile, policy(uasPort, "to-callee"));
            assertThat(postReload().statusCode()).isEqualTo(200);
        }
        await(() -> server.activeCalls() == 0, "no call left");
        assertThat(inUse(server)).isZero();
    }

    /** Sends one OPTIONS from {@code socket} to EdgeSBC's outside realm; returns the status line. */
    private static String options(DatagramSocket socket, String id) throws java.io.IOException {
        int port = realmPort(server, "outside");
        String options = ("OPTIONS sip:edgesbc@127.0.0.1:%d SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-ban-%s;rport\r\n"
                + "From: <sip:flood@127.0.0.1>;tag=b%s\r\nTo: <sip:edgesbc@127.0.0.1>\r\n"
                + "Call-ID: ban-%s@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n").formatted(port, socket.getLocalPort(), id, id, id);
        byte[] bytes = options.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        socket.send(new java.net.DatagramPacket(bytes, bytes.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
        socket.receive(in);
        String response = new String(in.getData(), 0, in.getLength(), java.nio.charset.StandardCharsets.US_ASCII);
        return response.substring(0, response.indexOf('\r'));
    }

    @Test
    void aFloodingSourceIsBannedAndTheBanIsLiftedAfterItsTime() throws Exception {
        Duration banFor = Duration.ofSeconds(2);
        Files.writeString(policyFile, policy(uasPort, "to-callee")
                + "flood_guard: {requests_per_second: 1, burst: 3, ban_for: 2s, exempt_trunks: false}\n");
        PolicyRouter router = server.policyRouter().orElseThrow();
        long bannedBefore = router.rejections(Reason.FLOOD_BANNED, Scope.SOURCE);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(3000);
            assertThat(postReload().statusCode()).isEqualTo(200);
            assertThat(List.of(options(socket, "1"), options(socket, "2"), options(socket, "3")))
                    .containsOnly("SIP/2.0 200 OK");
            // The 4th request overflows the bucket: the ban is written while it is handled, so
            // after this instant, and cannot end before this instant plus ban_for.
            long overflowSent = System.nanoTime();
            assertThat(options(socket, "4")).isEqualTo("SIP/2.0 403 Forbidden");
            assertThat(options(socket, "5")).as("banned").isEqualTo("SIP/2.0 403 Forbidden");

            // Probe until the ban is lifted (bounded): requests during a ban do not extend it.
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String answer;
            int probe = 0;
            do {
                assertThat(System.nanoTime()).as("the ban is lifted within 15 s").isLessThan(deadline);
                Thread.sleep(200);
                answer = options(socket, "probe-" + probe++);
            } while (!answer.equals("SIP/2.0 200 OK"));
            long liftedAfter = System.nanoTime() - overflowSent;
            assertThat(Duration.ofNanos(liftedAfter)).as("not lifted early").isGreaterThanOrEqualTo(banFor);
            assertThat(router.rejections(Reason.FLOOD_BANNED, Scope.SOURCE) - bannedBefore)
                    .as("request 5 and the probes during the ban").isEqualTo(probe);
        } finally {
            Files.writeString(policyFile, policy(uasPort, "to-callee"));
            assertThat(postReload().statusCode()).isEqualTo(200);
        }
    }
}
