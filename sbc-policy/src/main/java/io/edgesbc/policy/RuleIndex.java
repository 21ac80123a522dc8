package io.edgesbc.policy;

import io.edgesbc.policy.match.TextMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the first rule, in file order, that matches a request without trying every rule.
 *
 * <p>Each rule is filed under one key, its most selective {@link IndexKeys} key: the exact
 * request-URI users it accepts, else its request-URI user prefixes (a character trie), else its
 * realms, else its methods; a rule with none of them is kept in a list of its own. Every list
 * holds rule positions in ascending (file) order. A lookup gathers the lists the request's values
 * lead to (its user, every trie node on the path of its user, its realm, its method, the rest) and
 * walks each in order, running the rule's full matcher, until it meets a rule at or after the best
 * match found so far. Because a rule's key is a necessary condition of its matcher, every rule that
 * matches the request is in one of the gathered lists, so the smallest matching position over the
 * lists is exactly the rule a linear scan would pick: first match wins is kept.
 *
 * <p>Immutable after construction; lookups allocate nothing.
 */
final class RuleIndex {

  private final CompiledRule[] rules;
  private final Map<String, int[]> byExactUser;
  private final PrefixNode byUserPrefix;
  private final Map<String, int[]> byRealm;
  private final Map<String, int[]> byMethod;
  private final int[] unkeyed;

  RuleIndex(CompiledRule[] rules) {
    this.rules = rules;
    Map<String, List<Integer>> exact = new HashMap<>();
    PrefixBuilder prefixes = new PrefixBuilder();
    Map<String, List<Integer>> realms = new HashMap<>();
    Map<String, List<Integer>> methods = new HashMap<>();
    List<Integer> rest = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      IndexKeys keys = rules[i].keys();
      if (keys.ruriUser() instanceof TextMatcher.Exact e && !e.ignoreCase()) {
        for (String v : e.values()) {
          add(exact.computeIfAbsent(v, k -> new ArrayList<>()), i);
        }
      } else if (keys.ruriUser() instanceof TextMatcher.Prefix p) {
        for (String prefix : p.prefixes()) {
          add(prefixes.node(prefix).rules, i);
        }
      } else if (keys.realms() != null) {
        for (String realm : keys.realms()) {
          add(realms.computeIfAbsent(realm, k -> new ArrayList<>()), i);
        }
      } else if (keys.methods() != null) {
        for (String method : keys.methods()) {
          add(methods.computeIfAbsent(method, k -> new ArrayList<>()), i);
        }
      } else {
        rest.add(i);
      }
    }
    this.byExactUser = freeze(exact);
    this.byUserPrefix = prefixes.freeze();
    this.byRealm = freeze(realms);
    this.byMethod = freeze(methods);
    this.unkeyed = toArray(rest);
  }

  /** Position of the first rule in file order that matches {@code view}, or -1. */
  int firstMatch(RequestView view) {
    int best = rules.length;
    String user = view.requestUriUser();
    if (user != null) {
      best = scan(byExactUser.get(user), view, best);
      PrefixNode node = byUserPrefix;
      int i = 0;
      while (node != null) {
        best = scan(node.rules, view, best);
        node = i < user.length() ? node.child(user.charAt(i++)) : null;
      }
    }
    if (view.realm() != null) {
      best = scan(byRealm.get(view.realm()), view, best);
    }
    best = scan(byMethod.get(view.method()), view, best);
    best = scan(unkeyed, view, best);
    return best == rules.length ? -1 : best;
  }

  /** The first matching position in {@code candidates} below {@code best}, else {@code best}. */
  private int scan(int[] candidates, RequestView view, int best) {
    if (candidates == null) {
      return best;
    }
    for (int r : candidates) {
      if (r >= best) {
        return best;
      }
      if (rules[r].matcher().matches(view)) {
        return r;
      }
    }
    return best;
  }

  /** Appends a position unless it is already last (a rule listing one value twice). */
  private static void add(List<Integer> list, int position) {
    if (list.isEmpty() || list.get(list.size() - 1) != position) {
      list.add(position);
    }
  }

  private static Map<String, int[]> freeze(Map<String, List<Integer>> lists) {
    Map<String, int[]> out = new HashMap<>(lists.size() * 2);
    lists.forEach((k, v) -> out.put(k, toArray(v)));
    return out;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A trie node: the rules whose prefix ends here, and children by next character (sorted). */
  private static final class PrefixNode {
    final int[] rules;
    final char[] keys;
    final PrefixNode[] children;

    PrefixNode(int[] rules, char[] keys, PrefixNode[] children) {
      this.rules = rules.length == 0 ? null : rules;
      this.keys = keys;
      this.children = children;
    }

    PrefixNode child(char c) {
      int at = Arrays.binarySearch(keys, c);
      return at >= 0 ? children[at] : null;
    }
  }

  /** Mutable trie used while building. */
  private static final class PrefixBuilder {
    final List<Integer> rules = new ArrayList<>();
    final TreeMap<Character, PrefixBuilder> children = new TreeMap<>();

    PrefixBuilder node(String prefix) {
      PrefixBuilder n = this;
      for (int i = 0; i < prefix.length(); i++) {
        n = n.children.computeIfAbsent(prefix.charAt(i), c -> new PrefixBuilder());
      }
      return n;
    }

    PrefixNode freeze() {
      char[] keys = new char[children.size()];
      PrefixNode[] kids = new PrefixNode[children.size()];
      int i = 0;
      for (Map.Entry<Character, PrefixBuilder> e : children.entrySet()) {
        keys[i] = e.getKey();
        kids[i++] = e.getValue().freeze();
      }
      return new PrefixNode(toArray(rules), keys, kids);
    }
  }
}
