package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.errors;
import static io.edgesbc.policy.PolicyFixtures.policy;
import static io.edgesbc.policy.PolicyFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.match.CidrBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code limits} (top level and per trunk) and {@code flood_guard} sections. */
class AdmissionConfigTest {

  @TempDir Path dir;

  @Test
  void readsGlobalTrunkAndFloodGuardSettings() {
    Policy p = policy(dir, """
        limits: {concurrent_calls: 500, calls_per_second: 20}
        flood_guard:
          requests_per_second: 25
          burst: 60
          ban_for: 5m
          exempt_trunks: false
          exempt: [192.0.2.0/24, "2001:db8::1"]
        trunks:
          - name: carrier
            targets: ["sip:203.0.113.1"]
            limits: {concurrent_calls: 100, calls_per_second: 2.5, burst: 5}
          - name: pbx
            targets: ["sip:10.0.0.5"]
        rules:
          - name: r
            route: {trunk: carrier}
        """);
    assertThat(p.globalLimits()).isEqualTo(new LimitsRef("global", 500, 20.0, 20));
    assertThat(p.trunks().get("carrier").limits())
        .isEqualTo(new LimitsRef("trunk:carrier", 100, 2.5, 5));
    assertThat(p.trunks().get("pbx").limits()).isEqualTo(LimitsRef.NONE);
    assertThat(p.floodGuard()).contains(new FloodGuardSettings(25, 60, Duration.ofMinutes(5), false,
        List.of(CidrBlock.parse("192.0.2.0/24", null).orElseThrow(),
            CidrBlock.parse("2001:db8::1", null).orElseThrow())));
  }

  @Test
  void everythingIsOptional() {
    Policy p = policy(dir, """
        trunks: [{name: t, targets: ["sip:192.0.2.1"]}]
        rules: [{name: r, route: {trunk: t}}]
        """);
    assertThat(p.globalLimits()).isEqualTo(LimitsRef.NONE);
    assertThat(p.floodGuard()).isEmpty();
  }

  @Test
  void validationErrorsPointAtTheOffendingKeyOrValue() {
    assertThat(errors(dir, """
        limits: {concurrent_calls: 0, burst: 3, max: 1}
        flood_guard:
          burst: 0
          ban_for: forever
          exempt_trunks: "yes"
          exempt: [10.0.0.1/8]
          rate: 5
        trunks:
          - name: carrier
            targets: ["sip:203.0.113.1"]
            limits: {calls_per_second: -1}
          - name: pbx
            targets: ["sip:10.0.0.5"]
            limits: {}
        rules:
          - name: r
            route: {trunk: carrier}
        """)).containsExactly(
            "1:28: 'concurrent_calls' must be between 1 and 1000000, got 0",
            "1:31: 'burst' needs 'calls_per_second'",
            "1:41: unknown key 'max' in 'limits' (expected one of: concurrent_calls, "
                + "calls_per_second, burst)",
            "3:3: missing required key 'requests_per_second' in 'flood_guard'",
            "3:10: 'burst' must be between 1 and 10000000, got 0",
            "4:12: 'ban_for' must be a duration like 500ms, 30s, 5m or 1h, got 'forever'",
            "5:18: 'exempt_trunks' must be true or false, got a string",
            "6:12: bad CIDR '10.0.0.1/8': host bits set below /8",
            "7:3: unknown key 'rate' in 'flood_guard' (expected one of: requests_per_second, "
                + "burst, ban_for, exempt_trunks, exempt)",
            "11:32: 'calls_per_second' must be between 0.01 and 100000, got -1",
            "14:13: 'limits' needs 'concurrent_calls' and/or 'calls_per_second'");
  }

  @Test
  void floodGuardRangesAndShapes() {
    assertThat(errors(dir, """
        flood_guard: {requests_per_second: 0.01, ban_for: 2d}
        limits: [1]
        """)).containsExactly(
            "1:36: 'requests_per_second' must be between 0.1 and 1000000, got 0.01",
            "1:51: 'ban_for' must be a duration like 500ms, 30s, 5m or 1h, got '2d'",
            "2:9: 'limits' must be a mapping, got a list");
    assertThat(errors(dir, """
        flood_guard: {requests_per_second: 5, ban_for: 25h}
        """)).containsExactly("1:48: 'ban_for' must be between 1s and 86400s, got '25h'");
  }

  @Test
  void onlyOneFileMaySetGlobalLimitsOrFloodGuard() {
    Path a = write(dir, "a.yaml", """
        limits: {concurrent_calls: 10}
        flood_guard: {requests_per_second: 5}
        """);
    Path b = write(dir, "b.yaml", """
        trunks: [{name: t, targets: ["sip:192.0.2.1"]}]
        flood_guard: {requests_per_second: 6}
        limits: {concurrent_calls: 20}
        """);
    assertThat(PolicyLoader.load(List.of(a, b)).errors()).extracting(PolicyError::toString)
        .containsExactly(
            b + ":2:1: 'flood_guard' is already set at " + a + ":2:14",
            b + ":3:1: 'limits' is already set at " + a + ":1:9");
  }
}
