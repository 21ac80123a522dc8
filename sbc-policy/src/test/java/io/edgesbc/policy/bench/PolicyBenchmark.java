package io.edgesbc.policy.bench;

import io.edgesbc.policy.LoadResult;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyDecision;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.policy.RequestView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Issue 6's speed target: one decision against a policy of 1,000 rules and a 100,000-prefix table,
 * and a reload of that policy. The policy is generated: 999 rules that match other request-URI
 * prefixes (so every decision walks past them) and a last rule routing by the prefix table.
 */
@State(Scope.Benchmark)
public class PolicyBenchmark {

    private List<Path> files;
    private Policy policy;
    private RequestView[] requests;
    private int next;

    @Setup(Level.Trial)
    public void generate() throws IOException {
        Path dir = Files.createTempDirectory("policy-bench");
        StringBuilder yaml = new StringBuilder("version: \"bench\"\ntrunks:\n");
        for (int t = 0; t < 10; t++) {
            yaml.append("  - name: carrier").append(t).append("\n    targets: [\"sip:192.0.2.").append(t + 1)
                    .append("\"]\n");
        }
        yaml.append("prefix_tables:\n  destinations:\n    file: prefixes.csv\nrules:\n");
        for (int r = 0; r < 999; r++) {
            yaml.append("  - name: r").append(r).append("\n    match: {method: INVITE, ruri_user: {prefix: \"99")
                    .append(String.format("%04d", r)).append("\"}}\n    reject: {code: 403, reason: Barred}\n");
        }
        yaml.append("  - name: lcr\n    match: {method: INVITE}\n    route: {prefix_table: destinations}\n");
        Files.writeString(dir.resolve("bench.yaml"), yaml);
        StringBuilder csv = new StringBuilder("prefix,trunk\n");
        Random random = new Random(42);
        for (int p = 0; p < 100_000; p++) {
            csv.append(1000 + p * 7).append(',').append("carrier").append(random.nextInt(10)).append('\n');
        }
        Files.writeString(dir.resolve("prefixes.csv"), csv);
        files = List.of(dir.resolve("bench.yaml"));
        policy = load();
        requests = new RequestView[1024];
        for (int i = 0; i < requests.length; i++) {
            String user = Integer.toString(1000 + random.nextInt(700_000)) + "5551234";
            requests[i] = RequestView.builder().source("203.0.113.7", 5060).realm("outside").method("INVITE")
                    .requestUri("sip:" + user + "@sbc.example.net").from("alice", "example.com")
                    .to(user, "sbc.example.net").build();
        }
    }

    private Policy load() {
        LoadResult result = PolicyLoader.load(files);
        if (!(result instanceof LoadResult.Ok ok)) {
            throw new IllegalStateException("benchmark policy does not load: " + result.errors());
        }
        return ok.policy();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public PolicyDecision decide() {
        return policy.decide(requests[next++ & (requests.length - 1)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Policy reload() {
        return load();
    }
}
