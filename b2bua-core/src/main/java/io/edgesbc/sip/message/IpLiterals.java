package io.edgesbc.sip.message;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals as they appear in SIP hosts (RFC 3261 §25.1: IPv4address, IPv6reference), turned
 * into addresses without ever asking a resolver: a name is not a literal, and code on event loops
 * and call shards must not do DNS.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * The address {@code host} spells, with or without IPv6 brackets, or null when it is not an IP
     * literal (a domain name, or nothing the grammar allows).
     */
    public static InetAddress parse(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!looksLiteral(h)) {
            return null;
        }
        try {
            // getByName does not resolve literals; the check above keeps names away from it.
            return InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code host} spells {@code address} (so "::1" matches 0:0:0:0:0:0:0:1). */
    public static boolean names(String host, InetAddress address) {
        InetAddress parsed = parse(host);
        return parsed != null && parsed.equals(address);
    }

    /** An IPv6 literal has a colon; an IPv4 one only digits and dots (RFC 3261 §25.1). */
    private static boolean looksLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return !h.isEmpty();
    }
}
