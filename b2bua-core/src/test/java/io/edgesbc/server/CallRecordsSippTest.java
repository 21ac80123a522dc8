package io.edgesbc.server;

import static io.edgesbc.server.PolicySippTest.await;
import static io.edgesbc.server.PolicySippTest.freePort;
import static io.edgesbc.server.PolicySippTest.realmPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesbc.server.cdr.CdrWriter;
import io.edgesbc.server.config.CdrConfig;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.parse.ParseLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls from SIPp through an EdgeSBC routed by policy, one of each way a call can go (answered,
 * busy, cancelled while ringing, refused by a rule); afterwards the CDR files hold exactly one
 * line per call SIPp made, with its outcome and codes, and {@code /metrics}, scraped over HTTP,
 * counts the same calls.
 */
class CallRecordsSippTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CALL_ID = Pattern.compile("(?m)^\\s*Call-ID: *(\\S+)");

    @TempDir
    Path tmp;

    private EdgeSbcServer server;
    private int uasPort;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Sipp.available(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        uasPort = freePort();
        Path policyFile = Files.writeString(tmp.resolve("calls.yaml"), PolicySippTest.policy(uasPort, "to-callee"));
        ServerConfig config = new ServerConfig("test", List.of(
                new RealmConfig("outside", loopback, 0, -1),
                new RealmConfig("inside", loopback, 0, -1)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2),
                List.of(policyFile), null).withCdr(CdrConfig.in(tmp.resolve("cdr")));
        PolicyFiles.Outcome outcome = PolicyFiles.load(config.policyFiles(), Set.of("outside", "inside"));
        assertThat(outcome).isInstanceOf(PolicyFiles.Outcome.Loaded.class);
        server = new EdgeSbcServer(config, new PolicyRouter(((PolicyFiles.Outcome.Loaded) outcome).policy())).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Runs a SIPp UAS (if any) and a UAC to completion; returns the Call-IDs of the UAC's calls. */
    private Set<String> calls(String uasScenario, String uacScenario, int calls, String... extra) throws Exception {
        Sipp.Run callee = null;
        if (uasScenario != null) {
            callee = Sipp.startUas(uasScenario, uasPort, calls);
        }
        Sipp.Run caller = Sipp.startUac(uacScenario, freePort(), realmPort(server, "outside"), calls, 10, extra);
        try {
            Sipp.Result result = caller.await(60);
            assertThat(result.allCallsSucceeded()).as(uacScenario + ": " + result.output()).isTrue();
            if (callee != null) {
                Sipp.Result uas = callee.await(30);
                assertThat(uas.allCallsSucceeded()).as(uasScenario + ": " + uas.output()).isTrue();
            }
            Set<String> ids = new TreeSet<>();
            Matcher m = CALL_ID.matcher(caller.messageLog());
            while (m.find()) {
                ids.add(m.group(1));
            }
            assertThat(ids).as("Call-IDs in the caller's log").hasSize(calls);
            return ids;
        } finally {
            caller.kill();
            if (callee != null) {
                callee.kill();
            }
        }
    }

    private List<JsonNode> cdrLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        try (var files = Files.list(tmp.resolve("cdr"))) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The sum of the samples of {@code name} whose labels include all of {@code labels} ("k=v"). */
    private static double sum(String exposition, String name, String... labels) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String inner = line.substring(name.length() + 1, line.lastIndexOf('}'));
            Set<String> have = new java.util.HashSet<>();
            for (String pair : inner.split(",")) {
                have.add(pair.replace("\"", ""));
            }
            if (have.containsAll(List.of(labels))) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    @Test
    void everyCallSippMadeHasExactlyOneCdrWithItsOutcomeAndTheMetricsCountThem() throws Exception {
        Set<String> answered = calls("uas-answer-200.xml", "uac-invite-bye.xml", 2);
        Set<String> busy = calls("uas-reject-486.xml", "uac-invite-486.xml", 1);
        Set<String> cancelled = calls("uas-ring-then-cancelled.xml", "uac-cancel-after-180.xml", 1);
        Set<String> refused = calls(null, "uac-policy-refused-403.xml", 1, "-s", "0900123456");
        await(() -> server.activeCalls() == 0, "no call left");
        CdrWriter cdr = server.cdrWriter().orElseThrow();
        await(() -> cdr.written() >= 5, "5 CDRs written");

        List<JsonNode> lines = cdrLines();
        Map<String, JsonNode> byCallId = new HashMap<>();
        for (JsonNode line : lines) {
            assertThat(byCallId.put(line.get("uas_call_id").asText(), line)).as("one CDR per call: " + line).isNull();
        }
        Set<String> all = new TreeSet<>(answered);
        all.addAll(busy);
        all.addAll(cancelled);
        all.addAll(refused);
        assertThat(byCallId.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(lines).hasSize(5);

        for (String id : answered) {
            JsonNode c = byCallId.get(id);
            assertThat(c.get("outcome").asText()).isEqualTo("answered");
            assertThat(c.get("uas_code").asInt()).isEqualTo(200);
            assertThat(c.get("uac_code").asInt()).isEqualTo(200);
            assertThat(c.get("ended_by").asText()).isEqualTo("caller");
            assertThat(c.get("answer_time").isNull()).isFalse();
            assertThat(c.get("duration_seconds").asDouble()).isPositive();
            assertThat(c.get("uac_call_id").asText()).isNotEqualTo(id).isEqualTo(c.get("id").asText());
            assertThat(c.get("source_trunk").asText()).isEqualTo("sipp-caller");
            assertThat(c.get("target_trunk").asText()).isEqualTo("sipp-callee");
            assertThat(c.get("rule").asText()).isEqualTo("to-callee");
            assertThat(c.get("caller_realm").asText()).isEqualTo("outside");
            assertThat(c.get("callee_realm").asText()).isEqualTo("inside");
            assertThat(c.get("called").asText()).isEqualTo("+4930123456");
        }
        JsonNode b = byCallId.get(busy.iterator().next());
        assertThat(b.get("outcome").asText()).isEqualTo("failed");
        assertThat(b.get("uas_code").asInt()).isEqualTo(486);
        assertThat(b.get("uac_code").asInt()).isEqualTo(486);
        assertThat(b.get("ended_by").asText()).isEqualTo("callee");
        assertThat(b.get("answer_time").isNull()).isTrue();
        JsonNode c = byCallId.get(cancelled.iterator().next());
        assertThat(c.get("outcome").asText()).isEqualTo("cancelled");
        assertThat(c.get("uas_code").asInt()).isEqualTo(487);
        assertThat(c.get("uac_code").asInt()).isEqualTo(487);
        assertThat(c.get("ended_by").asText()).isEqualTo("caller");
        assertThat(c.get("ring_time").isNull()).isFalse();
        JsonNode r = byCallId.get(refused.iterator().next());
        assertThat(r.get("outcome").asText()).isEqualTo("rejected");
        assertThat(r.get("uas_code").asInt()).isEqualTo(403);
        assertThat(r.get("uac_code").isNull()).isTrue();
        assertThat(r.get("uac_call_id").isNull()).isTrue();
        assertThat(r.get("ended_by").asText()).isEqualTo("edgesbc");
        assertThat(r.get("called").asText()).isEqualTo("0900123456");

        String metrics = scrape();
        assertThat(sum(metrics, "edgesbc_calls_attempts_total", "realm=outside")).isEqualTo(5);
        assertThat(sum(metrics, "edgesbc_calls_attempts_total", "realm=outside", "trunk=sipp-caller"))
                .as("the calls that got a route carry their source trunk").isGreaterThanOrEqualTo(4);
        assertThat(sum(metrics, "edgesbc_calls_answered_total", "trunk=sipp-caller")).isEqualTo(2);
        assertThat(sum(metrics, "edgesbc_calls_active", "realm=outside")).isZero();
        assertThat(sum(metrics, "edgesbc_calls_failed_total", "code=486", "status_class=4xx")).isEqualTo(1);
        assertThat(sum(metrics, "edgesbc_calls_failed_total", "code=487")).isEqualTo(1);
        assertThat(sum(metrics, "edgesbc_calls_failed_total", "code=403")).isEqualTo(1);
        assertThat(sum(metrics, "edgesbc_calls_ended_total", "outcome=answered", "ended_by=caller")).isEqualTo(2);
        assertThat(sum(metrics, "edgesbc_calls_ended_total", "outcome=cancelled")).isEqualTo(1);
        assertThat(sum(metrics, "edgesbc_calls_ended_total", "outcome=rejected", "ended_by=edgesbc")).isEqualTo(1);
        assertThat(sum(metrics, "edgesbc_call_duration_seconds_count", "trunk=sipp-caller")).isEqualTo(2);
        assertThat(sum(metrics, "edgesbc_call_answer_delay_seconds_count", "trunk=sipp-caller")).isEqualTo(2);
        assertThat(sum(metrics, "edgesbc_call_post_dial_delay_seconds_count", "trunk=sipp-caller"))
                .as("the answered calls and the cancelled one rang").isEqualTo(3);
        assertThat(metrics).contains("edgesbc_cdr_written_total 5.0").contains("edgesbc_cdr_dropped_total 0.0");
    }

    @Test
    void stopWritesTheLastCdrsBeforeItReturns() throws Exception {
        calls(null, "uac-policy-refused-403.xml", 3, "-s", "0900123456");
        server.stop();
        CdrWriter cdr = server.cdrWriter().orElseThrow();
        server = null;
        // No waiting here: stop() has drained the queue and closed the file.
        assertThat(cdr.written()).isEqualTo(3);
        assertThat(cdrLines()).hasSize(3).allSatisfy(l -> assertThat(l.get("outcome").asText()).isEqualTo("rejected"));
    }
}
