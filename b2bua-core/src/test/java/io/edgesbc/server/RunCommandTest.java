package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aBadConfigurationStopsStartUpNamingFileLineAndProblem(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sbc.yaml");
        Files.writeString(config, "realms:\n  - name: outside\n    address: 127.0.0.1\n    udp: 99999\n");
        assertThat(run("run", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(config + ":4:10: 'udp' must be between 0 and 65535, got 99999")
                .contains("not started");
    }

    @Test
    void anAdminTokenFileThatCannotBeReadStopsStartUpAtItsKey(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sbc.yaml");
        Files.writeString(config, "realms:\n  - name: outside\n    address: 127.0.0.1\n    udp: 0\n"
                + "admin: {address: 0.0.0.0, port: 1, token_file: missing-token}\n");
        assertThat(run("run", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(config + ":5:48: token_file: cannot read " + dir.resolve("missing-token"))
                .contains("not started");
    }

    @Test
    void aMissingConfigurationFileIsReported() {
        assertThat(run("run", "--config", "/nonexistent/sbc.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/sbc.yaml").contains("cannot read");
    }

    @Test
    void unknownArgumentsAreUsageErrors() {
        assertThat(run("run", "--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: edgesbc run [--config FILE]");
    }

    @Test
    void aBadPolicyStopsStartUpWithItsFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("rules.yaml");
        Files.writeString(policy, "trunks:\n  - name: a\n    realm: outside\n    from: [10.0.0.0/33]\n");
        Path config = dir.resolve("sbc.yaml");
        Files.writeString(config, "realms:\n  - name: outside\n    address: 127.0.0.1\n    udp: 0\n"
                + "admin: {address: 127.0.0.1, port: 1}\npolicy: rules.yaml\n");
        assertThat(run("run", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(policy + ":4:12: bad CIDR '10.0.0.0/33'")
                .contains("not started: the policy has 1 problem(s)");
    }

    @Test
    void aPolicyTrunkInARealmTheServerDoesNotHaveStopsStartUp(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("sbc.yaml");
        Path policy = Path.of("../deploy/policies/carrier-to-pbx.yaml").toAbsolutePath().normalize();
        Files.writeString(config, "realms:\n  - name: outside\n    address: 127.0.0.1\n    udp: 0\n"
                + "admin: {address: 127.0.0.1, port: 1}\npolicy: " + policy + "\n");
        assertThat(run("run", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("trunk 'carrier' is in realm 'external', which is not a realm of the server configuration")
                .contains("trunk 'pbx' is in realm 'internal'");
    }

    @Test
    void aConfigurationWithTheCarrierToPbxPolicyStartsAndAnswersByIt(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Sipp.available(), "SIPp is not installed");
        Path policy = Path.of("../deploy/policies/carrier-to-pbx.yaml").toAbsolutePath().normalize();
        int adminPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            adminPort = s.getLocalPort();
        }
        Path configFile = dir.resolve("sbc.yaml");
        Files.writeString(configFile, """
                realms:
                  - {name: external, address: 127.0.0.1, udp: 0}
                  - {name: internal, address: 127.0.0.1, udp: 0}
                admin: {address: 127.0.0.1, port: %d}
                policy: [%s]
                """.formatted(adminPort, policy));
        io.edgesbc.server.config.ServerConfig config = io.edgesbc.server.config.ConfigLoader.load(configFile);
        io.edgesbc.b2bua.CallRouter router = RunCommand.router(config, false,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(router).isInstanceOf(io.edgesbc.server.policy.PolicyRouter.class);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning: trunk 'pbx' target sip:10.10.0.5:5060;transport=tcp needs TCP, but realm 'internal' has no TCP listener");
        EdgeSbcServer server = new EdgeSbcServer(config, router).start();
        try {
            // 127.0.0.1 is neither the carrier nor the PBX: the policy's no_match answer.
            int port = PolicySippTest.realmPort(server, "external");
            Sipp.Result result = Sipp.uac("uac-policy-refused-403.xml", "u1", port, 1, 1, "-s", "+442039601234");
            assertThat(result.allCallsSucceeded()).as(result.output()).isTrue();
            assertThat(server.activeCalls()).isZero();
        } finally {
            server.stop();
        }
    }
}
