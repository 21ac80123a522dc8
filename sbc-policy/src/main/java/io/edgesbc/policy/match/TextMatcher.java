package io.edgesbc.policy.match;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Matches one string value. A null value (the URI had no user part, say) never matches.
 */
public sealed interface TextMatcher permits TextMatcher.Prefix, TextMatcher.Exact, TextMatcher.Regex {

  boolean matches(String value);

  /** Starts with any of the prefixes. */
  record Prefix(List<String> prefixes) implements TextMatcher {
    public Prefix {
      prefixes = List.copyOf(prefixes);
    }

    @Override
    public boolean matches(String value) {
      if (value == null) {
        return false;
      }
      for (String p : prefixes) {
        if (value.startsWith(p)) {
          return true;
        }
      }
      return false;
    }
  }

  /** Equals any of the values; {@code ignoreCase} for domains, which are case-insensitive. */
  record Exact(List<String> values, boolean ignoreCase) implements TextMatcher {
    public Exact {
      values = ignoreCase ? values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList()
          : List.copyOf(values);
    }

    @Override
    public boolean matches(String value) {
      if (value == null) {
        return false;
      }
      for (String v : values) {
        if (ignoreCase ? v.equalsIgnoreCase(value) : v.equals(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** The whole value matches the pattern (anchored, so {@code 44\d+} cannot match mid-string). */
  record Regex(Pattern pattern) implements TextMatcher {
    @Override
    public boolean matches(String value) {
      return value != null && pattern.matcher(value).matches();
    }
  }
}
