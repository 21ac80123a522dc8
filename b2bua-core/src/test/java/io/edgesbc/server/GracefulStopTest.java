package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `edgesbc run` as its own process: SIGTERM stops it gracefully (drain, listeners closed) and the
 * JVM exits with the SIGTERM status, 143. What the stop does meanwhile, over UDP:
 * {@link GracefulStopOverUdpTest}.
 */
class GracefulStopTest {

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void sigtermStopsTheServerGracefully(@TempDir Path dir) throws Exception {
        int admin;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            admin = s.getLocalPort();
        }
        Path config = dir.resolve("sbc.yaml");
        Files.writeString(config, """
                realms:
                  - name: outside
                    address: 127.0.0.1
                    udp: %d
                admin: {address: 127.0.0.1, port: %d}
                shutdown_timeout: 2s
                """.formatted(freePort(), admin));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.edgesbc.server.Main", "run", "--config", config.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("EdgeSBC running")) {
                    process.toHandle().destroy(); // SIGTERM on Unix; keeps our end of the pipe open
                }
            }
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("EdgeSBC running"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("EdgeSBC stopping"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("EdgeSBC stopped"));
        assertThat(process.exitValue()).as(String.join("\n", lines)).isEqualTo(128 + 15);
        // The listeners are closed: the admin port can be bound again.
        try (java.net.ServerSocket again = new java.net.ServerSocket(admin, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.isBound()).isTrue();
        }
    }
}
