package io.edgesbc.policy.source;

import java.util.Objects;

/**
 * A scalar with the YAML parser's guess at its type and its text exactly as written.
 *
 * <p>Keeping the raw text matters for telephone numbers: {@code 0044} must stay {@code "0044"}
 * even though YAML would happily read it as a number.
 */
public record ScalarNode(Position position, Kind kind, String text) implements Node {

  /** The type the YAML parser inferred for the scalar. */
  public enum Kind {
    STRING("a string"),
    INTEGER("an integer"),
    DECIMAL("a decimal number"),
    BOOLEAN("a boolean"),
    NULL("an empty value");

    private final String noun;

    Kind(String noun) {
      this.noun = noun;
    }
  }

  public ScalarNode {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  @Override
  public String describe() {
    return kind.noun;
  }
}
