package io.edgesbc.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The rule index must pick exactly the rule a plain scan in file order picks. Policies and
 * requests are drawn from small alphabets (three methods plus one no rule names, three realms and
 * none, a few overlapping trunks, users over {@code 1 2 +}) so that most requests match several
 * rules and the order between index lists is what decides.
 */
class RuleIndexProperties {

  private static final List<String> METHODS = List.of("INVITE", "MESSAGE", "OPTIONS");
  private static final List<String> REALMS = List.of("r0", "r1", "r2");
  private static final List<String> TRUNKS = List.of("t0", "t1", "t2", "t3");
  private static final List<String> SOURCES = List.of("10.0.0.1", "10.0.1.1", "10.0.2.1", "192.0.2.1");

  private static final String TRUNK_YAML = """
      trunks:
        - {name: t0, realm: r0, from: [10.0.0.0/24], targets: ["sip:192.0.2.10"]}
        - {name: t1, realm: r1, from: [10.0.1.0/24], targets: ["sip:192.0.2.11", "sip:192.0.2.12"]}
        - {name: t2, from: [10.0.0.0/16], targets: ["sip:192.0.2.12"]}
        - {name: t3, realm: r0, from: [10.0.2.0/24], targets: ["sip:192.0.2.13"]}
      """;

  /** One generated rule; empty lists mean "condition absent". */
  record RuleSpec(List<String> methods, List<String> realms, List<String> trunks, String ruriKind,
      List<String> ruriValues, Optional<String> source, boolean reject) {}

  record Req(String method, String realm, String source, String ruriUser, String fromUser) {
    RequestView view() {
      RequestView.Builder b = RequestView.builder().source(source, 5060).realm(realm).method(method)
          .requestUri(ruriUser == null ? "sip:sbc.example" : "sip:" + ruriUser + "@sbc.example")
          .from(fromUser, "example.com").to(ruriUser, "sbc.example");
      return b.build();
    }
  }

  @Property(tries = 300)
  void indexedDecisionEqualsLinearScan(@ForAll("rules") List<RuleSpec> rules,
      @ForAll("requests") List<Req> requests) {
    Policy policy = load(yaml(rules));
    for (Req r : requests) {
      RequestView view = r.view();
      PolicyDecision indexed = policy.decide(view, PolicyFixtures.seeded(7));
      PolicyDecision scanned = policy.decideByScan(view, PolicyFixtures.seeded(7));
      assertThat(indexed).as("%s against%n%s", r, yaml(rules)).isEqualTo(scanned);
    }
  }

  /** A later rule under a more selective key must not beat an earlier catch-all. */
  @Example
  void earlierBroadRuleBeatsLaterIndexedRule() {
    Policy policy = load(TRUNK_YAML + """
        rules:
          - {name: any, match: {method: INVITE}, reject: {code: 403}}
          - {name: exact, match: {ruri_user: "12"}, reject: {code: 404}}
          - {name: prefix, match: {ruri_user: {prefix: "1"}}, reject: {code: 486}}
        """);
    RequestView invite = new Req("INVITE", "r0", "10.0.0.1", "12", null).view();
    RequestView message = new Req("MESSAGE", "r0", "10.0.0.1", "12", null).view();
    RequestView other = new Req("MESSAGE", "r0", "10.0.0.1", "13", null).view();
    assertThat(policy.decide(invite).ruleName()).isEqualTo("any");
    assertThat(policy.decide(message).ruleName()).isEqualTo("exact");
    assertThat(policy.decide(other).ruleName()).isEqualTo("prefix");
  }

  @Provide
  Arbitrary<List<RuleSpec>> rules() {
    Arbitrary<List<String>> methods = Arbitraries.of(METHODS).list().uniqueElements().ofMaxSize(2)
        .injectDuplicates(0);
    Arbitrary<List<String>> realms = Arbitraries.of(REALMS).list().uniqueElements().ofMaxSize(2);
    Arbitrary<List<String>> trunks = Arbitraries.of(TRUNKS).list().uniqueElements().ofMaxSize(2);
    Arbitrary<String> kind = Arbitraries.of("none", "exact", "prefix", "regex");
    // The loader refuses empty strings in lists, so rule values have at least one character.
    Arbitrary<List<String>> values = users(3).filter(v -> !v.isEmpty()).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Optional<String>> source =
        Arbitraries.of("10.0.0.0/24", "10.0.0.0/16", "192.0.2.0/24").optional(0.2);
    Arbitrary<Boolean> reject = Arbitraries.of(true, false);
    Arbitrary<RuleSpec> rule = Combinators.combine(methods, realms, trunks, kind, values, source, reject)
        .as(RuleSpec::new);
    return rule.list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<List<Req>> requests() {
    Arbitrary<String> method = Arbitraries.of("INVITE", "MESSAGE", "OPTIONS", "BYE");
    Arbitrary<String> realm = Arbitraries.of("r0", "r1", "r2", "r3").injectNull(0.15);
    Arbitrary<String> source = Arbitraries.of(SOURCES);
    Arbitrary<String> user = users(5).injectNull(0.1);
    return Combinators.combine(method, realm, source, user, users(3))
        .as(Req::new).list().ofMinSize(1).ofMaxSize(40);
  }

  private static Arbitrary<String> users(int maxLength) {
    return Arbitraries.strings().withChars('1', '2', '+').ofMinLength(0).ofMaxLength(maxLength);
  }

  private static String yaml(List<RuleSpec> rules) {
    StringBuilder y = new StringBuilder(TRUNK_YAML).append("rules:\n");
    for (int i = 0; i < rules.size(); i++) {
      RuleSpec r = rules.get(i);
      List<String> match = new ArrayList<>();
      if (!r.methods().isEmpty()) {
        match.add("method: " + list(r.methods()));
      }
      if (!r.realms().isEmpty()) {
        match.add("realm: " + list(r.realms()));
      }
      if (!r.trunks().isEmpty()) {
        match.add("trunk: " + list(r.trunks()));
      }
      switch (r.ruriKind()) {
        case "exact" -> match.add("ruri_user: {exact: " + list(r.ruriValues()) + "}");
        case "prefix" -> match.add("ruri_user: {prefix: " + list(r.ruriValues()) + "}");
        // A regex the index cannot file: the rule must land in another list.
        case "regex" -> match.add("ruri_user: {regex: \"" + r.ruriValues().get(0).replace("+", "\\\\+")
            + ".*\"}");
        default -> { }
      }
      r.source().ifPresent(s -> match.add("source: [" + s + "]"));
      y.append("  - name: rule").append(i).append('\n');
      if (!match.isEmpty()) {
        y.append("    match: {").append(String.join(", ", match)).append("}\n");
      }
      if (r.reject()) {
        y.append("    reject: {code: ").append(400 + i).append(", reason: \"r").append(i).append("\"}\n");
      } else {
        y.append("    route: {trunk: ").append(TRUNKS.get(i % TRUNKS.size())).append("}\n");
      }
    }
    return y.toString();
  }

  private static String list(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
  }

  private static Policy load(String yaml) {
    try {
      Path dir = Files.createTempDirectory("rule-index");
      try {
        return PolicyFixtures.load(dir, yaml).policyOrThrow();
      } finally {
        Files.deleteIfExists(dir.resolve("policy.yaml"));
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
