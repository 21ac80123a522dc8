package io.edgesbc.policy;

import io.edgesbc.policy.match.TextMatcher;
import java.util.List;

/**
 * What a rule's {@code match} requires of the fields {@link RuleIndex} looks up by. Each key is a
 * necessary condition of the rule's matcher: a request the rule matches always has its method in
 * {@code methods}, its realm in {@code realms} and a request-URI user that {@code ruriUser}
 * accepts. A null key says the rule does not constrain that field (or not in an indexable way).
 *
 * @param methods methods the rule accepts (case-sensitive), or null for any
 * @param realms realms the rule accepts, from {@code realm} or from the realms of its source
 *     trunks, or null for any
 * @param ruriUser the rule's request-URI user test when it is a case-sensitive prefix or exact
 *     test, else null
 */
record IndexKeys(List<String> methods, List<String> realms, TextMatcher ruriUser) {

  static final IndexKeys NONE = new IndexKeys(null, null, null);

  IndexKeys {
    methods = methods == null ? null : List.copyOf(methods);
    realms = realms == null ? null : List.copyOf(realms);
  }
}
