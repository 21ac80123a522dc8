package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.errors;
import static io.edgesbc.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code media:} and {@code codecs:} on rules and trunks: which one a call gets (the rule's, else
 * the destination trunk's, else the defaults), their validation with positions, and the trunk a
 * request comes from for labels.
 */
class MediaCodecRulesTest {

  @TempDir Path dir;

  private static final String POLICY = """
      trunks:
        - name: carrier
          realm: external
          from: [203.0.113.0/24]
        - name: carrier-edge
          realm: external
          from: [203.0.113.7]
        - name: pbx
          realm: internal
          targets: ["sip:10.0.0.5"]
          media: {latching: strict, timeout: 45s}
          codecs: {allow: [pcma, G722, telephone-event], order: [g722]}
        - name: fax
          realm: internal
          targets: ["sip:10.0.0.6"]
      prefix_tables:
        t: {entries: {"+4930": pbx, "+4940": fax}}
      rules:
        - name: to-fax
          match: {ruri_user: {prefix: "+4930555"}}
          route: {trunk: fax}
          media: {mode: bypass}
        - name: to-pbx-no-opus
          match: {ruri_user: {prefix: "+4930777"}}
          route: {trunk: pbx}
          codecs: {deny: [OPUS]}
        - name: to-pbx
          match: {ruri_user: {prefix: "+4930"}}
          route: {trunk: pbx}
        - name: by-table
          route: {prefix_table: t}
      """;

  private static PolicyDecision.Route route(Policy p, String user) {
    return (PolicyDecision.Route) p.decide(PolicyFixtures.fromCarrier(user).build());
  }

  @Test
  void aRuleWithoutMediaOrCodecsTakesTheDestinationTrunksAndCodecNamesAreUpperCase() {
    PolicyDecision.Route r = route(policy(dir, POLICY), "+4930123");
    assertThat(r.media()).isEqualTo(new MediaRules(MediaRules.Mode.ANCHOR, MediaRules.Latching.STRICT,
        Duration.ofSeconds(45)));
    assertThat(r.codecs()).isEqualTo(new CodecRules(List.of("PCMA", "G722", "TELEPHONE-EVENT"), List.of(),
        List.of("G722")));
  }

  @Test
  void aRulesOwnSectionReplacesTheTrunksWholeSectionButOnlyThatSection() {
    Policy p = policy(dir, POLICY);
    PolicyDecision.Route noOpus = route(p, "+4930777");
    assertThat(noOpus.codecs()).isEqualTo(new CodecRules(List.of(), List.of("OPUS"), List.of()));
    assertThat(noOpus.media()).as("the trunk's media still applies").isEqualTo(p.trunks().get("pbx").media());
    PolicyDecision.Route fax = route(p, "+4930555");
    assertThat(fax.media()).isEqualTo(new MediaRules(MediaRules.Mode.BYPASS, null, null));
    assertThat(fax.codecs()).isEqualTo(CodecRules.NONE);
  }

  @Test
  void aPrefixTableRouteTakesTheRulesOfTheTrunkItFinds() {
    Policy p = policy(dir, POLICY.replace("match: {ruri_user: {prefix: \"+4930\"}}", "match: {method: BYE}"));
    assertThat(route(p, "+4930123").ruleName()).isEqualTo("by-table");
    assertThat(route(p, "+4930123").media().latching()).isEqualTo(MediaRules.Latching.STRICT);
    assertThat(route(p, "+4940123").media()).as("fax sets none: the defaults").isEqualTo(MediaRules.DEFAULT);
    assertThat(route(p, "+4940123").codecs()).isEqualTo(CodecRules.NONE);
  }

  @Test
  void keysLeftOutAreLeftToTheRelay() {
    PolicyDecision.Route r = route(policy(dir, """
        rules:
          - name: all
            route: {targets: ["sip:10.0.0.5"]}
            media: {timeout: 2m}
        """), "1");
    assertThat(r.media()).isEqualTo(new MediaRules(MediaRules.Mode.ANCHOR, null, Duration.ofMinutes(2)));
  }

  @Test
  void theSourceTrunkIsTheMostSpecificTrunkHoldingTheAddress() {
    Policy p = policy(dir, POLICY);
    assertThat(p.sourceTrunk(io.edgesbc.policy.match.CidrBlock.parseAddress("203.0.113.7"), "external"))
        .isEqualTo("carrier-edge");
    assertThat(p.sourceTrunk(io.edgesbc.policy.match.CidrBlock.parseAddress("203.0.113.8"), "external"))
        .isEqualTo("carrier");
    assertThat(p.sourceTrunk(io.edgesbc.policy.match.CidrBlock.parseAddress("203.0.113.8"), "internal"))
        .as("wrong realm").isNull();
    assertThat(p.sourceTrunk(io.edgesbc.policy.match.CidrBlock.parseAddress("198.51.100.1"), "external")).isNull();
  }

  @Test
  void contradictionsAndBadValuesArePointedAt() {
    assertThat(errors(dir, """
        trunks:
          - name: fax
            targets: ["sip:10.0.0.6"]
            media: {mode: bypass, latching: strict}
            codecs: {allow: [PCMA]}
          - name: pbx
            targets: ["sip:10.0.0.5"]
            media: {mode: relay, jitter: 20ms}
        rules:
          - name: r1
            route: {trunk: fax}
            media: {mode: bypass, timeout: 30s}
            codecs: {allow: [PCMA, G722], order: [G722, opus, "PCMU!"]}
        """)).containsExactly(
            "4:27: 'latching' has no effect with 'mode: bypass' (no relay)",
            "5:5: 'codecs' has no effect with 'media: {mode: bypass}' (SDP passes unchanged)",
            "8:19: 'mode' must be one of [anchor, bypass], got 'relay'",
            "8:26: unknown key 'jitter' in 'media' (expected one of: mode, latching, timeout)",
            "12:27: 'timeout' has no effect with 'mode: bypass' (no relay)",
            "13:5: 'codecs' has no effect with 'media: {mode: bypass}' (SDP passes unchanged)",
            "13:49: codec 'opus' is ordered but not in 'allow'",
            "13:55: bad codec name 'PCMU!'");
  }
}
