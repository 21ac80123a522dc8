package io.edgesbc.media.sdp;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Textual forms of IP addresses as SDP writes them. */
final class Addresses {

    private Addresses() {
    }

    /** {@code "IP6"} for an IPv6 address, else {@code "IP4"} (RFC 8866 §5.7). */
    static String addrType(InetAddress address) {
        return address instanceof Inet6Address ? "IP6" : "IP4";
    }

    /**
     * The address text: dotted decimal for IPv4, the RFC 5952 §4 canonical form for IPv6 (lower
     * case, no leading zeros, the longest run of two or more zero groups shortened to "::", the
     * first such run on a tie). Any zone id is dropped: it means nothing to the peer.
     */
    static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) { // RFC 5952 §4.2.2: "::" MUST NOT shorten a single 16-bit 0 field
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
