package io.edgesbc.policy;

import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or plain seconds. */
public final class DurationValues {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

  private DurationValues() {}

  public static Optional<Duration> read(Node node, String what, Duration min, Duration max, Problems problems) {
    if (!(node instanceof ScalarNode s)
        || (s.kind() != ScalarNode.Kind.STRING && s.kind() != ScalarNode.Kind.INTEGER)) {
      problems.add(node, what + " must be a duration like 30s, got " + node.describe());
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(s.text());
    if (!m.matches()) {
      problems.add(node, what + " must be a duration like 500ms, 30s, 5m or 1h, got '" + s.text() + "'");
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problems.add(node, what + " must be between " + pretty(min) + " and " + pretty(max)
          + ", got '" + s.text() + "'");
      return Optional.empty();
    }
    return Optional.of(d);
  }

  private static String pretty(Duration d) {
    return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
  }
}
