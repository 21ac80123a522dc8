package io.edgesbc.policy.route;

import io.edgesbc.policy.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Orders a fixed target set for one call.
 *
 * <p>Within a priority the draw follows the DNS SRV idea: pick a target with probability
 * proportional to its weight, remove it, repeat. Weight-0 targets follow the weighted ones in file
 * order, so they act as a standby at that priority.
 */
public final class TargetOrder {

  /** How targets of equal priority are ordered. */
  public enum Balance {
    /** Weighted random within a priority (the default). */
    WEIGHTED,
    /** File order within a priority: deterministic, for "primary then backup" setups. */
    ORDERED
  }

  private final Target[] byPriority;
  private final Balance balance;
  private final List<Target> fixedOrder;
  private final boolean needsDraw;

  public TargetOrder(List<Target> targets, Balance balance) {
    this.byPriority = targets.toArray(Target[]::new);
    // Stable sort: equal priorities keep file order, which ORDERED and weight-0 targets rely on.
    Arrays.sort(byPriority, Comparator.comparingInt(Target::priority));
    this.balance = balance;
    this.fixedOrder = List.of(byPriority);
    this.needsDraw = balance == Balance.WEIGHTED && hasTieWithWeights(byPriority);
  }

  /** The targets as configured, sorted by priority only. */
  public List<Target> targets() {
    return fixedOrder;
  }

  public Balance balance() {
    return balance;
  }

  /** The order to try targets for one call. */
  public List<Target> order(RandomGenerator random) {
    if (!needsDraw) {
      return fixedOrder;
    }
    Target[] out = byPriority.clone();
    int start = 0;
    while (start < out.length) {
      int end = start;
      while (end < out.length && out[end].priority() == out[start].priority()) {
        end++;
      }
      shuffleByWeight(out, start, end, random);
      start = end;
    }
    return List.of(out);
  }

  /** Reorders {@code a[from, to)} in place by repeated weighted draws. */
  private static void shuffleByWeight(Target[] a, int from, int to, RandomGenerator random) {
    for (int i = from; i < to - 1; i++) {
      long total = 0;
      for (int j = i; j < to; j++) {
        total += a[j].weight();
      }
      if (total == 0) {
        return; // only standbys left: keep their file order
      }
      long r = random.nextLong(total);
      int pick = i;
      for (long acc = 0; pick < to; pick++) {
        acc += a[pick].weight();
        if (r < acc) {
          break;
        }
      }
      // Move the pick to i, shifting the others right so the remaining order stays stable.
      Target chosen = a[pick];
      System.arraycopy(a, i, a, i + 1, pick - i);
      a[i] = chosen;
    }
  }

  private static boolean hasTieWithWeights(Target[] sorted) {
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].priority() == sorted[i - 1].priority()) {
        return true;
      }
    }
    return false;
  }

  /** For diagnostics. */
  @Override
  public String toString() {
    return balance + " " + new ArrayList<>(fixedOrder);
  }
}
