package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.PolicyDecision;
import io.edgesbc.policy.RequestView;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyReloader;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.parse.ParseLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server watches its policy files while it runs ({@code policy_watch}, on by default): an
 * edited file is loaded without SIGHUP or the admin API. Real time, with a short poll interval and
 * a bounded wait for the outcome (the debounce itself is tested in virtual time in
 * PolicyWatcherTest).
 */
class PolicyWatchServerTest {

    @TempDir
    Path dir;

    private static String policy(int code) {
        return "rules:\n  - name: all\n    reject: {code: " + code + "}\n";
    }

    @Test
    void anEditedPolicyFileIsLoadedWhileTheServerRunsAndNoLongerOnceItStopped() throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), policy(403));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerConfig config = new ServerConfig("test", List.of(new RealmConfig("outside", loopback, 0, -1)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100, ParseLimits.DEFAULTS, Duration.ofSeconds(1),
                List.of(file), null)
                .withPolicyWatch(new ServerConfig.PolicyWatch(Duration.ofMillis(100), Duration.ofMillis(200)));
        PolicyRouter router = new PolicyRouter(
                ((PolicyFiles.Outcome.Loaded) PolicyFiles.load(List.of(file), Set.of("outside"))).policy());
        EdgeSbcServer server = new EdgeSbcServer(config, router).start();
        PolicyReloader reloader = server.policyReloader().orElseThrow();
        try {
            Files.writeString(file, policy(486));
            PolicySippTest.await(() -> reloader.succeeded() == 1, "the edited policy is loaded");
            assertThat(code(router)).isEqualTo(486);
        } finally {
            server.stop();
        }
        Files.writeString(file, policy(480));
        // Several poll intervals and the debounce: a running watch would have reloaded by now.
        Thread.sleep(1000);
        assertThat(reloader.succeeded() + reloader.failed()).as("no reload after stop").isEqualTo(1);
        assertThat(code(router)).isEqualTo(486);
    }

    private static int code(PolicyRouter router) {
        return ((PolicyDecision.Reject) router.policy().decide(RequestView.builder().source("192.0.2.1", 5060)
                .requestUri("sip:1@example.com").build())).code();
    }
}
