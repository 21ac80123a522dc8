package io.edgesbc.policy.source;

import java.util.List;
import java.util.Optional;

/** A YAML mapping with string keys, in document order. Keys are unique (the reader enforces it). */
public record MapNode(Position position, List<Entry> entries) implements Node {

  /** One key/value pair; the key keeps its own position so "unknown key" errors point at it. */
  public record Entry(ScalarNode key, Node value) {
    public String name() {
      return key.text();
    }
  }

  public MapNode {
    entries = List.copyOf(entries);
  }

  public Optional<Entry> entry(String name) {
    for (Entry e : entries) {
      if (e.name().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public String describe() {
    return "a mapping";
  }
}
