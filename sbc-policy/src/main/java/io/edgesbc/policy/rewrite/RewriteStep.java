package io.edgesbc.policy.rewrite;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One transformation of a user part. Input is never null. */
public sealed interface RewriteStep {

  String apply(String user);

  /** Replaces every match of {@code pattern} with {@code replacement} ({@code $1} groups allowed). */
  record RegexReplace(Pattern pattern, String replacement) implements RewriteStep {
    @Override
    public String apply(String user) {
      return pattern.matcher(user).replaceAll(replacement);
    }

    /**
     * The highest {@code $n} group a replacement refers to, so the loader can reject a reference
     * to a group the pattern does not have (which would otherwise throw on the first call).
     */
    public static int highestGroupReference(String replacement) {
      int highest = 0;
      Matcher m = Pattern.compile("(?<!\\\\)\\$(\\d+)").matcher(replacement);
      while (m.find()) {
        highest = Math.max(highest, Integer.parseInt(m.group(1)));
      }
      return highest;
    }
  }

  /** Prepends a fixed string. */
  record AddPrefix(String prefix) implements RewriteStep {
    @Override
    public String apply(String user) {
      return prefix.concat(user);
    }
  }

  /** Removes a fixed leading string when present; otherwise leaves the value alone. */
  record StripPrefix(String prefix) implements RewriteStep {
    @Override
    public String apply(String user) {
      return user.startsWith(prefix) ? user.substring(prefix.length()) : user;
    }
  }

  /**
   * National or international dialled form to E.164 ({@code +CC...}). Numbers already starting
   * with {@code +}, or matching neither dialling prefix, are left unchanged.
   */
  record ToE164(String countryCode, String nationalPrefix, String internationalPrefix)
      implements RewriteStep {
    @Override
    public String apply(String user) {
      if (user.startsWith("+")) {
        return user;
      }
      // International prefix first: "00" also starts with the national prefix "0".
      if (!internationalPrefix.isEmpty() && user.startsWith(internationalPrefix)) {
        return "+" + user.substring(internationalPrefix.length());
      }
      if (!nationalPrefix.isEmpty() && user.startsWith(nationalPrefix)) {
        return "+" + countryCode + user.substring(nationalPrefix.length());
      }
      return user;
    }
  }

  /**
   * E.164 to the dialled form of country {@code countryCode}: own-country numbers get the national
   * prefix, others the international prefix. Non-E.164 input is left unchanged.
   */
  record FromE164(String countryCode, String nationalPrefix, String internationalPrefix)
      implements RewriteStep {
    @Override
    public String apply(String user) {
      if (!user.startsWith("+")) {
        return user;
      }
      if (user.startsWith(countryCode, 1)) {
        return nationalPrefix + user.substring(1 + countryCode.length());
      }
      return internationalPrefix + user.substring(1);
    }
  }
}
