package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.TRUNKS;
import static io.edgesbc.policy.PolicyFixtures.fromPbx;
import static io.edgesbc.policy.PolicyFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.rewrite.RewriteChain;
import io.edgesbc.policy.rewrite.RewriteStep;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizeTest {

  @TempDir Path dir;

  private static final RewriteStep UK_TO_E164 = new RewriteStep.ToE164("44", "0", "00");
  private static final RewriteStep UK_FROM_E164 = new RewriteStep.FromE164("44", "0", "00");

  @ParameterizedTest
  @CsvSource({
      "01632960001, +441632960001",
      "0033123456, +33123456",
      "+441632960001, +441632960001",
      "1632960001, 1632960001",
  })
  void toE164(String in, String out) {
    assertThat(UK_TO_E164.apply(in)).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({
      "+441632960001, 01632960001",
      "+33123456, 0033123456",
      "01632960001, 01632960001",
  })
  void fromE164(String in, String out) {
    assertThat(UK_FROM_E164.apply(in)).isEqualTo(out);
  }

  @Test
  void countryWithoutNationalPrefix() {
    RewriteStep nanp = new RewriteStep.ToE164("1", "", "011");
    assertThat(nanp.apply("0114420")).isEqualTo("+4420");
    // No national prefix: a bare national number is left alone rather than guessed at.
    assertThat(nanp.apply("2025550100")).isEqualTo("2025550100");
  }

  @Test
  void prefixStepsAndRegex() {
    assertThat(new RewriteStep.AddPrefix("+").apply("44")).isEqualTo("+44");
    assertThat(new RewriteStep.StripPrefix("9").apply("90123")).isEqualTo("0123");
    assertThat(new RewriteStep.StripPrefix("9").apply("80123")).isEqualTo("80123");
    RewriteStep regex = new RewriteStep.RegexReplace(Pattern.compile("^(\\d{3})(\\d+)$"), "$2-$1");
    assertThat(regex.apply("123456")).isEqualTo("456-123");
    assertThat(RewriteStep.RegexReplace.highestGroupReference("a$1b$12\\$7")).isEqualTo(12);
  }

  @Test
  void chainAppliesInOrderAndReportsUnchangedAsNull() {
    RewriteChain chain = new RewriteChain(List.of(new RewriteStep.StripPrefix("9"), UK_TO_E164));
    assertThat(chain.applyOrNull("901632960001")).isEqualTo("+441632960001");
    assertThat(chain.applyOrNull("+441632960001")).isNull();
    assertThat(chain.applyOrNull(null)).isNull();
  }

  @Test
  void routeCarriesRewrittenUserParts() {
    Policy p = policy(dir, TRUNKS + """
        rules:
          - name: out
            match: {trunk: pbx}
            normalize:
              ruri_user: [{strip_prefix: "9"}, {to_e164: {country_code: 44}}]
              from_user: [{regex: {match: "^(1\\\\d{3})$", replace: "+44203960$1"}}]
              to_user: [{strip_prefix: "9"}, {add_prefix: "tel-"}]
            route: {trunk: carrier}
        """);
    PolicyDecision.Route route = (PolicyDecision.Route) p.decide(
        fromPbx("901632960001").from("1001", "pbx.local").to("901632960001", "x").build());
    assertThat(route.numberRewrites())
        .isEqualTo(new Rewrites("+441632960001", "+442039601001", "tel-01632960001"));

    // Nothing to change: the decision says "leave as received" for each part.
    PolicyDecision.Route untouched = (PolicyDecision.Route) p.decide(
        fromPbx("+441632960001").from("alice", "pbx.local").to(null, "x").build());
    assertThat(untouched.numberRewrites()).isEqualTo(new Rewrites(null, null, null));
  }

  @Test
  void emptyReplacementDeletesMatch() {
    Policy p = policy(dir, TRUNKS + """
        rules:
          - name: out
            normalize:
              ruri_user: [{regex: {match: "[^0-9+]", replace: }}]
            route: {trunk: carrier}
        """);
    PolicyDecision.Route route = (PolicyDecision.Route) p.decide(fromPbx("01632-960.001").build());
    assertThat(route.numberRewrites().requestUriUser()).isEqualTo("01632960001");
  }
}
