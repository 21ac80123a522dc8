package io.edgesbc.policy.admission;

import static io.edgesbc.policy.admission.AdmissionFixtures.LIMITED;
import static io.edgesbc.policy.admission.AdmissionFixtures.call;
import static io.edgesbc.policy.admission.AdmissionFixtures.permit;
import static io.edgesbc.policy.admission.AdmissionFixtures.policy;
import static io.edgesbc.policy.admission.AdmissionFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.LimitsRef;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdmissionControllerTest {

  private static final String SRC = "198.51.100.1";
  private static final LimitsRef NO_RULE_LIMIT = LimitsRef.NONE;

  @TempDir Path dir;
  private final FakeTicker time = new FakeTicker();
  private final List<Admission.Rejected> heard = new ArrayList<>();
  private AdmissionController controller;

  @BeforeEach
  void setUp() {
    controller = controller(policy(dir, LIMITED));
  }

  private AdmissionController controller(Policy p) {
    return AdmissionController.builder(p).ticker(time).listener(new AdmissionListener() {
      @Override
      public void onRejected(Admission.Rejected r) {
        heard.add(r);
      }
    }).build();
  }

  private int inUse(Scope scope, String name) {
    return controller.usage().stream().filter(u -> u.scope() == scope && u.name().equals(name))
        .mapToInt(LimitUsage::inUse).findFirst().orElseThrow();
  }

  @Test
  void ruleConcurrentLimit() {
    LimitsRef rule = new LimitsRef("rule:r", 2, 0, 0);
    CallPermit p1 = permit(controller.admit(call(SRC, null, rule)));
    permit(controller.admit(call(SRC, null, rule)));
    Admission.Rejected r = rejected(controller.admit(call(SRC, null, rule)));
    assertThat(r.reason()).isEqualTo(Reason.CONCURRENT_CALLS);
    assertThat(r.scope()).isEqualTo(Scope.RULE);
    assertThat(r.name()).isEqualTo("r");
    assertThat(r.sipCode()).isEqualTo(503);
    assertThat(r.retryAfter()).hasValue(5);
    assertThat(r.detail()).isEqualTo("rule 'r' is at its limit of 2 concurrent calls");
    assertThat(inUse(Scope.RULE, "r")).isEqualTo(2);

    p1.release();
    assertThat(inUse(Scope.RULE, "r")).isEqualTo(1);
    permit(controller.admit(call(SRC, null, rule)));
  }

  @Test
  void trunkConcurrentLimitRollsBackTheRuleSlot() {
    LimitsRef rule = new LimitsRef("rule:r", 10, 0, 0);
    for (int i = 0; i < 3; i++) {
      permit(controller.admit(call(SRC, "carrier", rule)));
    }
    Admission.Rejected r = rejected(controller.admit(call(SRC, "carrier", rule)));
    assertThat(r.scope()).isEqualTo(Scope.TRUNK);
    assertThat(r.name()).isEqualTo("carrier");
    assertThat(r.detail()).isEqualTo("trunk 'carrier' is at its limit of 3 concurrent calls");
    assertThat(inUse(Scope.RULE, "r")).isEqualTo(3);
    assertThat(inUse(Scope.TRUNK, "carrier")).isEqualTo(3);
    assertThat(inUse(Scope.GLOBAL, "global")).isEqualTo(3);
  }

  @Test
  void globalConcurrentLimitRollsBackRuleAndTrunkSlots() {
    LimitsRef rule = new LimitsRef("rule:r", 10, 0, 0);
    List<CallPermit> permits = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      permits.add(permit(controller.admit(call(SRC, "carrier", rule))));
    }
    permits.add(permit(controller.admit(call(SRC, "free", rule))));
    permits.add(permit(controller.admit(call(SRC, null, NO_RULE_LIMIT))));
    Admission.Rejected r = rejected(controller.admit(call(SRC, "free", rule)));
    assertThat(r.scope()).isEqualTo(Scope.GLOBAL);
    assertThat(r.detail()).isEqualTo("the SBC is at its limit of 5 concurrent calls");
    assertThat(inUse(Scope.RULE, "r")).isEqualTo(4);
    assertThat(inUse(Scope.GLOBAL, "global")).isEqualTo(5);

    permits.forEach(CallPermit::release);
    assertThat(controller.usage()).allSatisfy(u -> assertThat(u.inUse()).isZero());
  }

  @Test
  void callsPerSecondWithBurstRefillsInFakeTime() {
    for (int i = 0; i < 2; i++) {
      permit(controller.admit(call(SRC, "pbx", NO_RULE_LIMIT))).release();
    }
    Admission.Rejected r = rejected(controller.admit(call(SRC, "pbx", NO_RULE_LIMIT)));
    assertThat(r.reason()).isEqualTo(Reason.CALLS_PER_SECOND);
    assertThat(r.scope()).isEqualTo(Scope.TRUNK);
    assertThat(r.retryAfter()).hasValue(1);
    assertThat(r.detail()).isEqualTo("trunk 'pbx' exceeded its rate of 2 calls per second");
    // The refused call's global slot was given back.
    assertThat(inUse(Scope.GLOBAL, "global")).isZero();

    time.advance(Duration.ofMillis(500));
    permit(controller.admit(call(SRC, "pbx", NO_RULE_LIMIT))).release();
    assertThat(controller.admit(call(SRC, "pbx", NO_RULE_LIMIT))).isInstanceOf(Admission.Rejected.class);
  }

  @Test
  void aRateRefusalRefundsTokensTakenFromNarrowerScopes() {
    LimitsRef rule = new LimitsRef("rule:r", 0, 1, 1);
    // Exhaust the trunk's rate with calls under another rule.
    permit(controller.admit(call(SRC, "pbx", NO_RULE_LIMIT)));
    permit(controller.admit(call(SRC, "pbx", NO_RULE_LIMIT)));
    // The rule's token is taken first, then the trunk refuses: the rule's token must come back.
    assertThat(rejected(controller.admit(call(SRC, "pbx", rule))).scope()).isEqualTo(Scope.TRUNK);
    permit(controller.admit(call(SRC, null, rule)));
    assertThat(rejected(controller.admit(call(SRC, null, rule))).scope()).isEqualTo(Scope.RULE);
  }

  @Test
  void aConcurrencyRefusalTakesNoRateToken() {
    LimitsRef rule = new LimitsRef("rule:r", 1, 1, 1);
    CallPermit p = permit(controller.admit(call(SRC, null, rule)));
    time.advance(Duration.ofSeconds(1));
    assertThat(rejected(controller.admit(call(SRC, null, rule))).reason())
        .isEqualTo(Reason.CONCURRENT_CALLS);
    p.release();
    permit(controller.admit(call(SRC, null, rule)));
  }

  @Test
  void releaseIsIdempotent() {
    LimitsRef rule = new LimitsRef("rule:r", 1, 0, 0);
    CallPermit p = permit(controller.admit(call(SRC, "carrier", rule)));
    assertThat(p.heldLimits()).isEqualTo(3);
    assertThat(p.release()).isTrue();
    assertThat(p.release()).isFalse();
    assertThat(controller.usage()).allSatisfy(u -> assertThat(u.inUse()).isZero());
  }

  @Test
  void unlimitedCallsHoldNothing() {
    AdmissionController open = AdmissionController.of(policy(dir, """
        trunks: [{name: t, targets: ["sip:192.0.2.1"]}]
        rules: [{name: r, route: {trunk: t}}]
        """));
    CallPermit p = permit(open.admit(call(SRC, "t", NO_RULE_LIMIT)));
    assertThat(p.heldLimits()).isZero();
    assertThat(p.release()).isTrue();
    assertThat(open.usage()).isEmpty();
    assertThat(open.floodGuard()).isEmpty();
    assertThat(open.screen(AdmissionFixtures.ip(SRC))).isNull();
  }

  @Test
  void unknownTrunkNamesHaveNoLimits() {
    permit(controller.admit(call(SRC, "no-such-trunk", NO_RULE_LIMIT))).release();
  }

  @Test
  void countsRejectionsAndTellsTheListener() {
    LimitsRef rule = new LimitsRef("rule:r", 1, 0, 0);
    permit(controller.admit(call(SRC, null, rule)));
    controller.admit(call(SRC, null, rule));
    controller.admit(call(SRC, null, rule));
    assertThat(controller.rejections(Reason.CONCURRENT_CALLS, Scope.RULE)).isEqualTo(2);
    assertThat(controller.rejections(Reason.CONCURRENT_CALLS, Scope.TRUNK)).isZero();
    assertThat(heard).hasSize(2).allSatisfy(r -> assertThat(r.name()).isEqualTo("r"));
  }

  @Test
  void responsesAreConfigurablePerReason() {
    AdmissionController custom = AdmissionController.builder(policy(dir, LIMITED)).ticker(time)
        .responses(AdmissionResponses.DEFAULTS.with(Reason.CONCURRENT_CALLS,
            RejectionResponse.of(486, "Busy Here")))
        .build();
    LimitsRef rule = new LimitsRef("rule:r", 1, 0, 0);
    permit(custom.admit(call(SRC, null, rule)));
    Admission.Rejected r = rejected(custom.admit(call(SRC, null, rule)));
    assertThat(r.sipCode()).isEqualTo(486);
    assertThat(r.retryAfter()).isEmpty();
    assertThat(r.toReject("r")).isEqualTo(new PolicyDecision.Reject(486, "Busy Here", "r", Map.of()));
  }

  @Test
  void rejectionConvertsToAPolicyRejectWithRetryAfter() {
    LimitsRef rule = new LimitsRef("rule:r", 1, 0, 0);
    permit(controller.admit(call(SRC, null, rule)));
    assertThat(rejected(controller.admit(call(SRC, null, rule))).toReject("r")).isEqualTo(
        new PolicyDecision.Reject(503, "Service Unavailable", "r", Map.of("Retry-After", "5")));
  }

  @Test
  void callsAdmittedBeforeAReloadStillCountAfterIt() {
    LimitsRef rule = new LimitsRef("rule:r", 2, 0, 0);
    CallPermit old1 = permit(controller.admit(call(SRC, "carrier", rule)));
    CallPermit old2 = permit(controller.admit(call(SRC, "carrier", rule)));

    AdmissionController next = AdmissionController.builder(policy(dir, LIMITED)).ticker(time)
        .previous(controller).build();
    assertThat(rejected(next.admit(call(SRC, "carrier", rule))).scope()).isEqualTo(Scope.RULE);
    old1.release();
    CallPermit fresh = permit(next.admit(call(SRC, "carrier", rule)));
    old2.release();
    fresh.release();
    assertThat(next.usage()).allSatisfy(u -> assertThat(u.inUse()).isZero());
  }
}
