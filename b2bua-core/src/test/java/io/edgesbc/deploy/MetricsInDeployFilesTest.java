package io.edgesbc.deploy;

import static io.edgesbc.deploy.DeployFiles.deploy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesbc.server.EdgeSbcServer;
import io.edgesbc.server.config.CdrConfig;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the alert rules query only metrics a running server exports, and a real
 * Prometheus (Debian package {@code prometheus}) scrapes a running server with them.
 */
class MetricsInDeployFilesTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** Series Prometheus makes itself for every target. */
    private static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
            "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static EdgeSbcServer server;
    private static DatagramSocket callee;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // Calls are routed by a policy (trunk labels, admission and reload meters) back out of the
        // same realm to a socket of this test that plays the callee; CDRs are on (their meters).
        callee = new DatagramSocket(new InetSocketAddress(loopback, 0));
        callee.setSoTimeout(5000);
        Path dir = Files.createTempDirectory("deploy-metrics");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                trunks:
                  - {name: deploy-caller, realm: outside, from: [127.0.0.1]}
                  - {name: deploy-callee, realm: outside, targets: ["sip:127.0.0.1:%d"]}
                  - {name: deploy-pinged, realm: outside, targets: ["sip:127.0.0.3:5099"], options_ping: 60s}
                rules:
                  - {name: to-callee, match: {trunk: deploy-caller, method: INVITE}, route: {trunk: deploy-callee}}
                """.formatted(callee.getLocalPort()));
        ServerConfig config = new ServerConfig("deploy-test", List.of(new RealmConfig("outside", loopback, 0, 0)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ofSeconds(2),
                List.of(policy), null).withCdr(CdrConfig.in(dir.resolve("cdr")))
                // The media relay on (its meters, the port pool alert), a small range of its own.
                .withMedia(io.edgesbc.server.config.ConfigLoader.load(Files.writeString(dir.resolve("media.yaml"), """
                        realms: [{name: outside, address: 127.0.0.1, udp: 0}]
                        media: {realms: [{name: outside, ports: 47400-47419}]}
                        """)).media());
        PolicyFiles.Outcome loaded = PolicyFiles.load(config.policyFiles(), Set.of("outside"));
        assertThat(loaded).isInstanceOf(PolicyFiles.Outcome.Loaded.class);
        server = new EdgeSbcServer(config, new PolicyRouter(((PolicyFiles.Outcome.Loaded) loaded).policy())).start();
        // One OPTIONS and its 200: the per-label SIP counters exist only once counted.
        InetSocketAddress udp = server.listenPoints().stream().filter(p -> p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            socket.setSoTimeout(5000);
            byte[] options = ("OPTIONS sip:edgesbc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=z9hG4bKdeploy\r\nFrom: <sip:t@example.com>;tag=a\r\n"
                    + "To: <sip:edgesbc@127.0.0.1>\r\nCall-ID: deploy-1\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(options, options.length, udp));
            socket.receive(new DatagramPacket(new byte[4096], 4096));
            // One call the callee refuses with 486: the per-trunk call series (failed by code,
            // ended by outcome) exist only once a call has ended.
            busyCall(socket, udp);
        }
        // The GC pause timer is registered at the first collection after the server started.
        System.gc();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (callee != null) {
            callee.close();
        }
    }

    /** A minimal caller and callee over raw UDP: INVITE, 486 from the callee, ACKs on both legs. */
    private static void busyCall(DatagramSocket caller, InetSocketAddress edge) throws IOException {
        String via = "SIP/2.0/UDP 127.0.0.1:" + caller.getLocalPort() + ";branch=z9hG4bKdeploycall";
        String from = "<sip:alice@127.0.0.1>;tag=deploy-a";
        String uri = "sip:+4930123456@127.0.0.1:" + edge.getPort();
        send(caller, edge, "INVITE " + uri + " SIP/2.0\r\nVia: " + via + "\r\nFrom: " + from + "\r\nTo: <" + uri
                + ">\r\nCall-ID: deploy-call-1\r\nCSeq: 1 INVITE\r\nContact: <sip:alice@127.0.0.1:"
                + caller.getLocalPort() + ">\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        DatagramPacket in = new DatagramPacket(new byte[8192], 8192);
        callee.receive(in);
        String invite = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        assertThat(invite).startsWith("INVITE ");
        StringBuilder busy = new StringBuilder("SIP/2.0 486 Busy Here\r\n");
        for (String line : invite.split("\r\n")) {
            String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
            switch (name) {
                case "Via", "From", "Call-ID", "CSeq" -> busy.append(line).append("\r\n");
                case "To" -> busy.append(line).append(";tag=deploy-b\r\n");
                default -> { }
            }
        }
        send(callee, (InetSocketAddress) in.getSocketAddress(), busy.append("Content-Length: 0\r\n\r\n").toString());
        String answer;
        do {
            caller.receive(in);
            answer = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        } while (answer.startsWith("SIP/2.0 1"));
        assertThat(answer).startsWith("SIP/2.0 486");
        String to = answer.lines().filter(l -> l.startsWith("To:")).findFirst().orElseThrow();
        // RFC 3261 §17.1.1.3: the ACK of a non-2xx final has the INVITE's branch and the response's To.
        send(caller, edge, "ACK " + uri + " SIP/2.0\r\nVia: " + via + "\r\nFrom: " + from + "\r\n" + to
                + "\r\nCall-ID: deploy-call-1\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    /** The sample names of one scrape, with the names a summary or histogram family also answers to. */
    static Set<String> exportedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                String family = f[2];
                switch (f[3]) {
                    case "summary" -> names.addAll(List.of(family + "_count", family + "_sum"));
                    case "histogram" -> names.addAll(List.of(family + "_count", family + "_sum", family + "_bucket"));
                    default -> { }
                }
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int end = 0;
                while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                    end++;
                }
                names.add(line.substring(0, end));
            }
        }
        return names;
    }

    private static Set<String> scrapedNames() throws Exception {
        String url = "http://127.0.0.1:" + server.adminPort() + "/metrics";
        Set<String> names = exportedNames(get(url));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!names.contains("jvm_gc_pause_seconds_count") && System.nanoTime() < deadline) {
            Thread.sleep(50); // the GC notification arrives on its own thread
            names = exportedNames(get(url));
        }
        return names;
    }

    /** PromQL of every dashboard panel and template variable, keyed by where it is. */
    static Map<String, String> dashboardQueries() {
        JsonNode dashboard = DeployFiles.json(deploy("grafana/dashboards/edgesbc.json"));
        Map<String, String> queries = new LinkedHashMap<>();
        List<JsonNode> panels = new ArrayList<>();
        dashboard.path("panels").forEach(p -> {
            panels.add(p);
            p.path("panels").forEach(panels::add); // collapsed rows hold their panels
        });
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode q = variable.path("query");
            queries.put("variable $" + variable.path("name").asText(), q.isObject() ? q.path("query").asText()
                    : q.asText());
        }
        return queries;
    }

    /** The expression of every active rule in alerts.yml (commented-out rules are not in the tree). */
    static Map<String, String> alertExpressions() {
        Map<String, String> exprs = new LinkedHashMap<>();
        for (JsonNode group : DeployFiles.yaml(deploy("prometheus/alerts.yml")).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                exprs.put("alert " + rule.path("alert").asText(rule.path("record").asText()),
                        rule.path("expr").asText());
            }
        }
        return exprs;
    }

    @Test
    void everyMetricTheDashboardAndTheActiveAlertsQueryIsExportedByARunningServer() throws Exception {
        Set<String> exported = scrapedNames();
        assertThat(exported).contains("edgesbc_sip_messages_total", "jvm_gc_pause_seconds_count",
                "netty_allocator_memory_used");
        Map<String, String> queries = new LinkedHashMap<>(dashboardQueries());
        queries.putAll(alertExpressions());
        assertThat(queries.keySet()).anyMatch(k -> k.startsWith("panel")).anyMatch(k -> k.startsWith("alert"));
        Set<String> used = new TreeSet<>();
        queries.forEach((where, expr) -> {
            assertThat(expr).as(where).isNotBlank();
            Set<String> names = PromQlNames.of(expr);
            assertThat(names).as(where + ": " + expr).isNotEmpty();
            for (String name : names) {
                assertThat(SYNTHETIC.contains(name) || exported.contains(name))
                        .as(where + " uses " + name + ", which the server does not export: " + expr).isTrue();
            }
            used.addAll(names);
        });
        // The panels the operations issue asks for, with today's metrics.
        assertThat(used).contains("edgesbc_calls_active", "edgesbc_calls_attempts_total",
                "edgesbc_calls_answered_total", "edgesbc_calls_failed_total", "edgesbc_call_duration_seconds_sum",
                "edgesbc_call_post_dial_delay_seconds_bucket", "edgesbc_admission_rejections_total");
        assertThat(used).contains("edgesbc_sip_messages_total", "edgesbc_sip_malformed_total",
                "edgesbc_sip_framing_errors_total", "edgesbc_sip_connections_open",
                "edgesbc_sip_server_transactions_total", "edgesbc_sip_transaction_timeouts_total",
                "edgesbc_sip_handler_failures_total", "edgesbc_sip_connections_refused_total",
                "jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum", "netty_allocator_memory_used");
    }

    @Test
    void promtoolAcceptsTheShippedScrapeConfigAndRules() throws Exception {
        assumeTrue(Files.isExecutable(PROMTOOL), "promtool (Debian prometheus) is not installed; ./edgesbc test "
                + "installs it");
        for (List<String> command : List.of(
                List.of(PROMTOOL.toString(), "check", "config", deploy("prometheus/prometheus.yml").toString()),
                List.of(PROMTOOL.toString(), "check", "rules", deploy("prometheus/alerts.yml").toString()))) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
        }
    }

    /**
     * Prometheus scrapes the in-process server every second with the shipped alert rules loaded;
     * the dashboard's queries run against it.
     */
    @Test
    void aRealPrometheusScrapesTheServerAndEvaluatesTheDashboardAndAlerts() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus (Debian package) is not installed; ./edgesbc test "
                + "installs it");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(tmp.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + deploy("prometheus/alerts.yml"),
                "scrape_configs:",
                "  - job_name: edgesbc",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + server.adminPort() + "']",
                ""));
        Path log = tmp.resolve("prometheus.log");
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String api = "http://127.0.0.1:" + port + "/api/v1/";
        try {
            waitFor("up{job=\"edgesbc\"} == 1", () -> value(api, "up{job=\"edgesbc\"}").equals("1"),
                    prometheus, log);
            waitFor("edgesbc_sip_messages_total queryable", () -> query(api, "edgesbc_sip_messages_total")
                    .path("data").path("result").size() > 0, prometheus, log);
            assertThat(value(api, "sum(edgesbc_sip_messages_total{direction=\"in\",method=\"OPTIONS\"})"))
                    .isEqualTo("1");
            // The shipped rules loaded and evaluate without error.
            waitFor("every alert rule evaluated", () -> {
                List<String> health = new ArrayList<>();
                DeployFiles.JSON.readTree(get(api + "rules")).path("data").path("groups")
                        .forEach(g -> g.path("rules").forEach(r -> health.add(r.path("health").asText())));
                return health.size() == alertExpressions().size() && health.stream().allMatch("ok"::equals);
            }, prometheus, log);
            // Every dashboard query is valid PromQL and, with Grafana's variables filled in, runs.
            for (Map.Entry<String, String> q : dashboardQueries().entrySet()) {
                if (q.getKey().startsWith("variable")) {
                    continue; // label_values() is Grafana's, not PromQL
                }
                String expr = q.getValue().replace("$__rate_interval", "1m").replace("$__range", "5m")
                        .replace("$instance", ".*").replace("$realm", ".*").replace("$trunk", ".*");
                assertThat(query(api, expr).path("status").asText()).as(q.getKey() + ": " + expr)
                        .isEqualTo("success");
            }
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Polls {@code check} (each poll is a real request) until it holds, for at most 20 s. */
    private static void waitFor(String what, Check check, Process prometheus, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive()).as("prometheus exited: " + tail(log)).isTrue();
            try {
                if (check.ok()) {
                    return;
                }
                last = null;
            } catch (IOException | AssertionError e) {
                last = e instanceof IOException io ? io : new IOException(e); // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus: no " + what + " within 20 s" + (last == null ? "" : " (" + last + ")")
                + "\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static JsonNode query(String api, String expr) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "query?query="
                + URLEncoder.encode(expr, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(expr + ": " + response.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(response.body());
    }

    /** The value of a single-series instant query, or "" when it has no result yet. */
    private static String value(String api, String expr) throws Exception {
        JsonNode result = query(api, expr).path("data").path("result");
        return result.size() == 1 ? result.path(0).path("value").path(1).asText() : "";
    }
}
