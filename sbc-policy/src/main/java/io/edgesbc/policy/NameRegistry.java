package io.edgesbc.policy;

import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Position;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.Values;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks names of one kind (trunk, rule, prefix table) for syntax and uniqueness across the whole
 * file set. Names end up in logs and metric tags, hence the conservative character set.
 */
final class NameRegistry {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final String kind;
  private final Problems problems;
  private final Map<String, Position> seen = new HashMap<>();

  NameRegistry(String kind, Problems problems) {
    this.kind = kind;
    this.problems = problems;
  }

  /** Validates and records the name; empty (after reporting) if invalid or a duplicate. */
  Optional<String> register(Node nameNode) {
    Optional<String> name = Values.text(nameNode, kind + " name", problems);
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String n = name.get();
    if (!NAME.matcher(n).matches()) {
      problems.add(nameNode, "invalid " + kind + " name '" + n
          + "' (letters, digits, '_', '.', ':', '-'; at most 64 characters)");
      return Optional.empty();
    }
    Position first = seen.putIfAbsent(n, nameNode.position());
    if (first != null) {
      problems.add(nameNode, "duplicate " + kind + " name '" + n + "' (first defined at " + first + ")");
      return Optional.empty();
    }
    return name;
  }

  boolean contains(String name) {
    return seen.containsKey(name);
  }
}
