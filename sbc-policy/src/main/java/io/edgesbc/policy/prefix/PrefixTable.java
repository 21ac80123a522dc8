package io.edgesbc.policy.prefix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable map from digit prefixes to values (trunk names), answering longest-prefix queries.
 *
 * <p>Keys are decimal digits; a leading {@code +} on keys and looked-up numbers is ignored, so a
 * table written in E.164 matches both {@code +4420...} and {@code 4420...}. A lookup stops at the
 * first non-digit, which makes {@code 4420;npdi} behave like {@code 4420}.
 */
public final class PrefixTable {

  private static final int NONE = -1;

  /** Returned by {@link Builder#put} when the prefix was not yet in the table. */
  public static final int NEW = Integer.MIN_VALUE;

  // Node i's child for digit d is children[i * 10 + d] (0 = none; node 0 is the root and never a child).
  private final int[] children;
  // Index into values for node i, or NONE.
  private final int[] valueAt;
  private final String[] values;
  private final int size;

  private PrefixTable(int[] children, int[] valueAt, String[] values, int size) {
    this.children = children;
    this.valueAt = valueAt;
    this.values = values;
    this.size = size;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of prefixes in the table. */
  public int size() {
    return size;
  }

  /** The value of the longest prefix of {@code number}, if any. Allocates nothing. */
  public Optional<String> longestMatch(String number) {
    String v = longestMatchOrNull(number);
    return Optional.ofNullable(v);
  }

  /** As {@link #longestMatch} but null when nothing matches. */
  public String longestMatchOrNull(String number) {
    if (number == null) {
      return null;
    }
    int node = 0;
    int best = valueAt[0];
    int start = number.startsWith("+") ? 1 : 0;
    for (int i = start; i < number.length(); i++) {
      int d = number.charAt(i) - '0';
      if (d < 0 || d > 9) {
        break;
      }
      node = children[node * 10 + d];
      if (node == 0) {
        break;
      }
      if (valueAt[node] != NONE) {
        best = valueAt[node];
      }
    }
    return best == NONE ? null : values[best];
  }

  /** Whether {@code prefix} is a valid key: optional '+', then at least one digit. */
  public static boolean isValidPrefix(String prefix) {
    int start = prefix.startsWith("+") ? 1 : 0;
    if (prefix.length() == start) {
      return false;
    }
    for (int i = start; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Accumulates prefixes; not thread-safe. */
  public static final class Builder {
    private int[] children = new int[10 * 1024];
    private int[] valueAt = new int[1024];
    private int[] tagAt = new int[1024];
    private int nodes = 1;
    private int size;
    private final Map<String, Integer> valueIds = new HashMap<>();
    private final java.util.ArrayList<String> values = new java.util.ArrayList<>();

    private Builder() {
      Arrays.fill(valueAt, NONE);
    }

    /**
     * Adds {@code prefix -> value}. {@code tag} is any caller number (a line, say) remembered for
     * duplicate reporting.
     *
     * @return the tag of an earlier entry with the same prefix (which is kept), or {@link #NEW}
     * @throws IllegalArgumentException if the prefix is not {@link #isValidPrefix valid}
     */
    public int put(String prefix, String value, int tag) {
      if (!isValidPrefix(prefix)) {
        throw new IllegalArgumentException("not a digit prefix: " + prefix);
      }
      int node = 0;
      for (int i = prefix.startsWith("+") ? 1 : 0; i < prefix.length(); i++) {
        int slot = node * 10 + (prefix.charAt(i) - '0');
        int child = children[slot];
        if (child == 0) {
          child = newNode();
          children[slot] = child;
        }
        node = child;
      }
      if (valueAt[node] != NONE) {
        return tagAt[node];
      }
      valueAt[node] = valueIds.computeIfAbsent(value, v -> {
        values.add(v);
        return values.size() - 1;
      });
      tagAt[node] = tag;
      size++;
      return NEW;
    }

    private int newNode() {
      if (nodes == valueAt.length) {
        int capacity = nodes * 2;
        children = Arrays.copyOf(children, capacity * 10);
        valueAt = Arrays.copyOf(valueAt, capacity);
        Arrays.fill(valueAt, nodes, capacity, NONE);
        tagAt = Arrays.copyOf(tagAt, capacity);
      }
      return nodes++;
    }

    public int size() {
      return size;
    }

    public PrefixTable build() {
      return new PrefixTable(Arrays.copyOf(children, nodes * 10), Arrays.copyOf(valueAt, nodes),
          values.toArray(String[]::new), size);
    }

    /** Distinct values, e.g. to check that every trunk referenced exists. */
    public List<String> distinctValues() {
      return List.copyOf(values);
    }
  }
}
