package io.edgesbc.policy;

import io.edgesbc.policy.match.CidrBlock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Per-source request-rate limit with a temporary ban, as data from the {@code flood_guard}
 * section. Enforced by {@link io.edgesbc.policy.admission.FloodGuard}.
 *
 * @param requestsPerSecond sustained rate allowed from one source address, all methods together
 * @param burst requests a quiet source may send at once
 * @param banFor how long a source that exceeded the rate is refused entirely
 * @param exemptTrunks whether the {@code from} blocks of every trunk are exempt: carriers and PBXs
 *     legitimately aggregate many users behind one address
 * @param exempt further exempt address blocks
 */
public record FloodGuardSettings(double requestsPerSecond, int burst, Duration banFor,
    boolean exemptTrunks, List<CidrBlock> exempt) {

  public FloodGuardSettings {
    if (!(requestsPerSecond > 0)) {
      throw new IllegalArgumentException("requestsPerSecond must be positive: " + requestsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1: " + burst);
    }
    Objects.requireNonNull(banFor, "banFor");
    if (banFor.isNegative() || banFor.isZero()) {
      throw new IllegalArgumentException("banFor must be positive: " + banFor);
    }
    exempt = List.copyOf(exempt);
  }
}
