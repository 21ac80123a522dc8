package io.edgesbc.policy.match;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 192.0.2.0/24} or {@code 2001:db8::/32}. A bare
 * address is a block of one. Host bits below the prefix must be zero, because a block like
 * {@code 10.1.2.3/8} is almost always a typo for something else.
 */
public final class CidrBlock {

  // Literal IPs only: InetAddress.getByName would otherwise resolve host names through DNS.
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private CidrBlock(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses {@code text}; returns empty if it is not a valid block, with the reason in {@code
   * whyNot[0]} when given.
   */
  public static Optional<CidrBlock> parse(String text, String[] whyNot) {
    String addressPart = text;
    int slash = text.indexOf('/');
    Integer prefix = null;
    if (slash >= 0) {
      addressPart = text.substring(0, slash);
      String p = text.substring(slash + 1);
      if (!p.matches("\\d{1,3}")) {
        return fail(whyNot, "bad prefix length '" + p + "'");
      }
      prefix = Integer.parseInt(p);
    }
    InetAddress address = tryParseAddress(addressPart);
    if (address == null) {
      return fail(whyNot, "'" + addressPart + "' is not an IPv4 or IPv6 address");
    }
    byte[] bytes = address.getAddress();
    int max = bytes.length * 8;
    int length = prefix == null ? max : prefix;
    if (length > max) {
      return fail(whyNot, "prefix length " + length + " exceeds " + max);
    }
    for (int bit = length; bit < max; bit++) {
      if ((bytes[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return fail(whyNot, "host bits set below /" + length);
      }
    }
    return Optional.of(new CidrBlock(bytes, length, text));
  }

  /** Parses a literal IPv4/IPv6 address, never resolving names; throws if it is not one. */
  public static InetAddress parseAddress(String literal) {
    InetAddress a = tryParseAddress(literal);
    if (a == null) {
      throw new IllegalArgumentException("not an IP literal: " + literal);
    }
    return a;
  }

  private static InetAddress tryParseAddress(String s) {
    String literal = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    boolean v4 = IPV4.matcher(literal).matches();
    if (!v4 && !IPV6.matcher(literal).matches()) {
      return null;
    }
    if (v4) {
      for (String octet : literal.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null;
        }
      }
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  private static Optional<CidrBlock> fail(String[] whyNot, String reason) {
    if (whyNot != null && whyNot.length > 0) {
      whyNot[0] = reason;
    }
    return Optional.empty();
  }

  /** Bits of the network part: 32 or 128 for a single address. */
  public int prefixLength() {
    return prefixLength;
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (network[full] & mask);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CidrBlock c && c.prefixLength == prefixLength
        && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    return text;
  }
}
