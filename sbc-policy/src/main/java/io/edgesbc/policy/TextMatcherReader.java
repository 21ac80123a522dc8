package io.edgesbc.policy;

import io.edgesbc.policy.match.TextMatcher;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.MapNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a string condition: {@code {prefix: ...}}, {@code {exact: ...}} or {@code {regex: ...}}
 * (prefix and exact accept a list, meaning any of). A bare string or list is shorthand for exact.
 */
final class TextMatcherReader {

  static final List<String> KINDS = List.of("prefix", "exact", "regex");

  private TextMatcherReader() {}

  /**
   * @param ignoreCase true for host/domain values, which SIP compares case-insensitively
   */
  static Optional<TextMatcher> read(Node node, String what, boolean ignoreCase, Problems problems) {
    if (!(node instanceof MapNode)) {
      return Values.scalars(node, what, problems)
          .map(items -> new TextMatcher.Exact(texts(items), ignoreCase));
    }
    return Fields.of(node, what, KINDS, problems).flatMap(f -> fromFields(f, ignoreCase));
  }

  /**
   * Reads the one condition kind present in {@code f} (whose allowed keys include {@link #KINDS}).
   * Used both for standalone conditions and for header conditions that share the mapping.
   */
  static Optional<TextMatcher> fromFields(Fields f, boolean ignoreCase) {
    Problems problems = f.problems();
    long kinds = KINDS.stream().filter(f::has).count();
    if (kinds != 1) {
      problems.add(f.map(), f.context() + " needs exactly one of 'prefix', 'exact' or 'regex'");
      return Optional.empty();
    }
    if (f.has("prefix")) {
      return f.scalars("prefix").map(items -> new TextMatcher.Prefix(texts(items)));
    }
    if (f.has("exact")) {
      return f.scalars("exact").map(items -> new TextMatcher.Exact(texts(items), ignoreCase));
    }
    int flags = ignoreCase ? Pattern.CASE_INSENSITIVE : 0;
    return RegexValues.compile(f.node("regex").orElseThrow(), "'regex'", flags, problems)
        .map(TextMatcher.Regex::new);
  }

  private static List<String> texts(List<ScalarNode> items) {
    return items.stream().map(ScalarNode::text).toList();
  }
}
