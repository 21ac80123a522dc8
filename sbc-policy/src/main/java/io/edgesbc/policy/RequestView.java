package io.edgesbc.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The small part of an incoming request that policy decides on. The B2BUA builds one per new
 * dialog-creating or out-of-dialog request; the policy never sees the SIP message itself.
 *
 * <p>User and host parts may be null when the URI has none (e.g. {@code sip:example.com}).
 *
 * @param sourceAddress address the request arrived from (transport level, not Via)
 * @param sourcePort port the request arrived from
 * @param realm name of the listening realm (interface/zone) that received the request
 * @param method SIP method, e.g. {@code INVITE}
 * @param requestUri the full request-URI as received
 * @param requestUriUser user part of the request-URI, or null
 * @param requestUriHost host part of the request-URI
 * @param fromUser user part of the From URI, or null
 * @param fromDomain host part of the From URI
 * @param toUser user part of the To URI, or null
 * @param toDomain host part of the To URI
 * @param headers named header access (case-insensitive)
 */
public record RequestView(
    InetAddress sourceAddress,
    int sourcePort,
    String realm,
    String method,
    String requestUri,
    String requestUriUser,
    String requestUriHost,
    String fromUser,
    String fromDomain,
    String toUser,
    String toDomain,
    HeaderLookup headers) {

  public RequestView {
    Objects.requireNonNull(sourceAddress, "sourceAddress");
    Objects.requireNonNull(method, "method");
    headers = headers == null ? HeaderLookup.NONE : headers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Convenience builder; the B2BUA will normally call the canonical constructor directly. */
  public static final class Builder {
    private InetAddress sourceAddress;
    private int sourcePort = 5060;
    private String realm;
    private String method = "INVITE";
    private String requestUri;
    private String requestUriUser;
    private String requestUriHost;
    private String fromUser;
    private String fromDomain;
    private String toUser;
    private String toDomain;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    private Builder() {}

    public Builder source(InetAddress address, int port) {
      this.sourceAddress = address;
      this.sourcePort = port;
      return this;
    }

    /** Parses a literal IP address; never does a DNS lookup. */
    public Builder source(String ipLiteral, int port) {
      return source(io.edgesbc.policy.match.CidrBlock.parseAddress(ipLiteral), port);
    }

    public Builder realm(String realm) {
      this.realm = realm;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    /** Sets the request-URI and derives user/host from a simple {@code sip:user@host} form. */
    public Builder requestUri(String uri) {
      this.requestUri = uri;
      String[] parts = splitSimpleUri(uri);
      this.requestUriUser = parts[0];
      this.requestUriHost = parts[1];
      return this;
    }

    public Builder from(String user, String domain) {
      this.fromUser = user;
      this.fromDomain = domain;
      return this;
    }

    public Builder to(String user, String domain) {
      this.toUser = user;
      this.toDomain = domain;
      return this;
    }

    public Builder header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    public RequestView build() {
      return new RequestView(sourceAddress, sourcePort, realm, method, requestUri, requestUriUser,
          requestUriHost, fromUser, fromDomain, toUser, toDomain, HeaderLookup.of(headers));
    }

    private static String[] splitSimpleUri(String uri) {
      String rest = uri;
      int colon = rest.indexOf(':');
      if (colon >= 0) {
        rest = rest.substring(colon + 1);
      }
      int semi = rest.indexOf(';');
      if (semi >= 0) {
        rest = rest.substring(0, semi);
      }
      int at = rest.lastIndexOf('@');
      String user = at >= 0 ? rest.substring(0, at) : null;
      String host = at >= 0 ? rest.substring(at + 1) : rest;
      if (!host.startsWith("[")) {
        int port = host.indexOf(':');
        if (port >= 0) {
          host = host.substring(0, port);
        }
      }
      return new String[] {user, host};
    }
  }
}
