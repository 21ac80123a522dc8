package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.TRUNKS;
import static io.edgesbc.policy.PolicyFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckPolicyTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return CheckPolicy.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void validPolicyPrintsSummaryAndExitsZero() {
    Path p = write(dir, "ok.yaml", "version: v7\n" + TRUNKS + """
        rules:
          - name: r
            route: {trunk: pbx}
        """);
    assertThat(run(p.toString())).isZero();
    assertThat(out()).startsWith("OK policy version v7: 1 file(s), 2 trunk(s), 1 rule(s), "
        + "0 prefix table(s) with 0 prefix(es), sha256 ");
    assertThat(err()).isEmpty();
  }

  @Test
  void errorsArePrintedOnePerLineAndExitOne() {
    Path p = write(dir, "bad.yaml", """
        rules:
          - name: r
            reject: {code: 200}
          - name: s
            route: {trunk: ghost}
        """);
    assertThat(run(p.toString())).isEqualTo(1);
    assertThat(err().lines()).containsExactly(
        p + ":3:20: reject code must be 4xx-6xx, got 200",
        p + ":5:20: unknown trunk 'ghost'",
        "2 errors");
    assertThat(out()).isEmpty();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(run("--frobnicate", "x.yaml")).isEqualTo(2);
    assertThat(err()).contains(CheckPolicy.USAGE);
  }

  @Test
  void contentHashChangesWithContentOnly() {
    Path a = write(dir, "a.yaml", TRUNKS);
    Path b = write(dir, "b.yaml", TRUNKS);
    PolicySummary sa = ((LoadResult.Ok) PolicyLoader.load(List.of(a))).summary();
    PolicySummary sb = ((LoadResult.Ok) PolicyLoader.load(List.of(b))).summary();
    assertThat(sa.contentHash()).hasSize(64).isEqualTo(sb.contentHash());
    Path c = write(dir, "c.yaml", TRUNKS + "# comment\n");
    assertThat(((LoadResult.Ok) PolicyLoader.load(List.of(c))).summary().contentHash())
        .isNotEqualTo(sa.contentHash());
    assertThat(sa.version()).isNull();
  }
}
