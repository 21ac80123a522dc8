package io.edgesbc.policy.admission;

/** Which limit refused: the one of a rule, of a trunk, of the whole policy, or of a source. */
public enum Scope {
  RULE,
  TRUNK,
  GLOBAL,
  /** The flood guard's per-source-address limit. */
  SOURCE
}
