package io.edgesbc.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The shipped examples in deploy/policies load cleanly and decide as their comments promise. */
class ExamplePoliciesTest {

  private static final Path EXAMPLES = locateExamples();

  private static Path locateExamples() {
    // Surefire runs in the module directory; an IDE may run from the repository root.
    for (Path candidate : List.of(Path.of("../deploy/policies"), Path.of("deploy/policies"))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("deploy/policies not found from " + Path.of("").toAbsolutePath());
  }

  private static Policy load(String name) {
    return PolicyLoader.load(List.of(EXAMPLES.resolve(name))).policyOrThrow();
  }

  private static RequestView.Builder from(String ip, String realm, String ruriUser) {
    return RequestView.builder().source(ip, 5060).realm(realm)
        .requestUri("sip:" + ruriUser + "@sbc.example").from("1001", "pbx.local").to(ruriUser, "sbc.example");
  }

  @Test
  void carrierToPbx() {
    Policy p = load("carrier-to-pbx.yaml");
    assertThat(p.summary().version()).isEqualTo("carrier-to-pbx-1");
    assertThat(p.trunks().get("carrier").optionsPing()).isEqualTo(Duration.ofSeconds(30));

    PolicyDecision.Route in = (PolicyDecision.Route) p.decide(
        from("203.0.113.3", "external", "+442039601234").from("+441632960001", "carrier.example").build());
    assertThat(in.ruleName()).isEqualTo("inbound-did");
    assertThat(in.trunk()).isEqualTo("pbx");
    assertThat(in.targets()).extracting(Target::uri).containsExactly("sip:10.10.0.5:5060;transport=tcp");
    assertThat(in.failoverCodes()).isEmpty();
    assertThat(in.numberRewrites()).isEqualTo(new Rewrites("02039601234", "01632960001", null));
    // No timeout in the file: the relay's own media timeout applies.
    assertThat(in.media()).isEqualTo(new MediaRules(MediaRules.Mode.ANCHOR, MediaRules.Latching.STRICT, null));
    assertThat(in.limits()).isEqualTo(new LimitsRef("rule:inbound-did", 30, 2.0, 2));

    PolicyDecision.Route out = (PolicyDecision.Route) p.decide(from("10.10.0.5", "internal", "901632960001").build());
    assertThat(out.ruleName()).isEqualTo("outbound");
    assertThat(out.targets()).extracting(Target::uri)
        .containsExactly("sip:203.0.113.1:5060", "sip:203.0.113.2:5060");
    assertThat(out.numberRewrites()).isEqualTo(new Rewrites("+441632960001", "+442039601001", null));
    assertThat(out.failoverCodes()).contains(408, 500, 503, 599).doesNotContain(486);
    assertThat(out.headerRules().remove()).containsExactly("x-pbx-account");
    assertThat(out.headerRules().add()).containsExactly(new HeaderRules.Header("x-edge-route", "pbx-out"));
    assertThat(out.codecs()).isEqualTo(new CodecRules(List.of("PCMA", "PCMU", "G722", "TELEPHONE-EVENT"),
        List.of(), List.of("G722", "PCMA")));
    assertThat(out.limits()).isEqualTo(new LimitsRef("rule:outbound", 30, 5.0, 10));

    assertThat(p.decide(from("10.10.0.5", "internal", "909012345678").build()))
        .isEqualTo(new PolicyDecision.Reject(403, "Premium rate barred", "outbound-premium-barred", Map.of()));
    assertThat(p.decide(from("10.10.0.5", "internal", "901632960001").header("User-Agent", "friendly-scanner").build())
        .ruleName()).isEqualTo("scanner-block");
    // The carrier may not use the SBC to reach other carrier numbers.
    assertThat(p.decide(from("203.0.113.3", "external", "+33123456789").build()))
        .isEqualTo(new PolicyDecision.Reject(403, "Not allowed", Policy.NO_MATCH_RULE, Map.of()));
  }

  @Test
  void twoCarriersFailover() {
    Policy p = load("two-carriers-failover.yaml");
    RandomGenerator firstDrawLow = new java.util.SplittableRandom(3);

    PolicyDecision.Route inB = (PolicyDecision.Route) p.decide(from("2001:db8:b::77", "external", "2000").build());
    assertThat(inB.ruleName()).isEqualTo("inbound");
    assertThat(inB.trunk()).isEqualTo("pbx");
    assertThat(inB.targets()).hasSize(2);
    // The rule says nothing about media: the PBX trunk's media and codecs apply.
    assertThat(inB.media()).isEqualTo(new MediaRules(MediaRules.Mode.ANCHOR, MediaRules.Latching.STRICT,
        Duration.ofSeconds(60)));
    assertThat(inB.codecs()).isEqualTo(new CodecRules(List.of("PCMA", "PCMU", "G722", "TELEPHONE-EVENT"),
        List.of(), List.of("G722")));

    PolicyDecision.Route emergency = (PolicyDecision.Route) p.decide(from("10.20.0.2", "internal", "999").build());
    assertThat(emergency.targets()).extracting(Target::uri)
        .containsExactly("sip:198.51.100.10:5060", "sip:[2001:db8:b::10]:5060");
    assertThat(emergency.failoverCodes()).hasSize(300);
    assertThat(emergency.media()).as("to bare targets, no trunk: the defaults").isEqualTo(MediaRules.DEFAULT);

    PolicyDecision.Route out = (PolicyDecision.Route) p.decide(from("10.20.0.2", "internal", "01632960001").build(),
        firstDrawLow);
    assertThat(out.numberRewrites().requestUriUser()).isEqualTo("+441632960001");
    assertThat(out.targets()).hasSize(3);
    assertThat(out.targets().get(2).uri()).isEqualTo("sips:standby.carrier-b.example:5061");
    assertThat(out.failoverCodes()).contains(408, 480, 503).doesNotContain(404, 486);

    // Over many calls carrier A is tried first about 70% of the time.
    RandomGenerator random = new java.util.SplittableRandom(11);
    int aFirst = 0;
    for (int i = 0; i < 2_000; i++) {
      PolicyDecision.Route r = (PolicyDecision.Route) p.decide(from("10.20.0.2", "internal", "01632960001").build(), random);
      if (r.targets().get(0).uri().equals("sip:198.51.100.10:5060")) {
        aFirst++;
      }
    }
    assertThat(aFirst).isBetween(1_300, 1_500);
  }

  @Test
  void prefixTable() {
    Policy p = load("prefix-table.yaml");
    assertThat(p.summary().prefixTables()).isEqualTo(1);
    assertThat(p.summary().prefixes()).isEqualTo(8);
    // What a file watch has to watch: the rule file, then the CSV it names.
    assertThat(p.sourceFiles()).containsExactly(EXAMPLES.resolve("prefix-table.yaml"),
        EXAMPLES.resolve("prefix-table.csv").normalize());
    Map<String, String> expected = Map.of(
        "01632960001", "uk-fixed",
        "07911123456", "uk-mobile",
        "07700900123", "international",
        "08001111111", "uk-fixed",
        "0012025550100", "north-america",
        "0018765550100", "international",
        "0033123456789", "international");
    expected.forEach((dialled, trunk) -> {
      PolicyDecision d = p.decide(from("10.30.0.10", "any", dialled).build());
      assertThat(d).as(dialled).isInstanceOf(PolicyDecision.Route.class);
      assertThat(((PolicyDecision.Route) d).trunk()).as(dialled).isEqualTo(trunk);
    });
    assertThat(p.decide(from("10.30.0.10", "any", "0081312345678").build()))
        .isEqualTo(new PolicyDecision.Reject(404, "No route to destination", "lcr", Map.of()));
    PolicyDecision.Route na = (PolicyDecision.Route) p.decide(from("10.30.0.10", "any", "0012025550100").build());
    assertThat(na.targets()).containsExactly(new Target("sip:na.carrier.example;transport=tls", 1, 1));
    assertThat(na.failoverCodes()).isEqualTo(Set.of(408, 500, 502, 503, 504));
  }

  @Test
  void allExamplesLoadTogetherOnlyIfNamesAreDistinct() {
    // Loading every example as one set must fail on the shared trunk name "pbx": proof that
    // duplicates across files are caught, and that the examples are meant to be used one at a time.
    LoadResult all = PolicyLoader.load(List.of(EXAMPLES.resolve("carrier-to-pbx.yaml"),
        EXAMPLES.resolve("two-carriers-failover.yaml")));
    assertThat(all.errors()).anySatisfy(e -> assertThat(e.message()).startsWith("duplicate trunk name 'pbx'"));
  }
}
