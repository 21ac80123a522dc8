package io.edgesbc.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.testing.TestCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS keys of a realm: read, resolved next to the file, and every problem at its key's line. */
class ConfigLoaderTlsTest {

    @TempDir
    static Path dir;
    private static TestCertificate sbc;
    private static TestCertificate other;
    private static Path file;

    @BeforeAll
    static void certificates() throws Exception {
        sbc = TestCertificate.create(dir, "sbc");
        other = TestCertificate.create(dir, "other");
        file = dir.resolve("sbc.yaml");
    }

    private static ServerConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(file, yaml.getBytes(StandardCharsets.UTF_8), file.toString());
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
    void readsATlsRealmWithPathsRelativeToTheConfigurationFile() throws ConfigException {
        ServerConfig config = parse("""
                realms:
                  - name: outside
                    address: 127.0.0.1
                    udp: 5060
                    tls: 5061
                    tls_certificate: sbc.crt
                    tls_key: %s
                """.formatted(sbc.keyPem()));
        RealmConfig outside = config.realms().get(0);
        assertThat(outside.tlsPort()).isEqualTo(5061);
        assertThat(outside.tcpPort()).isEqualTo(-1);
        assertThat(outside.tlsCertificate()).isEqualTo(sbc.certificatePem());
        assertThat(outside.tlsKey()).isEqualTo(sbc.keyPem());
        assertThat(outside.hasTls()).isTrue();
    }

    @Test
    void aRealmWithOnlyTlsListensOnSomething() throws ConfigException {
        ServerConfig config = parse("""
                realms:
                  - {name: outside, address: 127.0.0.1, tls: 5061, tls_certificate: sbc.crt, tls_key: sbc.key}
                """);
        assertThat(config.realms().get(0).udpPort()).isEqualTo(-1);
    }

    @Test
    void tlsWithoutCertificateOrKeyIsReportedAtTheTlsKey() {
        ConfigException e = errors("""
                realms:
                  - name: outside
                    address: 127.0.0.1
                    tls: 5061
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":4:5: realm 'outside' has a 'tls' port but no 'tls_certificate' (PEM certificate chain)",
                file + ":4:5: realm 'outside' has a 'tls' port but no 'tls_key' (PEM PKCS#8 private key)");
    }

    @Test
    void unreadableAndMalformedFilesAreReportedAtTheirValues() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not-pem.crt"), "hello\n");
        Path pkcs1 = Files.writeString(dir.resolve("rsa.key"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        ConfigException e = errors("""
                realms:
                  - name: a
                    address: 127.0.0.1
                    tls: 5061
                    tls_certificate: missing.crt
                    tls_key: %s
                  - name: b
                    address: 127.0.0.2
                    tls: 5061
                    tls_certificate: %s
                    tls_key: sbc.crt
                """.formatted(pkcs1, notPem));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":5:22: tls_certificate: cannot read '" + dir.resolve("missing.crt") + "': no such file",
                file + ":6:14: tls_key: '" + pkcs1 + "' holds a RSA PRIVATE KEY (not PKCS#8); convert it with "
                        + "'openssl pkcs8 -topk8 -nocrypt'",
                file + ":10:22: tls_certificate: '" + notPem
                        + "' holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                file + ":11:14: tls_key: '" + sbc.certificatePem()
                        + "' holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    @Test
    void aCorruptCertificateBlockIsReported() throws Exception {
        Path corrupt = Files.writeString(dir.resolve("corrupt.crt"),
                "-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n");
        ConfigException e = errors("""
                realms:
                  - {name: a, address: 127.0.0.1, tls: 5061, tls_certificate: corrupt.crt, tls_key: sbc.key}
                """);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.line()).isEqualTo(2);
            assertThat(err.column()).isEqualTo(63);
            assertThat(err.message()).startsWith("tls_certificate: '" + corrupt
                    + "' holds a CERTIFICATE block that is not an X.509 certificate");
        });
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsReportedAtTheKey() {
        ConfigException e = errors("""
                realms:
                  - name: a
                    address: 127.0.0.1
                    tls: 5061
                    tls_certificate: sbc.crt
                    tls_key: other.key
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":6:14: tls_key: the key in '" + other.keyPem()
                        + "' does not belong to the certificate CN=localhost");
    }

    @Test
    void certificateAndKeyWithoutTlsHaveNoEffectAndSaySo() {
        ConfigException e = errors("""
                realms:
                  - name: a
                    address: 127.0.0.1
                    tcp: 5060
                    tls_certificate: sbc.crt
                    tls_key: sbc.key
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":5:5: 'tls_certificate' has no effect: realm 'a' has no 'tls' port",
                file + ":6:5: 'tls_key' has no effect: realm 'a' has no 'tls' port");
    }

    @Test
    void tcpAndTlsCannotShareAPort() {
        ConfigException e = errors("""
                realms:
                  - name: a
                    address: 127.0.0.1
                    tcp: 5060
                    tls: 5060
                    tls_certificate: sbc.crt
                    tls_key: sbc.key
                """);
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                file + ":5:10: realm 'a' reuses tls port 5060 on 127.0.0.1, already taken by another listener");
    }
}
