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

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownOrMissingSubcommandsAreUsageErrors() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown subcommand 'frobnicate'");
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("lint", "check-policy");
    }

    @Test
    void checkPolicyAcceptsTheShippedExamples() {
        Path policies = Path.of("../deploy/policies");
        assertThat(run("check-policy", policies.resolve("carrier-to-pbx.yaml").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK ");
    }

    @Test
    void checkPolicyReportsFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "rules:\n  - name: r1\n    bogus_key: 1\n");
        assertThat(run("check-policy", bad.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).containsPattern(
                java.util.regex.Pattern.quote(bad.toString()) + ":3:5: .*bogus_key");
    }
}
