package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.Values;
import java.util.List;
import java.util.Optional;

/**
 * Reads one entry of {@code rules}: a name, an optional {@code match} (absent = every request),
 * and exactly one of {@code reject} or {@code route}. Treatment sections ({@code normalize},
 * {@code headers}, {@code codecs}, {@code media}, {@code limits}) only make sense on a route.
 */
final class RuleReader {

  private static final List<String> KEYS = List.of("name", "match", "reject", "route",
      "normalize", "headers", "codecs", "media", "limits");
  private static final List<String> ROUTE_ONLY =
      List.of("normalize", "headers", "codecs", "media", "limits");

  private RuleReader() {}

  static void readAll(Node rulesNode, LoadContext ctx, List<CompiledRule> out) {
    Values.list(rulesNode, "'rules'", ctx.problems).ifPresent(list -> {
      for (Node item : list.items()) {
        readOne(item, ctx).ifPresent(out::add);
      }
    });
  }

  private static Optional<CompiledRule> readOne(Node item, LoadContext ctx) {
    Optional<Fields> fo = Fields.of(item, "rule", KEYS, ctx.problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    Optional<String> registered = f.required("name").flatMap(ctx.ruleNames::register);
    // Keep validating a rule with a bad name so its other mistakes are reported in the same run.
    String name = registered.orElse("?");
    int before = ctx.problems.count();
    MatchReader.Compiled match = f.node("match").map(n -> MatchReader.read(n, name, ctx))
        .orElse(MatchReader.Compiled.ANY);
    Optional<RuleAction> action = action(f, name, ctx);
    if (registered.isEmpty() || action.isEmpty() || ctx.problems.count() != before) {
      return Optional.empty();
    }
    return Optional.of(new CompiledRule(name, match.matcher(), match.keys(), action.get()));
  }

  private static Optional<RuleAction> action(Fields f, String name, LoadContext ctx) {
    boolean reject = f.has("reject");
    boolean route = f.has("route");
    if (reject == route) {
      if (reject) {
        ctx.problems.add(f.key("route").orElseThrow(), "rule '" + name + "' has both 'reject' and 'route'");
      } else {
        ctx.problems.add(f.map(), "rule '" + name + "' needs exactly one of 'reject' or 'route'");
      }
      return Optional.empty();
    }
    if (reject) {
      for (String key : ROUTE_ONLY) {
        f.key(key).ifPresent(k -> ctx.problems.add(k, "'" + key + "' has no effect on a reject rule"));
      }
      return RejectReader.read(f.node("reject").orElseThrow(), "'reject'", name, ctx.problems)
          .map(RejectAction::new);
    }
    NormalizeReader.Chains chains = f.node("normalize")
        .map(n -> NormalizeReader.read(n, ctx.problems)).orElse(NormalizeReader.Chains.NONE);
    HeaderRules headers = f.node("headers")
        .map(n -> HeaderRulesReader.read(n, ctx.problems)).orElse(HeaderRules.NONE);
    // Null when the rule does not say: the destination trunk's rules apply, else the defaults.
    CodecRules codecs = f.node("codecs")
        .map(n -> CodecRulesReader.read(n, ctx.problems)).orElse(null);
    MediaRules media = f.node("media")
        .map(n -> MediaRulesReader.read(n, ctx.problems)).orElse(null);
    checkCodecsNotBypassed(f, media, ctx.problems);
    LimitsRef limits = f.node("limits")
        .map(n -> LimitsReader.read(n, "rule:" + name, ctx.problems)).orElse(LimitsRef.NONE);
    return RouteReader.read(f.node("route").orElseThrow(), name, ctx).map(r -> new RouteAction(
        name, r.destination(), r.failoverCodes(), chains.requestUriUser(), chains.fromUser(),
        chains.toUser(), headers, codecs, media, limits, ctx.trunks));
  }

  /**
   * Codec rules edit the SDP on its way through the relay; with {@code mode: bypass} the SDP
   * passes unchanged, so both in one section (rule or trunk) is a contradiction.
   */
  static void checkCodecsNotBypassed(Fields f, MediaRules media, Problems problems) {
    if (media != null && media.mode() == MediaRules.Mode.BYPASS) {
      f.key("codecs").ifPresent(k -> problems.add(k, "'codecs' has no effect with 'media: {mode: bypass}'"
          + " (SDP passes unchanged)"));
    }
  }
}
