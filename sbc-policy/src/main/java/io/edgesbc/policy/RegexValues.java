package io.edgesbc.policy;

import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.Values;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Compiles regular expressions at load time, reporting syntax errors at the pattern's position. */
final class RegexValues {

  private RegexValues() {}

  static Optional<Pattern> compile(Node node, String what, int flags, Problems problems) {
    return Values.text(node, what, problems).flatMap(text -> {
      try {
        return Optional.of(Pattern.compile(text, flags));
      } catch (PatternSyntaxException e) {
        problems.add(node, "bad regex '" + text + "': " + e.getDescription()
            + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        return Optional.empty();
      }
    });
  }
}
