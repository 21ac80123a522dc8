package io.edgesbc.policy;

import io.edgesbc.policy.prefix.PrefixTable;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Position;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import io.edgesbc.policy.source.YamlTreeReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and validates a set of rule files into a {@link Policy}.
 *
 * <p>Files are merged in the order given: their rules are concatenated in that order, and names
 * (trunks, rules, prefix tables) must be unique across the set. Loading never stops at the first
 * problem; the result lists every error found. Loading has no side effects, so a future hot
 * reload can simply call it again and swap in the new policy if the result is {@link
 * LoadResult.Ok}.
 */
public final class PolicyLoader {

  private static final List<String> TOP_KEYS =
      List.of("version", "no_match", "limits", "flood_guard", "trunks", "prefix_tables", "rules");
  private static final PolicyDecision.Reject DEFAULT_NO_MATCH =
      new PolicyDecision.Reject(403, "No matching rule", Policy.NO_MATCH_RULE, Map.of());

  private PolicyLoader() {}

  /** A parsed file's top-level sections. */
  private record SourceFile(Path path, Fields top) {}

  public static LoadResult load(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("at least one policy file is required");
    }
    LoadContext ctx = new LoadContext();
    List<SourceFile> sources = new ArrayList<>();
    for (Path file : files) {
      parse(file, ctx).ifPresent(sources::add);
    }
    String version = singleton(sources, "version", ctx)
        .flatMap(n -> Values.text(n, "'version'", ctx.problems)).orElse(null);
    PolicyDecision.Reject noMatch = singleton(sources, "no_match", ctx)
        .flatMap(n -> RejectReader.read(n, "'no_match'", Policy.NO_MATCH_RULE, ctx.problems))
        .orElse(DEFAULT_NO_MATCH);
    LimitsRef globalLimits = singleton(sources, "limits", ctx)
        .map(n -> LimitsReader.read(n, LimitsRef.GLOBAL_KEY, ctx.problems)).orElse(LimitsRef.NONE);
    FloodGuardSettings floodGuard = singleton(sources, "flood_guard", ctx)
        .flatMap(n -> FloodGuardReader.read(n, ctx.problems)).orElse(null);

    // Definitions first, from every file, so rules may refer to trunks defined in a later file.
    for (SourceFile s : sources) {
      s.top().node("trunks").ifPresent(n -> TrunkReader.readAll(n, ctx));
    }
    for (SourceFile s : sources) {
      s.top().node("prefix_tables").ifPresent(n -> PrefixTableReader.readAll(n, s.path(), ctx));
    }
    List<CompiledRule> rules = new ArrayList<>();
    for (SourceFile s : sources) {
      s.top().node("rules").ifPresent(n -> RuleReader.readAll(n, ctx, rules));
    }

    if (!ctx.problems.isEmpty()) {
      return new LoadResult.Failed(sortedErrors(ctx.problems, files));
    }
    int prefixes = ctx.tables.values().stream().mapToInt(PrefixTable::size).sum();
    PolicySummary summary = new PolicySummary(files.size(), ctx.trunks.size(), rules.size(),
        ctx.tables.size(), prefixes, HexFormat.of().formatHex(ctx.digest.digest()), version);
    return new LoadResult.Ok(new Policy(rules, noMatch, ctx.trunks, globalLimits, floodGuard, summary,
        List.copyOf(ctx.files)), summary);
  }

  private static Optional<SourceFile> parse(Path file, LoadContext ctx) {
    byte[] bytes;
    ctx.files.add(file);
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      ctx.problems.add(new Position(file, 1, 1), "cannot read file: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
      return Optional.empty();
    }
    ctx.digest.update(bytes);
    ctx.digest.update((byte) 0); // file separator: "ab"+"c" must not hash like "a"+"bc"
    return YamlTreeReader.read(file, bytes, ctx.problems)
        .flatMap(root -> Fields.of(root, "policy file", TOP_KEYS, ctx.problems))
        .map(top -> new SourceFile(file, top));
  }

  /** A top-level setting that at most one file of the set may define. */
  private static Optional<Node> singleton(List<SourceFile> sources, String key, LoadContext ctx) {
    Node first = null;
    for (SourceFile s : sources) {
      Optional<ScalarNode> k = s.top().key(key);
      if (k.isEmpty()) {
        continue;
      }
      if (first == null) {
        first = s.top().node(key).orElseThrow();
      } else {
        ctx.problems.add(k.get(), "'" + key + "' is already set at " + first.position());
      }
    }
    return Optional.ofNullable(first);
  }

  /** Errors in file order (as given, then referenced CSVs), then by line and column. */
  private static List<PolicyError> sortedErrors(Problems problems, List<Path> files) {
    Map<Path, Integer> rank = new LinkedHashMap<>();
    for (Path f : files) {
      rank.putIfAbsent(f, rank.size());
    }
    for (Problems.Problem p : problems.all()) {
      rank.putIfAbsent(p.position().file(), rank.size());
    }
    return problems.all().stream()
        .sorted(Comparator.<Problems.Problem>comparingInt(p -> rank.get(p.position().file()))
            .thenComparingInt(p -> p.position().line())
            .thenComparingInt(p -> p.position().column()))
        .map(p -> new PolicyError(p.position().file(), p.position().line(), p.position().column(),
            p.message()))
        .toList();
  }
}
