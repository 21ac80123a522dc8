package io.edgesbc.policy.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converts nodes to Java values, reporting a wrong type at the value's own position.
 *
 * <p>Every method returns empty both when it reported a problem and, for nullable inputs, never
 * otherwise; callers therefore never report the same mistake twice.
 */
public final class Values {

  private Values() {}

  /** Any non-empty scalar, as written (numbers and booleans keep their text). */
  public static Optional<String> text(Node node, String what, Problems problems) {
    if (node instanceof ScalarNode s && !s.isNull()) {
      if (s.text().isEmpty()) {
        problems.add(node, what + " must not be empty");
        return Optional.empty();
      }
      return Optional.of(s.text());
    }
    problems.add(node, what + " must be a string, got " + node.describe());
    return Optional.empty();
  }

  /** A decimal integer within {@code [min, max]}. Quoted numbers are rejected: the type matters. */
  public static Optional<Integer> integer(Node node, String what, int min, int max, Problems problems) {
    if (!(node instanceof ScalarNode s) || s.kind() != ScalarNode.Kind.INTEGER) {
      problems.add(node, what + " must be an integer, got " + node.describe());
      return Optional.empty();
    }
    long value;
    try {
      // Only plain decimal: YAML also allows 0x1F or 1_000, which read badly in a policy file.
      value = Long.parseLong(s.text());
    } catch (NumberFormatException e) {
      problems.add(node, what + " must be a decimal integer, got '" + s.text() + "'");
      return Optional.empty();
    }
    if (value < min || value > max) {
      problems.add(node, what + " must be between " + min + " and " + max + ", got " + value);
      return Optional.empty();
    }
    return Optional.of((int) value);
  }

  /** A positive number (integer or decimal) within {@code [min, max]}. */
  public static Optional<Double> number(Node node, String what, double min, double max, Problems problems) {
    if (!(node instanceof ScalarNode s)
        || (s.kind() != ScalarNode.Kind.INTEGER && s.kind() != ScalarNode.Kind.DECIMAL)) {
      problems.add(node, what + " must be a number, got " + node.describe());
      return Optional.empty();
    }
    double value;
    try {
      value = Double.parseDouble(s.text());
    } catch (NumberFormatException e) {
      problems.add(node, what + " must be a plain number, got '" + s.text() + "'");
      return Optional.empty();
    }
    if (!(value >= min && value <= max)) {
      problems.add(node, what + " must be between " + fmt(min) + " and " + fmt(max) + ", got " + s.text());
      return Optional.empty();
    }
    return Optional.of(value);
  }

  public static Optional<Boolean> bool(Node node, String what, Problems problems) {
    if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.BOOLEAN) {
      return Optional.of(Boolean.parseBoolean(s.text()) || s.text().equalsIgnoreCase("yes")
          || s.text().equalsIgnoreCase("on"));
    }
    problems.add(node, what + " must be true or false, got " + node.describe());
    return Optional.empty();
  }

  /**
   * A single scalar or a list of scalars, as the positioned scalars themselves so callers can
   * point at the one bad item. Reports and returns empty if the shape is wrong.
   */
  public static Optional<List<ScalarNode>> scalars(Node node, String what, Problems problems) {
    if (node instanceof ScalarNode s) {
      if (s.isNull() || s.text().isEmpty()) {
        problems.add(node, what + " must not be empty");
        return Optional.empty();
      }
      return Optional.of(List.of(s));
    }
    if (node instanceof ListNode list) {
      if (list.items().isEmpty()) {
        problems.add(node, what + " must not be an empty list");
        return Optional.empty();
      }
      List<ScalarNode> out = new ArrayList<>();
      boolean ok = true;
      for (Node item : list.items()) {
        if (item instanceof ScalarNode s && !s.isNull() && !s.text().isEmpty()) {
          out.add(s);
        } else {
          problems.add(item, "each item of " + what + " must be a string, got " + item.describe());
          ok = false;
        }
      }
      return ok ? Optional.of(out) : Optional.empty();
    }
    problems.add(node, what + " must be a string or a list of strings, got " + node.describe());
    return Optional.empty();
  }

  public static Optional<ListNode> list(Node node, String what, Problems problems) {
    if (node instanceof ListNode l) {
      return Optional.of(l);
    }
    problems.add(node, what + " must be a list, got " + node.describe());
    return Optional.empty();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
