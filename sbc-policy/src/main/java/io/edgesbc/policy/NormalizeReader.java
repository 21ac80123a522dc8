package io.edgesbc.policy;

import io.edgesbc.policy.rewrite.RewriteChain;
import io.edgesbc.policy.rewrite.RewriteStep;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.ListNode;
import io.edgesbc.policy.source.MapNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code normalize: {ruri_user: [steps], from_user: [steps], to_user: [steps]}}. Each step is
 * a one-key mapping: {@code regex: {match, replace}}, {@code add_prefix}, {@code strip_prefix},
 * {@code to_e164: {country_code, national_prefix, international_prefix}} or {@code from_e164}.
 */
final class NormalizeReader {

  /** The three rewritable user parts. */
  record Chains(RewriteChain requestUriUser, RewriteChain fromUser, RewriteChain toUser) {
    static final Chains NONE = new Chains(RewriteChain.NONE, RewriteChain.NONE, RewriteChain.NONE);
  }

  private static final List<String> KEYS = List.of("ruri_user", "from_user", "to_user");
  private static final List<String> STEPS =
      List.of("regex", "add_prefix", "strip_prefix", "to_e164", "from_e164");
  private static final List<String> REGEX_KEYS = List.of("match", "replace");
  private static final List<String> E164_KEYS =
      List.of("country_code", "national_prefix", "international_prefix");
  private static final Pattern COUNTRY_CODE = Pattern.compile("[1-9][0-9]{0,2}");
  private static final Pattern DIAL_PREFIX = Pattern.compile("[0-9]{0,4}");

  private NormalizeReader() {}

  static Chains read(Node node, Problems problems) {
    Optional<Fields> fo = Fields.of(node, "'normalize'", KEYS, problems);
    if (fo.isEmpty()) {
      return Chains.NONE;
    }
    Fields f = fo.get();
    return new Chains(chain(f, "ruri_user", problems), chain(f, "from_user", problems),
        chain(f, "to_user", problems));
  }

  private static RewriteChain chain(Fields f, String key, Problems problems) {
    Optional<ListNode> list = f.list(key);
    if (list.isEmpty()) {
      return RewriteChain.NONE;
    }
    List<RewriteStep> steps = new ArrayList<>();
    for (Node item : list.get().items()) {
      step(item, problems).ifPresent(steps::add);
    }
    return new RewriteChain(steps);
  }

  private static Optional<RewriteStep> step(Node item, Problems problems) {
    if (!(item instanceof MapNode map) || map.entries().size() != 1) {
      problems.add(item, "a normalize step must be a mapping with one key, one of: "
          + String.join(", ", STEPS));
      return Optional.empty();
    }
    MapNode.Entry e = map.entries().get(0);
    Node value = e.value();
    switch (e.name()) {
      case "add_prefix":
        return Values.text(value, "'add_prefix'", problems).map(RewriteStep.AddPrefix::new);
      case "strip_prefix":
        return Values.text(value, "'strip_prefix'", problems).map(RewriteStep.StripPrefix::new);
      case "regex":
        return regex(value, problems);
      case "to_e164":
      case "from_e164":
        return e164(e.name(), value, problems);
      default:
        problems.add(e.key(), "unknown normalize step '" + e.name() + "' (expected one of: "
            + String.join(", ", STEPS) + ")");
        return Optional.empty();
    }
  }

  private static Optional<RewriteStep> regex(Node value, Problems problems) {
    Optional<Fields> fo = Fields.of(value, "'regex' step", REGEX_KEYS, problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    Optional<Pattern> pattern = f.required("match")
        .flatMap(n -> RegexValues.compile(n, "'match'", 0, problems));
    // An empty replacement is legitimate (delete what matched), so read it leniently.
    Optional<String> replace = f.required("replace").flatMap(n ->
        n instanceof ScalarNode s && s.isNull()
            ? Optional.of("") : Values.text(n, "'replace'", problems));
    if (pattern.isEmpty() || replace.isEmpty()) {
      return Optional.empty();
    }
    int groups = pattern.get().matcher("").groupCount();
    int referenced = RewriteStep.RegexReplace.highestGroupReference(replace.get());
    if (referenced > groups) {
      problems.add(f.node("replace").orElseThrow(), "replacement refers to group $" + referenced
          + " but the pattern has " + groups + " group(s)");
      return Optional.empty();
    }
    return Optional.of(new RewriteStep.RegexReplace(pattern.get(), replace.get()));
  }

  private static Optional<RewriteStep> e164(String kind, Node value, Problems problems) {
    Optional<Fields> fo = Fields.of(value, "'" + kind + "' step", E164_KEYS, problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    int before = problems.count();
    String cc = f.requiredText("country_code").orElse(null);
    if (cc != null && !COUNTRY_CODE.matcher(cc).matches()) {
      problems.add(f.node("country_code").orElseThrow(),
          "country_code must be 1-3 digits without '+', got '" + cc + "'");
    }
    String national = dialPrefix(f, "national_prefix", "0", problems);
    String international = dialPrefix(f, "international_prefix", "00", problems);
    if (problems.count() != before) {
      return Optional.empty();
    }
    return Optional.of(kind.equals("to_e164")
        ? new RewriteStep.ToE164(cc, national, international)
        : new RewriteStep.FromE164(cc, national, international));
  }

  private static String dialPrefix(Fields f, String key, String dflt, Problems problems) {
    Optional<Node> n = f.node(key);
    if (n.isEmpty()) {
      return dflt;
    }
    // Empty means "this country has no such prefix" (e.g. no trunk prefix in North America).
    if (n.get() instanceof ScalarNode s && (s.isNull() || s.text().isEmpty())) {
      return "";
    }
    String text = Values.text(n.get(), "'" + key + "'", problems).orElse(dflt);
    if (!DIAL_PREFIX.matcher(text).matches()) {
      problems.add(n.get(), key + " must be up to 4 digits, got '" + text + "'");
    }
    return text;
  }
}
