package io.edgesbc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static ServerConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(Path.of("sbc.yaml"), yaml.getBytes(StandardCharsets.UTF_8), "sbc.yaml");
    }

    private static ConfigException errors(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected configuration errors");
    }

    @Test
    void theEmbeddedDefaultIsTheLoopbackDemo() throws ConfigException {
        ServerConfig config = ConfigLoader.loadDefault();
        assertThat(config.realms()).extracting(RealmConfig::name, r -> r.address().getHostAddress(),
                RealmConfig::udpPort, RealmConfig::tcpPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("outside", "127.0.0.1", 5060, 5060),
                        org.assertj.core.groups.Tuple.tuple("inside", "127.0.0.1", 5070, 5070));
        assertThat(config.admin().getPort()).isEqualTo(8080);
        assertThat(config.t1()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.buffers()).isEqualTo(io.edgesbc.sip.transport.SocketBuffers.DEFAULTS);
    }

    @Test
    void readsEverySection() throws ConfigException {
        ServerConfig config = parse("""
                realms:
                  - name: edge
                    address: "::1"
                    udp: 5080
                admin: {address: 127.0.0.1, port: 9090}
                timers: {t1: 250ms, t2: 2s, t4: 3s}
                transport: {idle_timeout: 30s, max_connections: 50, max_send_buffer: 65536,
                            udp_receive_buffer: 8388608}
                limits: {max_start_line: 1024, max_header_section: 4096, max_headers: 64, max_body: 1000}
                shutdown_timeout: 3s
                """);
        RealmConfig edge = config.realms().get(0);
        assertThat(edge.address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(edge.udpPort()).isEqualTo(5080);
        assertThat(edge.tcpPort()).isEqualTo(-1);
        assertThat(config.admin().getPort()).isEqualTo(9090);
        assertThat(config.t1()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxConnections()).isEqualTo(50);
        assertThat(config.buffers()).isEqualTo(new io.edgesbc.sip.transport.SocketBuffers(65536, 8 << 20));
        assertThat(config.parseLimits().maxBodyLength()).isEqualTo(1000);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void reportsEveryProblemWithFileLineAndColumn() {
        ConfigException e = errors("""
                realms:
                  - name: a
                    address: not-an-ip
                    udp: 70000
                  - name: a
                    address: 127.0.0.1
                colour: blue
                timers: {t1: 2s, t2: 1s}
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).contains(
                "sbc.yaml:3:14: address must be an IPv4 or IPv6 address, got 'not-an-ip'",
                "sbc.yaml:7:1: unknown key 'colour' in the configuration (expected one of: realms, admin, timers, "
                        + "transport, limits, shutdown_timeout, policy, b2bua, media, cdr, policy_watch)",
                "sbc.yaml:8:22: t2 must not be smaller than t1");
        assertThat(e.errors()).anySatisfy(err -> {
            assertThat(err.line()).isEqualTo(4);
            assertThat(err.message()).contains("udp");
        });
        assertThat(e.errors()).anySatisfy(err -> assertThat(err.message()).isEqualTo("duplicate realm name 'a'"));
        assertThat(e.errors()).anySatisfy(err -> assertThat(err.message()).contains("listens on nothing"));
    }

    @Test
    void aWildcardBindNeedsTheAddressToAdvertise() throws ConfigException {
        ConfigException e = errors("""
                realms:
                  - name: edge
                    address: 0.0.0.0
                    udp: 5060
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "sbc.yaml:3:14: realm 'edge' binds the wildcard 0.0.0.0: add 'advertise: IP', the address peers "
                        + "reach it on");
        ServerConfig config = parse("""
                realms:
                  - name: edge
                    address: 0.0.0.0
                    advertise: 198.51.100.7
                    udp: 5060
                """);
        assertThat(config.realms().get(0).advertisedAddress().getHostAddress()).isEqualTo("198.51.100.7");
        assertThat(io.edgesbc.server.EdgeSbcServer.listenPointsOf(config).get(0).sentBy())
                .isEqualTo("198.51.100.7:5060");
    }

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/sbc.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/sbc.yaml")
                .hasMessageContaining("cannot read");
    }

    @Test
    void policyFilesAreRelativeToTheConfigurationFile() throws ConfigException {
        String yaml = """
                realms: [{name: edge, address: 127.0.0.1, udp: 5080}]
                policy: [policies/a.yaml, /etc/edgesbc/b.yaml]
                """;
        ServerConfig config = ConfigLoader.parse(Path.of("conf/sbc.yaml"), yaml.getBytes(StandardCharsets.UTF_8),
                "conf/sbc.yaml");
        assertThat(config.policyFiles()).containsExactly(Path.of("conf/policies/a.yaml"), Path.of("/etc/edgesbc/b.yaml"));
        assertThat(parse("realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\npolicy: one.yaml\n").policyFiles())
                .containsExactly(Path.of("one.yaml"));
        assertThat(parse("realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\n").policyFiles()).isEmpty();
        assertThat(errors("realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\npolicy: []\n").errors())
                .extracting(Object::toString).anyMatch(e -> e.startsWith("sbc.yaml:2:9: "));
    }

    @Test
    void theB2buaSectionSetsCallDurationRedirectsAndHeaderRemoval() throws ConfigException {
        ServerConfig config = parse("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5080}]
                b2bua:
                  max_call_duration: 4h
                  follow_redirects: false
                  remove_headers: [User-Agent, Server]
                  pass_headers: [History-Info]
                  max_queue_delay: 750ms
                """);
        assertThat(config.b2bua().maxQueueDelay()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.b2bua().maxCallDuration()).isEqualTo(Duration.ofHours(4));
        assertThat(config.b2bua().follow3xx()).isFalse();
        assertThat(config.b2bua().removedHeaders()).containsExactlyInAnyOrder("User-Agent", "Server");
        assertThat(config.b2bua().passedHeaders()).containsExactly("History-Info");
        assertThat(parse("realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\n").b2bua())
                .isEqualTo(io.edgesbc.b2bua.B2buaSettings.DEFAULT);
        assertThat(errors("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5080}]
                b2bua: {remove_headers: ["Bad Header"], max_call_duration: -1s}
                """).errors()).extracting(Object::toString)
                .anyMatch(e -> e.startsWith("sbc.yaml:2:26: remove_headers: 'Bad Header' is not a header name"))
                .anyMatch(e -> e.startsWith("sbc.yaml:2:60: "));
        // Without max_queue_delay the overload bound is half of T1, whichever T1 is configured.
        assertThat(parse("realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\nb2bua: {follow_redirects: true}\n")
                .b2bua().maxQueueDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(parse("realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\ntimers: {t1: 1s}\n")
                .b2bua().maxQueueDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(errors("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5080}]
                b2bua: {max_queue_delay: 2m}
                """).errors()).extracting(Object::toString).anyMatch(e -> e.startsWith("sbc.yaml:2:26: "));
    }

    @Test
    void anAdminListenerOffLoopbackWithoutATokenIsRefusedAtItsAddress() {
        ConfigException e = errors("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5060}]
                admin: {address: 0.0.0.0, port: 8080}
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "sbc.yaml:2:18: the admin listener binds 0.0.0.0, which is not loopback: the admin API can hang up "
                        + "calls and reload the policy, so set 'token_file' (or 'token') for its bearer token, or "
                        + "bind it to 127.0.0.1");
    }

    @Test
    void anAdminTokenFileIsResolvedNextToTheConfigurationAndReadAtStartUp(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        ServerConfig config = ConfigLoader.parse(dir.resolve("sbc.yaml"), """
                realms: [{name: edge, address: 127.0.0.1, udp: 5060}]
                admin:
                  address: 0.0.0.0
                  token_file: secrets/admin-token
                """.getBytes(StandardCharsets.UTF_8), "sbc.yaml");
        assertThat(config.adminToken().file()).isEqualTo(dir.resolve("secrets/admin-token"));
        // Not there yet: loading is fine (lint, deploy checks), starting is not, with the key's position.
        assertThatThrownBy(() -> config.adminToken().secret()).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("sbc.yaml") + ":4:15: token_file: cannot read "
                        + dir.resolve("secrets/admin-token"));
        java.nio.file.Files.createDirectories(dir.resolve("secrets"));
        java.nio.file.Files.writeString(dir.resolve("secrets/admin-token"), "short\n");
        assertThatThrownBy(() -> config.adminToken().secret()).hasMessageContaining("shorter than 16");
        java.nio.file.Files.writeString(dir.resolve("secrets/admin-token"), "  0123456789abcdef0123\n");
        assertThat(new String(config.adminToken().secret(), StandardCharsets.UTF_8))
                .isEqualTo("0123456789abcdef0123");
        assertThat(config.adminToken().toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void anInlineAdminTokenMustBeLongAndNotBesideAFile() {
        assertThat(errors("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5060}]
                admin: {address: 127.0.0.1, token: abc}
                """).errors()).extracting(ConfigError::toString)
                .containsExactly("sbc.yaml:2:36: admin token must have at least 16 characters");
        assertThat(errors("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5060}]
                admin: {address: 10.0.0.1, token: 0123456789abcdef0, token_file: t}
                """).errors()).extracting(ConfigError::toString)
                .contains("sbc.yaml:2:54: give 'token' or 'token_file', not both");
    }

    @Test
    void aLoopbackAdminListenerNeedsNoToken() throws ConfigException {
        assertThat(parse("""
                realms: [{name: edge, address: 127.0.0.1, udp: 5060}]
                admin: {address: "::1", port: 8081}
                """).adminToken().isSet()).isFalse();
    }

    @Test
    void policyFilesAreWatchedByDefaultAndTheWatchCanBeTunedOrTurnedOff() throws ConfigException {
        String realms = "realms:\n  - {name: a, address: 127.0.0.1, udp: 5080}\n";
        assertThat(parse(realms).policyWatch()).isEqualTo(ServerConfig.PolicyWatch.DEFAULT);
        assertThat(parse(realms + "policy_watch: {interval: 5s, debounce: 500ms}\n").policyWatch())
                .isEqualTo(new ServerConfig.PolicyWatch(Duration.ofSeconds(5), Duration.ofMillis(500)));
        assertThat(parse(realms + "policy_watch: off\n").policyWatch()).isNull();
        ConfigException e = errors(realms + "policy_watch: {interval: 10ms, every: 2s}\n");
        assertThat(e.errors()).extracting(err -> err.line() + ":" + err.column() + ": " + err.message())
                .containsExactlyInAnyOrder("3:26: interval must be between 100ms and 3600s, got '10ms'",
                        "3:32: unknown key 'every' in 'policy_watch' (off, or a mapping) (expected one of: interval, "
                                + "debounce)");
    }
}
