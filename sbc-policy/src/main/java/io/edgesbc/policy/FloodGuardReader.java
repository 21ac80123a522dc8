package io.edgesbc.policy;

import io.edgesbc.policy.match.CidrBlock;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.Values;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code flood_guard: {requests_per_second, burst, ban_for, exempt_trunks, exempt}}.
 * Only the rate is required: the defaults (burst of two seconds' worth, a 60 s ban, trunks exempt)
 * suit a public-facing SBC.
 */
final class FloodGuardReader {

  private static final List<String> KEYS =
      List.of("requests_per_second", "burst", "ban_for", "exempt_trunks", "exempt");
  static final Duration DEFAULT_BAN = Duration.ofSeconds(60);

  private FloodGuardReader() {}

  static Optional<FloodGuardSettings> read(Node node, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "'flood_guard'", KEYS, problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    int before = problems.count();
    Optional<Double> rate = f.required("requests_per_second")
        .flatMap(n -> Values.number(n, "'requests_per_second'", 0.1,
            1_000_000, problems));
    Optional<Integer> burst = f.integer("burst", 1, 10_000_000);
    Duration banFor = f.node("ban_for").flatMap(n -> DurationValues.read(n, "'ban_for'",
        Duration.ofSeconds(1), Duration.ofHours(24), problems)).orElse(DEFAULT_BAN);
    boolean exemptTrunks = f.bool("exempt_trunks").orElse(true);
    List<CidrBlock> exempt = f.node("exempt").map(n -> TrunkReader.cidrs(n, problems))
        .orElse(List.of());
    if (rate.isEmpty() || problems.count() != before) {
      return Optional.empty();
    }
    // Registrations and retransmissions arrive in clumps, so allow two seconds' worth by default.
    int effectiveBurst = burst.orElse((int) Math.max(1, Math.ceil(2 * rate.get())));
    return Optional.of(new FloodGuardSettings(rate.get(), effectiveBurst, banFor, exemptTrunks,
        exempt));
  }
}
