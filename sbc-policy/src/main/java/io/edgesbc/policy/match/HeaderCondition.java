package io.edgesbc.policy.match;

import io.edgesbc.policy.RequestView;
import java.util.List;
import java.util.Objects;

/**
 * A condition on a named header: present, absent, or some value matching. For multi-valued
 * headers one matching value is enough.
 */
public record HeaderCondition(String name, Boolean mustBePresent, TextMatcher value)
    implements RequestMatcher {

  public HeaderCondition {
    Objects.requireNonNull(name, "name");
    if ((mustBePresent == null) == (value == null)) {
      throw new IllegalArgumentException("exactly one of presence or value test");
    }
  }

  @Override
  public boolean matches(RequestView view) {
    List<String> values = view.headers().values(name);
    if (mustBePresent != null) {
      return mustBePresent != values.isEmpty();
    }
    for (String v : values) {
      if (value.matches(v)) {
        return true;
      }
    }
    return false;
  }
}
