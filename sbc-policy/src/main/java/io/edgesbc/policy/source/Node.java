package io.edgesbc.policy.source;

/** A YAML value that remembers where it was written. */
public sealed interface Node permits MapNode, ListNode, ScalarNode {

  /** Where the value starts (for a mapping or list: its first token). */
  Position position();

  /** A short noun for error messages, e.g. "a mapping" or "an integer". */
  String describe();
}
