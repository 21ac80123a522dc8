package io.edgesbc.policy.match;

import io.edgesbc.policy.RequestView;
import java.util.List;

/** One compiled condition on a request. */
@FunctionalInterface
public interface RequestMatcher {

  /** Matches every request: a rule without {@code match} is a catch-all. */
  RequestMatcher ANY = view -> true;

  boolean matches(RequestView view);

  /** All conditions must hold; evaluated in the given order, cheapest first by convention. */
  static RequestMatcher allOf(List<RequestMatcher> conditions) {
    if (conditions.isEmpty()) {
      return ANY;
    }
    if (conditions.size() == 1) {
      return conditions.get(0);
    }
    RequestMatcher[] all = conditions.toArray(RequestMatcher[]::new);
    return view -> {
      for (RequestMatcher m : all) {
        if (!m.matches(view)) {
          return false;
        }
      }
      return true;
    };
  }
}
