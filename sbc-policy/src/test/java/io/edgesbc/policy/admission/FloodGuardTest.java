package io.edgesbc.policy.admission;

import static io.edgesbc.policy.admission.AdmissionFixtures.call;
import static io.edgesbc.policy.admission.AdmissionFixtures.ip;
import static io.edgesbc.policy.admission.AdmissionFixtures.permit;
import static io.edgesbc.policy.admission.AdmissionFixtures.policy;
import static io.edgesbc.policy.admission.AdmissionFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.LimitsRef;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloodGuardTest {

  private static final String POLICY = """
      flood_guard: {requests_per_second: 10, burst: 5, ban_for: 30s, exempt: ["192.0.2.0/24"]}
      trunks:
        - name: carrier
          from: [203.0.113.0/24, "2001:db8::/32"]
          targets: ["sip:203.0.113.1"]
      rules:
        - name: all
          route: {trunk: carrier}
      """;

  @TempDir Path dir;
  private final FakeTicker time = new FakeTicker();
  private final List<String> bans = new ArrayList<>();

  private AdmissionController controller(String yaml) {
    return AdmissionController.builder(policy(dir, yaml)).ticker(time)
        .cacheExecutor(Runnable::run)
        .listener(new AdmissionListener() {
          @Override
          public void onBanned(InetAddress source, Duration banFor) {
            bans.add(source.getHostAddress() + " " + banFor.toSeconds());
          }
        }).build();
  }

  private FloodGuard guard(String yaml) {
    return controller(yaml).floodGuard().orElseThrow();
  }

  @Test
  void bansASourceThatExceedsItsBurstAndLiftsTheBanAfterBanFor() {
    FloodGuard g = guard(POLICY);
    InetAddress src = ip("198.51.100.7");
    for (int i = 0; i < 5; i++) {
      assertThat(g.check(src)).isEqualTo(FloodVerdict.ALLOWED);
    }
    assertThat(g.check(src)).isEqualTo(FloodVerdict.RATE_EXCEEDED);
    assertThat(bans).containsExactly("198.51.100.7 30");
    assertThat(g.isBanned(src)).isTrue();
    assertThat(g.bannedSources()).isEqualTo(1);

    // Even a polite rate is refused during the ban.
    time.advance(Duration.ofSeconds(29));
    assertThat(g.check(src)).isEqualTo(FloodVerdict.BANNED);
    time.advance(Duration.ofSeconds(1));
    assertThat(g.isBanned(src)).isFalse();
    // The ban's end starts the source over with a full burst.
    for (int i = 0; i < 5; i++) {
      assertThat(g.check(src)).isEqualTo(FloodVerdict.ALLOWED);
    }
    assertThat(g.check(src)).isEqualTo(FloodVerdict.RATE_EXCEEDED);
    assertThat(bans).hasSize(2);
  }

  @Test
  void aSteadySourceWithinTheRateIsNeverBanned() {
    FloodGuard g = guard(POLICY);
    InetAddress src = ip("198.51.100.8");
    for (int i = 0; i < 1000; i++) {
      assertThat(g.check(src)).isEqualTo(FloodVerdict.ALLOWED);
      time.advance(Duration.ofMillis(100));
    }
    assertThat(bans).isEmpty();
  }

  @Test
  void sourcesAreCountedSeparately() {
    FloodGuard g = guard(POLICY);
    for (int i = 0; i < 5; i++) {
      g.check(ip("198.51.100.1"));
    }
    assertThat(g.check(ip("198.51.100.1"))).isEqualTo(FloodVerdict.RATE_EXCEEDED);
    assertThat(g.check(ip("198.51.100.2"))).isEqualTo(FloodVerdict.ALLOWED);
  }

  @Test
  void trunkAndListedAddressesAreExempt() {
    FloodGuard g = guard(POLICY);
    for (String a : List.of("203.0.113.9", "2001:db8::5", "192.0.2.77")) {
      for (int i = 0; i < 100; i++) {
        assertThat(g.check(ip(a))).isEqualTo(FloodVerdict.EXEMPT);
      }
    }
    assertThat(g.trackedSources()).isZero();
  }

  @Test
  void trunkExemptionCanBeTurnedOff() {
    FloodGuard g = guard(POLICY.replace("exempt: [", "exempt_trunks: false, exempt: ["));
    InetAddress trunk = ip("203.0.113.9");
    for (int i = 0; i < 5; i++) {
      assertThat(g.check(trunk)).isEqualTo(FloodVerdict.ALLOWED);
    }
    assertThat(g.check(trunk)).isEqualTo(FloodVerdict.RATE_EXCEEDED);
    assertThat(g.check(ip("192.0.2.1"))).isEqualTo(FloodVerdict.EXEMPT);
  }

  @Test
  void idleSourcesAreForgotten() {
    FloodGuard g = guard(POLICY);
    g.check(ip("198.51.100.1"));
    g.check(ip("198.51.100.2"));
    assertThat(g.trackedSources()).isEqualTo(2);
    time.advance(Duration.ofSeconds(2));
    assertThat(g.trackedSources()).isZero();
  }

  @Test
  void operatorCanLiftABan() {
    FloodGuard g = guard(POLICY);
    InetAddress src = ip("198.51.100.7");
    for (int i = 0; i < 6; i++) {
      g.check(src);
    }
    assertThat(g.isBanned(src)).isTrue();
    g.unban(src);
    assertThat(g.check(src)).isEqualTo(FloodVerdict.ALLOWED);
  }

  @Test
  void controllerScreensEveryRequestAndRefusesCallsFromBannedSources() {
    AdmissionController c = controller(POLICY);
    InetAddress src = ip("198.51.100.7");
    for (int i = 0; i < 5; i++) {
      assertThat(c.screen(src)).isNull();
    }
    Admission.Rejected first = c.screen(src);
    assertThat(first.reason()).isEqualTo(Reason.FLOOD_RATE);
    assertThat(first.scope()).isEqualTo(Scope.SOURCE);
    assertThat(first.name()).isEqualTo("198.51.100.7");
    assertThat(first.sipCode()).isEqualTo(403);
    assertThat(first.retryAfter()).isEmpty();
    assertThat(first.detail())
        .isEqualTo("source 198.51.100.7 exceeded 10 requests per second; banned for 30s");
    assertThat(c.screen(src).reason()).isEqualTo(Reason.FLOOD_BANNED);

    Admission.Rejected call = rejected(c.admit(call("198.51.100.7", "carrier", LimitsRef.NONE)));
    assertThat(call.reason()).isEqualTo(Reason.FLOOD_BANNED);
    assertThat(call.detail()).isEqualTo("source 198.51.100.7 is banned for flooding");
    assertThat(c.rejections(Reason.FLOOD_RATE, Scope.SOURCE)).isEqualTo(1);
    assertThat(c.rejections(Reason.FLOOD_BANNED, Scope.SOURCE)).isEqualTo(2);

    time.advance(Duration.ofSeconds(30));
    permit(c.admit(call("198.51.100.7", "carrier", LimitsRef.NONE))).release();
  }

  @Test
  void defaultsWhenOnlyTheRateIsGiven() {
    FloodGuard g = guard(POLICY.replace(
        "{requests_per_second: 10, burst: 5, ban_for: 30s, exempt: [\"192.0.2.0/24\"]}",
        "{requests_per_second: 3}"));
    assertThat(g.settings().burst()).isEqualTo(6);
    assertThat(g.settings().banFor()).isEqualTo(Duration.ofSeconds(60));
    assertThat(g.settings().exemptTrunks()).isTrue();
    assertThat(g.check(ip("203.0.113.1"))).isEqualTo(FloodVerdict.EXEMPT);
  }
}
