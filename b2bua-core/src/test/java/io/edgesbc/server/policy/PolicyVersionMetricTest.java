package io.edgesbc.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.server.metrics.EdgeSbcMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics names the policy version in use, and a reload moves it and the generation on. */
class PolicyVersionMetricTest {

    @TempDir
    Path dir;

    private Policy policy(String version) throws Exception {
        Path file = Files.writeString(dir.resolve(version + ".yaml"), """
                version: "%s"
                rules:
                  - {name: all, match: {method: INVITE}, route: {targets: ["sip:10.0.0.1"]}}
                """.formatted(version));
        return PolicyLoader.load(List.of(file)).policyOrThrow();
    }

    @Test
    void theVersionInUseIsOneAndEarlierOnesZero() throws Exception {
        PolicyRouter router = new PolicyRouter(policy("v1"));
        try (EdgeSbcMetrics metrics = new EdgeSbcMetrics()) {
            AdmissionMeters.register(metrics, router);
            assertThat(metrics.scrape()).contains("edgesbc_policy_version_in_use{version=\"v1\"} 1.0")
                    .contains("edgesbc_policy_generation 1.0");
            Policy next = policy("v2");
            router.reload(next);
            AdmissionMeters.registerLimits(metrics, router, next);
            assertThat(metrics.scrape()).contains("edgesbc_policy_version_in_use{version=\"v1\"} 0.0")
                    .contains("edgesbc_policy_version_in_use{version=\"v2\"} 1.0")
                    .contains("edgesbc_policy_generation 2.0")
                    .containsPattern("edgesbc_policy_loaded_timestamp_seconds [1-9]");
        }
    }
}
