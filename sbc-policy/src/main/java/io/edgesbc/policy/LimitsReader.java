package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code limits: {concurrent_calls, calls_per_second, burst}} of a rule, a trunk or the whole
 * policy into data; enforcement belongs to {@link io.edgesbc.policy.admission.AdmissionController}.
 */
final class LimitsReader {

  private static final List<String> KEYS = List.of("concurrent_calls", "calls_per_second", "burst");

  private LimitsReader() {}

  /**
   * @param key counter-set key, {@code rule:NAME}, {@code trunk:NAME} or {@code global}
   */
  static LimitsRef read(Node node, String key, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "'limits'", KEYS, problems);
    if (fo.isEmpty()) {
      return LimitsRef.NONE;
    }
    Fields f = fo.get();
    if (f.map().entries().isEmpty()) {
      problems.add(node, "'limits' needs 'concurrent_calls' and/or 'calls_per_second'");
      return LimitsRef.NONE;
    }
    int concurrent = f.integer("concurrent_calls", 1, 1_000_000).orElse(0);
    double cps = f.number("calls_per_second", 0.01, 100_000).orElse(0.0);
    Optional<Integer> burst = f.integer("burst", 1, 1_000_000);
    if (burst.isPresent() && !f.has("calls_per_second")) {
      problems.add(f.key("burst").orElseThrow(), "'burst' needs 'calls_per_second'");
    }
    // Without an explicit burst, allow one second's worth of calls at once (at least one).
    int effectiveBurst = cps == 0 ? 0 : burst.orElse((int) Math.max(1, Math.ceil(cps)));
    return new LimitsRef(key, concurrent, cps, effectiveBurst);
  }
}
