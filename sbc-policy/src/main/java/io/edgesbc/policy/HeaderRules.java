package io.edgesbc.policy;

import java.util.List;
import java.util.Set;

/**
 * Header manipulation for the outgoing leg, applied by the B2BUA in this order: {@code passOnly}
 * (if not empty, drop every non-essential header not listed), {@code remove}, {@code replace},
 * then {@code add}. Header names are stored lower-case.
 */
public record HeaderRules(
    List<String> remove, List<Header> add, List<Header> replace, Set<String> passOnly) {

  /** A header name and the literal value to set. */
  public record Header(String name, String value) {}

  public static final HeaderRules NONE = new HeaderRules(List.of(), List.of(), List.of(), Set.of());

  public HeaderRules {
    remove = List.copyOf(remove);
    add = List.copyOf(add);
    replace = List.copyOf(replace);
    passOnly = Set.copyOf(passOnly);
  }
}
