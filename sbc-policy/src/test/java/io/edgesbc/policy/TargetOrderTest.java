package io.edgesbc.policy;

import static io.edgesbc.policy.PolicyFixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.route.TargetOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetOrderTest {

  @TempDir Path dir;

  private static final Target A = new Target("sip:a.example", 1, 70);
  private static final Target B = new Target("sip:b.example", 1, 30);
  private static final Target C = new Target("sip:c.example", 2, 1);
  private static final Target STANDBY = new Target("sip:standby.example", 1, 0);

  /** A generator that always returns the given draws (for nextLong(bound)), in order. */
  private static RandomGenerator draws(long... values) {
    return new RandomGenerator() {
      private int i;

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public long nextLong(long bound) {
        long v = values[i++];
        assertThat(v).isLessThan(bound);
        return v;
      }
    };
  }

  @Test
  void lowerPriorityValueComesFirstWhateverTheFileOrder() {
    TargetOrder order = new TargetOrder(List.of(C, A), TargetOrder.Balance.WEIGHTED);
    // A single target per priority needs no draw; the generator would throw if asked.
    assertThat(order.order(draws())).containsExactly(A, C);
  }

  @Test
  void weightedDrawPicksByCumulativeWeight() {
    TargetOrder order = new TargetOrder(List.of(A, B, C), TargetOrder.Balance.WEIGHTED);
    // Draw in [0,100): below 70 picks A, 70 and above picks B; C is alone at priority 2.
    assertThat(order.order(draws(69))).containsExactly(A, B, C);
    assertThat(order.order(draws(70))).containsExactly(B, A, C);
  }

  @Test
  void zeroWeightIsStandbyWithinItsPriority() {
    TargetOrder order = new TargetOrder(List.of(STANDBY, A, B), TargetOrder.Balance.WEIGHTED);
    assertThat(order.order(draws(99, 0))).containsExactly(B, A, STANDBY);
  }

  @Test
  void orderedBalanceKeepsFileOrderWithinPriority() {
    TargetOrder order = new TargetOrder(List.of(C, B, A), TargetOrder.Balance.ORDERED);
    assertThat(order.order(draws())).containsExactly(B, A, C);
  }

  @Test
  void shareFollowsWeightsOverManyCalls() {
    TargetOrder order = new TargetOrder(List.of(A, B, C), TargetOrder.Balance.WEIGHTED);
    RandomGenerator random = seeded(42);
    Map<Target, Integer> first = new HashMap<>();
    int calls = 10_000;
    for (int i = 0; i < calls; i++) {
      List<Target> o = order.order(random);
      first.merge(o.get(0), 1, Integer::sum);
      assertThat(o.get(2)).isEqualTo(C);
    }
    assertThat(first.get(A) / (double) calls).isBetween(0.67, 0.73);
    assertThat(first.get(B) / (double) calls).isBetween(0.27, 0.33);
  }

  @Test
  void everyOrderIsAPermutationSortedByPriority() {
    List<Target> targets = new ArrayList<>();
    RandomGenerator setup = seeded(7);
    for (int i = 0; i < 12; i++) {
      targets.add(new Target("sip:t" + i + ".example", setup.nextInt(3), setup.nextInt(4)));
    }
    TargetOrder order = new TargetOrder(targets, TargetOrder.Balance.WEIGHTED);
    for (long seed = 0; seed < 500; seed++) {
      List<Target> o = order.order(seeded(seed));
      assertThat(o).containsExactlyInAnyOrderElementsOf(targets);
      for (int i = 1; i < o.size(); i++) {
        assertThat(o.get(i).priority()).isGreaterThanOrEqualTo(o.get(i - 1).priority());
        if (o.get(i).priority() == o.get(i - 1).priority() && o.get(i - 1).weight() == 0) {
          assertThat(o.get(i).weight()).as("weight-0 targets come last in their priority").isZero();
        }
      }
    }
  }

  @Test
  void policyUsesInjectedRandomForRepeatableOrders() {
    Policy p = PolicyFixtures.policy(dir, """
        rules:
          - name: lb
            route:
              targets:
                - {uri: "sip:a.example", weight: 70}
                - {uri: "sip:b.example", weight: 30}
                - {uri: "sip:c.example", priority: 2}
        """);
    RequestView v = PolicyFixtures.fromPbx("1").build();
    PolicyDecision.Route first = (PolicyDecision.Route) p.decide(v, draws(75));
    assertThat(first.targets()).extracting(Target::uri)
        .containsExactly("sip:b.example", "sip:a.example", "sip:c.example");
    assertThat(first.trunk()).isNull();
    assertThat(((PolicyDecision.Route) p.decide(v, seeded(1))).targets())
        .isEqualTo(((PolicyDecision.Route) p.decide(v, seeded(1))).targets());
  }
}
