package io.edgesbc.policy.source;

import java.util.List;
import java.util.Optional;

/**
 * Typed, position-aware access to the keys of one mapping.
 *
 * <p>Created through {@link #of}, which rejects keys outside the allowed set up front: a typo such
 * as {@code failover_code} must be an error, not a silently ignored setting.
 */
public final class Fields {

  private final MapNode map;
  private final String context;
  private final Problems problems;

  private Fields(MapNode map, String context, Problems problems) {
    this.map = map;
    this.context = context;
    this.problems = problems;
  }

  /**
   * Views {@code node} as a mapping whose keys must be among {@code allowed}.
   *
   * @param context what the mapping is, for messages ("rule 'pbx-out'", "route")
   * @return empty (after reporting) if the node is not a mapping
   */
  public static Optional<Fields> of(Node node, String context, List<String> allowed, Problems problems) {
    if (!(node instanceof MapNode map)) {
      problems.add(node, context + " must be a mapping, got " + node.describe());
      return Optional.empty();
    }
    for (MapNode.Entry e : map.entries()) {
      if (!allowed.contains(e.name())) {
        problems.add(e.key(), "unknown key '" + e.name() + "' in " + context
            + " (expected one of: " + String.join(", ", allowed) + ")");
      }
    }
    return Optional.of(new Fields(map, context, problems));
  }

  public MapNode map() {
    return map;
  }

  public String context() {
    return context;
  }

  public Problems problems() {
    return problems;
  }

  public boolean has(String key) {
    return map.entry(key).isPresent();
  }

  public Optional<Node> node(String key) {
    return map.entry(key).map(MapNode.Entry::value);
  }

  /** The key's own node, for errors about the key rather than its value. */
  public Optional<ScalarNode> key(String key) {
    return map.entry(key).map(MapNode.Entry::key);
  }

  /** Like {@link #node} but reports a missing key at the mapping's position. */
  public Optional<Node> required(String key) {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      problems.add(map, "missing required key '" + key + "' in " + context);
    }
    return n;
  }

  public Optional<String> text(String key) {
    return node(key).flatMap(n -> Values.text(n, "'" + key + "'", problems));
  }

  public Optional<String> requiredText(String key) {
    return required(key).flatMap(n -> Values.text(n, "'" + key + "'", problems));
  }

  public Optional<Integer> integer(String key, int min, int max) {
    return node(key).flatMap(n -> Values.integer(n, "'" + key + "'", min, max, problems));
  }

  public Optional<Double> number(String key, double min, double max) {
    return node(key).flatMap(n -> Values.number(n, "'" + key + "'", min, max, problems));
  }

  public Optional<Boolean> bool(String key) {
    return node(key).flatMap(n -> Values.bool(n, "'" + key + "'", problems));
  }

  public Optional<List<ScalarNode>> scalars(String key) {
    return node(key).flatMap(n -> Values.scalars(n, "'" + key + "'", problems));
  }

  public Optional<ListNode> list(String key) {
    return node(key).flatMap(n -> Values.list(n, "'" + key + "'", problems));
  }

  /** A nested mapping restricted to {@code allowed} keys. */
  public Optional<Fields> fields(String key, List<String> allowed) {
    return node(key).flatMap(n -> of(n, "'" + key + "' of " + context, allowed, problems));
  }
}
