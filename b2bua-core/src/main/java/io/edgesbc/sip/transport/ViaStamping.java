package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.HeaderValues;
import io.edgesbc.sip.message.IpLiterals;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.Via;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Stamps the top Via of a received request with where it really came from, so that responses
 * find their way back through NATs.
 */
final class ViaStamping {

    private ViaStamping() {
    }

    /**
     * RFC 3261 §18.2.1: add received when the sent-by host is a name or an address other than the
     * packet's source. RFC 3581 §4: when rport is present, set it to the source port and add
     * received even if the address matches. Returns the request unchanged when nothing needs
     * adding.
     *
     * <p>A received or rport value the sender wrote itself is replaced when it is not the
     * packet's source (a client puts neither in its own Via: RFC 3261 §18.2.1, RFC 3581 §3):
     * responses over UDP are routed by these values ({@link ResponseRouting}), and trusting them
     * would let anyone have our responses sent to a third party.
     */
    static SipRequest stamp(SipRequest request, InetSocketAddress source) {
        Via top = request.topVia();
        InetAddress from = source.getAddress();
        boolean rport = top.hasRport();
        boolean fixReceived = top.received() != null
                ? !IpLiterals.names(top.received(), from)
                : rport || !sameAddress(top.host(), from);
        boolean fixRport = rport && top.rport() != source.getPort();
        if (!fixReceived && !fixRport) {
            return request;
        }
        Via stamped = top;
        if (fixReceived) {
            stamped = stamped.withReceived(from.getHostAddress());
        }
        if (fixRport) {
            stamped = stamped.withRport(source.getPort());
        }
        return request.toBuilder().replaceFirst(HeaderName.VIA, replaceFirstElement(
                request.headers().first(HeaderName.VIA), stamped.toString())).build();
    }

    private static boolean sameAddress(String viaHost, InetAddress source) {
        // A domain name always gets received (§18.2.1); an IP literal when it differs.
        return IpLiterals.names(viaHost, source);
    }

    /** The first Via line with its first via-parm replaced (a line may hold a comma list). */
    private static String replaceFirstElement(String firstLine, String newTop) {
        List<String> elements = HeaderValues.splitList(firstLine);
        if (elements.size() <= 1) {
            return newTop;
        }
        StringBuilder b = new StringBuilder(firstLine.length() + 32).append(newTop);
        for (int i = 1; i < elements.size(); i++) {
            b.append(", ").append(elements.get(i));
        }
        return b.toString();
    }
}
