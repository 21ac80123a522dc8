package io.edgesbc.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code cdr:} section of the server configuration. */
class CdrConfigTest {

    private static final String REALMS = "realms: [{name: edge, address: 127.0.0.1, udp: 5080}]\n";

    private static ServerConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(Path.of("/etc/edgesbc/sbc.yaml"), (REALMS + yaml).getBytes(StandardCharsets.UTF_8),
                "sbc.yaml");
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
    void withoutACdrSectionCdrsAreOff() throws ConfigException {
        assertThat(parse("").cdr().enabled()).isFalse();
        assertThat(ConfigLoader.loadDefault().cdr().enabled()).as("the embedded demo writes no files").isFalse();
    }

    @Test
    void readsDirRelativeToTheConfigurationAndSizesWithUnits() throws ConfigException {
        CdrConfig cdr = parse("cdr: {dir: cdr, rotate_size: 50MB, keep: 24, queue: 500}\n").cdr();
        assertThat(cdr.dir()).isEqualTo(Path.of("/etc/edgesbc/cdr"));
        assertThat(cdr.rotateSize()).isEqualTo(50L * 1024 * 1024);
        assertThat(cdr.keep()).isEqualTo(24);
        assertThat(cdr.queue()).isEqualTo(500);
        assertThat(parse("cdr: {dir: /var/lib/edgesbc/cdr, rotate_size: 512KB}\n").cdr())
                .satisfies(c -> assertThat(c.dir()).isEqualTo(Path.of("/var/lib/edgesbc/cdr")))
                .satisfies(c -> assertThat(c.rotateSize()).isEqualTo(512 * 1024))
                .satisfies(c -> assertThat(c.keep()).isEqualTo(CdrConfig.DEFAULT_KEEP));
        assertThat(parse("cdr: {dir: x, rotate_size: 1gb}\n").cdr().rotateSize()).isEqualTo(1L << 30);
        assertThat(parse("cdr: {dir: x, rotate_size: 65536}\n").cdr().rotateSize()).isEqualTo(65536);
    }

    @Test
    void badValuesAreReportedAtTheirLine() {
        assertThat(errors("cdr: {dir: x, rotate_size: 10 parsecs}\n").errors()).extracting(ConfigError::toString)
                .singleElement().asString().startsWith("/etc/edgesbc/sbc.yaml:2:").contains("rotate_size");
        assertThat(errors("cdr: {dir: x, rotate_size: 1KB}\n").errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("between 4096 bytes"));
        assertThat(errors("cdr: {dir: x, keep: 0}\n").errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("keep"));
        assertThat(errors("cdr: {rotate_size: 10MB}\n").errors()).as("settings without a directory")
                .singleElement().satisfies(e -> assertThat(e.message()).contains("dir"));
        assertThat(errors("cdr: {dir: x, rotate: daily}\n").errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("rotate"));
        assertThat(errors("cdr: {dir: \"\"}\n").errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("'dir' must not be empty"));
    }
}
