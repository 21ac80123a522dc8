package io.edgesbc.policy;

import io.edgesbc.policy.match.CidrBlock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Syntax check for target URIs. Deliberately narrower than RFC 3261: a next hop is
 * {@code sip:} or {@code sips:}, an optional user, a host name or IP literal, an optional port and
 * {@code ;name[=value]} parameters; URI headers ({@code ?...}) make no sense for a next hop.
 */
final class SipUriSyntax {

  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final Pattern URI = Pattern.compile(
      "(?<scheme>[A-Za-z][A-Za-z0-9+.-]*):"
          + "(?:(?<user>[^@;?\\s:]+)(?::[^@;?\\s]*)?@)?"
          + "(?<host>\\[[^\\]]*]|[^:;?\\s\\[\\]]+)"
          + "(?::(?<port>[^;?\\s]*))?"
          + "(?<params>(?:;[^;?\\s]+)*)"
          + "(?<rest>.*)");
  private static final Pattern HOSTNAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*\\.?");
  private static final Pattern IPV4ISH = Pattern.compile("[0-9.]+");
  private static final Pattern PARAM = Pattern.compile(";[A-Za-z0-9!.~*'%+_`-]+(?:=[^;=\\s]+)?");

  private SipUriSyntax() {}

  /** Null if {@code uri} is an acceptable target, otherwise why not. */
  static String problem(String uri) {
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      return "expected sip:[user@]host[:port][;params]";
    }
    String scheme = m.group("scheme").toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("sip") && !scheme.equals("sips")) {
      return "scheme must be sip or sips, got '" + m.group("scheme") + "'";
    }
    if (!m.group("rest").isEmpty()) {
      return "unexpected '" + m.group("rest") + "'";
    }
    String host = m.group("host");
    if (host.startsWith("[")) {
      String[] why = new String[1];
      String literal = host.substring(1, host.length() - 1);
      if (!literal.contains(":") || CidrBlock.parse(literal, why).isEmpty()) {
        return "bad IPv6 host '" + host + "'";
      }
    } else if (IPV4ISH.matcher(host).matches()) {
      if (CidrBlock.parse(host, null).isEmpty()) {
        return "bad IPv4 host '" + host + "'";
      }
    } else if (!HOSTNAME.matcher(host).matches()) {
      return "bad host '" + host + "'";
    }
    String port = m.group("port");
    if (port != null) {
      if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
        return "port must be 1-65535, got '" + port + "'";
      }
    }
    String params = m.group("params");
    Matcher p = PARAM.matcher(params);
    int at = 0;
    while (at < params.length()) {
      if (!p.find(at) || p.start() != at) {
        return "bad URI parameter at '" + params.substring(at) + "'";
      }
      at = p.end();
    }
    return null;
  }
}
