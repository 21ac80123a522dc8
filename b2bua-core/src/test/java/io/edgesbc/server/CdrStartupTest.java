package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.server.config.CdrConfig;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.parse.ParseLimits;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CDR directory that cannot be written stops start-up, before any listener is bound. */
class CdrStartupTest {

    @TempDir
    Path tmp;

    private ServerConfig config(CdrConfig cdr) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        return new ServerConfig("test", List.of(new RealmConfig("outside", loopback, 0, -1)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 100, ParseLimits.DEFAULTS, Duration.ofSeconds(1))
                .withCdr(cdr);
    }

    @Test
    void anUnwritableCdrDirectoryIsAStartFailureNotASilentLoss() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("cdr"), "a file where the directory should be");
        EdgeSbcServer server = new EdgeSbcServer(config(CdrConfig.in(notADirectory)));
        assertThatThrownBy(server::start).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write CDRs");
        assertThat(server.cdrWriter()).isPresent();
    }

    @Test
    void theDirectoryIsCreatedAtStartAndCdrsAreOffWithoutIt() throws Exception {
        Path dir = tmp.resolve("var/lib/edgesbc/cdr");
        EdgeSbcServer on = new EdgeSbcServer(config(CdrConfig.in(dir))).start();
        try {
            assertThat(dir).isDirectory();
            assertThat(on.metrics().scrape()).contains("edgesbc_cdr_written_total 0.0");
        } finally {
            on.stop();
        }
        EdgeSbcServer off = new EdgeSbcServer(config(CdrConfig.OFF)).start();
        try {
            assertThat(off.cdrWriter()).isEmpty();
            assertThat(off.metrics().scrape()).doesNotContain("edgesbc_cdr_").contains("edgesbc_calls_attempts_total");
        } finally {
            off.stop();
        }
    }
}
