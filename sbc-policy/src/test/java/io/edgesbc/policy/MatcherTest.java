package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.TRUNKS;
import static io.edgesbc.policy.PolicyFixtures.fromCarrier;
import static io.edgesbc.policy.PolicyFixtures.fromPbx;
import static io.edgesbc.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each match kind, rule order and first-match-wins, through loaded policies. */
class MatcherTest {

  @TempDir Path dir;

  /** A policy whose single rule {@code hit} has the given match; everything else gets 404. */
  private Policy only(String match) {
    return policy(dir, TRUNKS + """
        no_match: {code: 404, reason: Nope}
        rules:
          - name: hit
            match: %s
            reject: {code: 480}
        """.formatted(match));
  }

  private static String rule(Policy p, RequestView v) {
    return p.decide(v).ruleName();
  }

  @Test
  void sourceTrunkNeedsAddressAndRealm() {
    Policy p = only("{trunk: carrier}");
    assertThat(rule(p, fromCarrier("1").build())).isEqualTo("hit");
    assertThat(rule(p, fromCarrier("1").source("2001:db8:1::5", 5060).build())).isEqualTo("hit");
    // Right address, wrong realm: a spoofed or misrouted packet must not count as the carrier.
    assertThat(rule(p, fromCarrier("1").realm("internal").build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(p, fromCarrier("1").source("198.51.100.1", 5060).build()))
        .isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void trunkListMeansAnyOf() {
    Policy p = only("{trunk: [carrier, pbx]}");
    assertThat(rule(p, fromCarrier("1").build())).isEqualTo("hit");
    assertThat(rule(p, fromPbx("1").build())).isEqualTo("hit");
  }

  @Test
  void realmAndSourceCidr() {
    Policy p = only("{realm: internal, source: [10.0.0.0/30, \"fd00::/8\"]}");
    assertThat(rule(p, fromPbx("1").source("10.0.0.3", 1).build())).isEqualTo("hit");
    assertThat(rule(p, fromPbx("1").source("10.0.0.4", 1).build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(p, fromPbx("1").source("fd12::1", 1).build())).isEqualTo("hit");
    assertThat(rule(p, fromPbx("1").source("10.0.0.3", 1).realm("external").build()))
        .isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void methodIsCaseSensitiveAsInSip() {
    Policy p = only("{method: [INVITE, MESSAGE]}");
    assertThat(rule(p, fromPbx("1").method("MESSAGE").build())).isEqualTo("hit");
    assertThat(rule(p, fromPbx("1").method("OPTIONS").build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(p, fromPbx("1").method("invite").build())).isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void requestUriUserPrefixExactRegex() {
    Policy prefix = only("{ruri_user: {prefix: [\"+44\", \"0044\"]}}");
    assertThat(rule(prefix, fromPbx("00441632").build())).isEqualTo("hit");
    assertThat(rule(prefix, fromPbx("+331632").build())).isEqualTo(Policy.NO_MATCH_RULE);

    Policy exact = only("{ruri_user: {exact: \"999\"}}");
    assertThat(rule(exact, fromPbx("999").build())).isEqualTo("hit");
    assertThat(rule(exact, fromPbx("9999").build())).isEqualTo(Policy.NO_MATCH_RULE);

    // Regexes must match the whole value, not just somewhere inside it.
    Policy regex = only("{ruri_user: {regex: \"1\\\\d{3}\"}}");
    assertThat(rule(regex, fromPbx("1234").build())).isEqualTo("hit");
    assertThat(rule(regex, fromPbx("91234").build())).isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void unquotedNumbersKeepTheirDigits() {
    // YAML would read 0044 as the integer 44; the matcher must see the digits as written.
    Policy p = only("{ruri_user: {prefix: 0044}}");
    assertThat(rule(p, fromPbx("00441632").build())).isEqualTo("hit");
    assertThat(rule(p, fromPbx("441632").build())).isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void missingUserPartNeverMatches() {
    Policy p = only("{ruri_user: {regex: \".*\"}}");
    RequestView noUser = fromPbx("x").requestUri("sip:sbc.example").build();
    assertThat(noUser.requestUriUser()).isNull();
    assertThat(rule(p, noUser)).isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void fromAndToUserAndDomains() {
    Policy p = only("{from_user: {prefix: \"10\"}, from_domain: PBX.local, to_user: \"555\","
        + " to_domain: {regex: \".*\\\\.EXAMPLE\"}}");
    RequestView v = fromPbx("555").from("1001", "pbx.LOCAL").to("555", "sbc.example").build();
    assertThat(rule(p, v)).isEqualTo("hit");
    assertThat(rule(p, fromPbx("555").from("2001", "pbx.local").build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(p, fromPbx("555").to("556", "sbc.example").build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(p, fromPbx("555").to("555", "sbc.example.org").build()))
        .isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void requestUriHost() {
    Policy p = only("{ruri_host: [sbc.example, \"192.0.2.1\"]}");
    assertThat(rule(p, fromPbx("1").requestUri("sip:1@SBC.example:5060;transport=tcp").build()))
        .isEqualTo("hit");
    assertThat(rule(p, fromPbx("1").requestUri("sip:1@other.example").build()))
        .isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void headerPresenceAbsenceAndValues() {
    Policy present = only("{headers: [{name: X-Trusted, present: true}, {name: X-Debug, present: false}]}");
    assertThat(rule(present, fromPbx("1").header("x-trusted", "1").build())).isEqualTo("hit");
    assertThat(rule(present, fromPbx("1").build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(present, fromPbx("1").header("X-Trusted", "1").header("X-DEBUG", "on").build()))
        .isEqualTo(Policy.NO_MATCH_RULE);

    Policy value = only("{headers: [{name: P-Asserted-Identity, regex: \"<sip:\\\\+44.*\"}]}");
    // Multi-valued header: one matching value is enough.
    RequestView two = fromPbx("1").header("P-Asserted-Identity", "<tel:+33123>")
        .header("p-asserted-identity", "<sip:+441632960001@pbx.local>").build();
    assertThat(rule(value, two)).isEqualTo("hit");
    assertThat(rule(value, fromPbx("1").header("P-Asserted-Identity", "<tel:+33123>").build()))
        .isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void allConditionsMustHold() {
    Policy p = only("{trunk: pbx, method: INVITE, ruri_user: {prefix: \"9\"}}");
    assertThat(rule(p, fromPbx("9123").build())).isEqualTo("hit");
    assertThat(rule(p, fromPbx("8123").build())).isEqualTo(Policy.NO_MATCH_RULE);
    assertThat(rule(p, fromCarrier("9123").build())).isEqualTo(Policy.NO_MATCH_RULE);
  }

  @Test
  void firstMatchWinsInFileOrderAndCatchAllLast() {
    Policy p = policy(dir, TRUNKS + """
        rules:
          - name: emergency
            match: {ruri_user: {exact: ["112", "999"]}}
            route: {trunk: carrier}
          - name: from-pbx
            match: {trunk: pbx}
            route: {trunk: carrier}
          - name: shadowed
            match: {trunk: pbx, ruri_user: {exact: "112"}}
            reject: {code: 403}
          - name: everything-else
            reject: {code: 488}
        """);
    assertThat(p.ruleNames()).containsExactly("emergency", "from-pbx", "shadowed", "everything-else");
    assertThat(rule(p, fromPbx("112").build())).isEqualTo("emergency");
    assertThat(rule(p, fromPbx("2000").build())).isEqualTo("from-pbx");
    PolicyDecision d = p.decide(fromCarrier("2000").build());
    assertThat(d).isEqualTo(new PolicyDecision.Reject(488, "Not Acceptable Here", "everything-else",
        java.util.Map.of()));
  }

  @Test
  void defaultNoMatchIs403AndConfigurable() {
    Policy dflt = policy(dir, TRUNKS + "rules: []\n");
    assertThat(dflt.decide(fromPbx("1").build())).isEqualTo(new PolicyDecision.Reject(403,
        "No matching rule", Policy.NO_MATCH_RULE, java.util.Map.of()));
    Policy custom = policy(dir, "no_match: {code: 503, reason: Closed, retry_after: 120}\n");
    assertThat(custom.decide(fromPbx("1").build())).isEqualTo(new PolicyDecision.Reject(503,
        "Closed", Policy.NO_MATCH_RULE, java.util.Map.of("Retry-After", "120")));
  }

  @Test
  void rulesFromLaterFilesFollowAndMayUseTrunksDefinedLater() {
    Path rules = PolicyFixtures.write(dir, "10-rules.yaml", """
        rules:
          - name: to-carrier
            match: {trunk: pbx}
            route: {trunk: carrier}
        """);
    Path more = PolicyFixtures.write(dir, "20-more.yaml", TRUNKS + """
        rules:
          - name: catch-all
            reject: {code: 404}
        """);
    Policy p = PolicyLoader.load(java.util.List.of(rules, more)).policyOrThrow();
    assertThat(p.ruleNames()).containsExactly("to-carrier", "catch-all");
    assertThat(rule(p, fromPbx("1").build())).isEqualTo("to-carrier");
    assertThat(rule(p, fromCarrier("1").build())).isEqualTo("catch-all");
  }
}
