package io.edgesbc.policy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An immutable, validated rule set. Safe to share between threads; a reload builds a new
 * instance and swaps the reference, so in-flight decisions finish on the old one.
 *
 * <p>Rules are tried in file order (files in the order given to the loader) and the first match
 * decides. A {@link RuleIndex} built at load finds that rule without trying every rule before it.
 * {@code decide} performs no I/O and allocates only the decision itself (plus a target
 * list when a weighted draw is needed).
 */
public final class Policy {

  /** Rule name reported when no rule matched. */
  public static final String NO_MATCH_RULE = "<no_match>";

  private final CompiledRule[] rules;
  private final RuleIndex index;
  private final PolicyDecision.Reject noMatch;
  private final Map<String, Trunk> trunks;
  private final LimitsRef globalLimits;
  private final FloodGuardSettings floodGuard;
  private final PolicySummary summary;
  private final List<Path> sourceFiles;
  /** Trunks that requests can come from (with {@code from} blocks), in definition order. */
  private final Trunk[] sourceTrunks;

  Policy(List<CompiledRule> rules, PolicyDecision.Reject noMatch, Map<String, Trunk> trunks,
      LimitsRef globalLimits, FloodGuardSettings floodGuard, PolicySummary summary,
      List<Path> sourceFiles) {
    this.rules = rules.toArray(CompiledRule[]::new);
    this.index = new RuleIndex(this.rules);
    this.noMatch = Objects.requireNonNull(noMatch, "noMatch");
    this.trunks = Map.copyOf(trunks);
    this.sourceTrunks = trunks.values().stream().filter(t -> !t.from().isEmpty()).toArray(Trunk[]::new);
    this.globalLimits = Objects.requireNonNull(globalLimits, "globalLimits");
    this.floodGuard = floodGuard;
    this.summary = Objects.requireNonNull(summary, "summary");
    this.sourceFiles = List.copyOf(sourceFiles);
  }

  /** Decides with a per-thread random source for weighted target ordering. */
  public PolicyDecision decide(RequestView view) {
    return decide(view, ThreadLocalRandomGenerator.INSTANCE);
  }

  /** Decides with the given random source (tests pass a seeded one for repeatable orders). */
  public PolicyDecision decide(RequestView view, RandomGenerator random) {
    int first = index.firstMatch(view);
    return first < 0 ? noMatch : rules[first].action().decide(view, random);
  }

  /** The same decision by trying every rule in order: the reference the index is tested against. */
  PolicyDecision decideByScan(RequestView view, RandomGenerator random) {
    for (CompiledRule rule : rules) {
      PolicyDecision d = rule.decideIfMatches(view, random);
      if (d != null) {
        return d;
      }
    }
    return noMatch;
  }

  /**
   * The trunk a request from {@code address} on {@code realm} comes from: of the trunks whose realm
   * and {@code from} blocks hold it, the one with the longest (most specific) block, the first
   * defined on a tie; null when none does. For labels (metrics, CDRs); rules match trunks with
   * {@code match: {trunk: ...}}, which accepts any trunk that holds the address.
   */
  public String sourceTrunk(InetAddress address, String realm) {
    String best = null;
    int bestLength = -1;
    for (Trunk t : sourceTrunks) {
      int length = t.sourceMatch(address, realm);
      if (length > bestLength) {
        best = t.name();
        bestLength = length;
      }
    }
    return best;
  }

  /** Trunks by name, e.g. for the OPTIONS pinger. */
  public Map<String, Trunk> trunks() {
    return trunks;
  }

  /** Limits over all calls (top-level {@code limits:}), {@link LimitsRef#NONE} when absent. */
  public LimitsRef globalLimits() {
    return globalLimits;
  }

  /** The per-source flood guard settings, empty when the policy has no {@code flood_guard}. */
  public Optional<FloodGuardSettings> floodGuard() {
    return Optional.ofNullable(floodGuard);
  }

  /** Rule names in evaluation order. */
  public List<String> ruleNames() {
    return Arrays.stream(rules).map(CompiledRule::name).toList();
  }

  /** The decision returned when no rule matches. */
  public PolicyDecision.Reject noMatchDecision() {
    return noMatch;
  }

  public PolicySummary summary() {
    return summary;
  }

  /** The files this policy was read from: the rule files, then the prefix CSVs they name. */
  public List<Path> sourceFiles() {
    return sourceFiles;
  }
}
