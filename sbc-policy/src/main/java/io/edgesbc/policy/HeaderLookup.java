package io.edgesbc.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the values of a named request header. Names are case-insensitive, as in SIP; the B2BUA
 * supplies an implementation backed by its own message object so nothing is copied per request.
 */
@FunctionalInterface
public interface HeaderLookup {

  /** A lookup with no headers at all. */
  HeaderLookup NONE = name -> List.of();

  /**
   * Every value of header {@code name}, in message order; an empty list if the header is absent.
   * Implementations must match names case-insensitively. Compact header forms (e.g. {@code f} for
   * {@code From}) are the caller's concern.
   */
  List<String> values(String name);

  /** A lookup over a fixed map, mainly for tests and tools. */
  static HeaderLookup of(Map<String, List<String>> headers) {
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    // Two keys differing only in case are the same header: keep both value lists, in order.
    headers.forEach((k, v) -> copy.merge(k, List.copyOf(v), (a, b) -> {
      List<String> all = new ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    }));
    return name -> copy.getOrDefault(name, List.of());
  }
}
