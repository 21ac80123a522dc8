package io.edgesbc.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Helpers shared by the policy tests: write YAML to a temp dir, load it, describe errors. */
final class PolicyFixtures {

  private PolicyFixtures() {}

  static Path write(Path dir, String name, String content) {
    try {
      Path p = dir.resolve(name);
      Files.writeString(p, content);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LoadResult load(Path dir, String yaml) {
    return PolicyLoader.load(List.of(write(dir, "policy.yaml", yaml)));
  }

  static Policy policy(Path dir, String yaml) {
    return load(dir, yaml).policyOrThrow();
  }

  /** Errors as "LINE:COLUMN: message" (file names are temp paths, checked separately). */
  static List<String> errors(Path dir, String yaml) {
    return load(dir, yaml).errors().stream()
        .map(e -> e.line() + ":" + e.column() + ": " + e.message())
        .toList();
  }

  static RandomGenerator seeded(long seed) {
    return new SplittableRandom(seed);
  }

  /** Two trunks and a source for most tests. */
  static final String TRUNKS = """
      trunks:
        - name: carrier
          realm: external
          from: [203.0.113.0/24, "2001:db8::/32"]
          targets: ["sip:203.0.113.1"]
        - name: pbx
          realm: internal
          from: [10.0.0.5]
          targets: ["sip:10.0.0.5:5080"]
      """;

  static RequestView.Builder fromCarrier(String ruriUser) {
    return RequestView.builder().source("203.0.113.7", 5060).realm("external")
        .requestUri("sip:" + ruriUser + "@sbc.example").from("+441632960001", "carrier.example")
        .to(ruriUser, "sbc.example");
  }

  static RequestView.Builder fromPbx(String ruriUser) {
    return RequestView.builder().source("10.0.0.5", 5060).realm("internal")
        .requestUri("sip:" + ruriUser + "@sbc.example").from("1001", "pbx.local")
        .to(ruriUser, "sbc.example");
  }
}
