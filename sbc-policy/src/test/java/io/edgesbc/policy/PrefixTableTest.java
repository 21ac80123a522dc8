package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.fromPbx;
import static io.edgesbc.policy.PolicyFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.policy.prefix.PrefixTable;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixTableTest {

  @TempDir Path dir;

  private static PrefixTable table(String... prefixTrunk) {
    PrefixTable.Builder b = PrefixTable.builder();
    for (int i = 0; i < prefixTrunk.length; i += 2) {
      assertThat(b.put(prefixTrunk[i], prefixTrunk[i + 1], i)).isEqualTo(PrefixTable.NEW);
    }
    return b.build();
  }

  @Test
  void longestPrefixWins() {
    PrefixTable t = table("44", "uk", "447", "uk-mobile", "4477", "special", "1", "nanp");
    assertThat(t.longestMatch("441632960001")).hasValue("uk");
    assertThat(t.longestMatch("447700900123")).hasValue("special");
    assertThat(t.longestMatch("447911123456")).hasValue("uk-mobile");
    assertThat(t.longestMatch("12025550100")).hasValue("nanp");
    assertThat(t.longestMatch("33123")).isEmpty();
    assertThat(t.longestMatch("4")).isEmpty();
    assertThat(t.longestMatch("")).isEmpty();
    assertThat(t.longestMatch(null)).isEmpty();
    assertThat(t.size()).isEqualTo(4);
  }

  @Test
  void leadingPlusIsIgnoredAndLookupStopsAtFirstNonDigit() {
    PrefixTable t = table("+44", "uk", "4420", "london");
    assertThat(t.longestMatch("+442079460000")).hasValue("london");
    assertThat(t.longestMatch("4416")).hasValue("uk");
    assertThat(t.longestMatch("44*20")).hasValue("uk");
  }

  @Test
  void duplicatesReportTheFirstTagAndKeepTheFirstValue() {
    PrefixTable.Builder b = PrefixTable.builder();
    assertThat(b.put("44", "a", 3)).isEqualTo(PrefixTable.NEW);
    assertThat(b.put("+44", "b", 9)).isEqualTo(3);
    assertThat(b.build().longestMatch("441")).hasValue("a");
    assertThatThrownBy(() -> b.put("4x", "a", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void agreesWithANaiveScanOnRandomTables() {
    SplittableRandom random = new SplittableRandom(2024);
    PrefixTable.Builder b = PrefixTable.builder();
    TreeMap<String, String> naive = new TreeMap<>();
    for (int i = 0; i < 2_000; i++) {
      String p = digits(random, 1 + random.nextInt(6));
      String v = "t" + random.nextInt(20);
      if (b.put(p, v, i) == PrefixTable.NEW) {
        naive.put(p, v);
      }
    }
    PrefixTable t = b.build();
    for (int i = 0; i < 5_000; i++) {
      String number = digits(random, 1 + random.nextInt(10));
      String expected = null;
      for (int len = number.length(); len > 0 && expected == null; len--) {
        expected = naive.get(number.substring(0, len));
      }
      assertThat(t.longestMatchOrNull(number)).as(number).isEqualTo(expected);
    }
  }

  private static String digits(SplittableRandom random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + random.nextInt(10)));
    }
    return sb.toString();
  }

  @Test
  void loads100kPrefixesFromCsvAndRoutesByThem() {
    StringBuilder csv = new StringBuilder("prefix,trunk\n");
    for (int i = 0; i < 100_000; i++) {
      // 100,000 distinct 7-digit prefixes under +44, spread over two trunks.
      csv.append("+44").append(1_000_000 + i * 7).append(',').append(i % 2 == 0 ? "even" : "odd")
          .append('\n');
    }
    write(dir, "big.csv", csv.toString());
    Path yaml = write(dir, "policy.yaml", """
        trunks:
          - {name: pbx, from: [10.0.0.5], targets: ["sip:10.0.0.5"]}
          - {name: even, targets: ["sip:even.example"]}
          - {name: odd, targets: ["sip:odd.example"]}
        prefix_tables:
          big: {file: big.csv, entries: {"+44": odd}}
        rules:
          - name: lcr
            route: {prefix_table: big}
        """);
    LoadResult result = PolicyLoader.load(List.of(yaml));
    assertThat(result.errors()).isEmpty();
    assertThat(((LoadResult.Ok) result).summary().prefixes()).isEqualTo(100_001);
    Policy p = result.policyOrThrow();
    // Entry i = 10 is "+441000070" -> even; entry 11 is "+441000077" -> odd.
    assertThat(((PolicyDecision.Route) p.decide(fromPbx("+4410000701").build())).trunk()).isEqualTo("even");
    assertThat(((PolicyDecision.Route) p.decide(fromPbx("+441000077").build())).trunk()).isEqualTo("odd");
    // Not in the CSV, but under the inline +44 entry.
    PolicyDecision.Route fallback = (PolicyDecision.Route) p.decide(fromPbx("+449").build());
    assertThat(fallback.trunk()).isEqualTo("odd");
    assertThat(fallback.targets()).extracting(Target::uri).containsExactly("sip:odd.example");
  }

  @Test
  void noPrefixMatchGivesTheRulesNoRouteAnswer() {
    Path yaml = write(dir, "policy.yaml", """
        trunks:
          - {name: uk, targets: ["sip:uk.example"]}
        prefix_tables:
          t: {entries: {"+44": uk}}
        rules:
          - name: lcr
            normalize: {ruri_user: [{to_e164: {country_code: "44"}}]}
            route: {prefix_table: t, no_route: {code: 484, reason: "Unknown destination"}}
          - name: default-table
            route: {prefix_table: t}
        """);
    Policy p = PolicyLoader.load(List.of(yaml)).policyOrThrow();
    // The table is consulted with the number after normalisation: 01632... becomes +441632...
    assertThat(((PolicyDecision.Route) p.decide(fromPbx("01632960001").build())).trunk()).isEqualTo("uk");
    assertThat(p.decide(fromPbx("0033123").build())).isEqualTo(
        new PolicyDecision.Reject(484, "Unknown destination", "lcr", java.util.Map.of()));
  }
}
