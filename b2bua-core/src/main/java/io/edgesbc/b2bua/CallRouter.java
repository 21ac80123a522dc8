package io.edgesbc.b2bua;

import io.edgesbc.sip.message.SipRequest;
import java.net.InetSocketAddress;

/**
 * Decides where a new call goes: the seam between the B2BUA and whoever owns routing (today a
 * {@link StaticRouter} from the configuration; later the rule files of {@code sbc-policy}).
 *
 * <p>Threading: called on the shard thread of the call, once per new INVITE. It must answer at
 * once and never block (no DNS, no I/O); a router that needs to look something up must hold the
 * answer already.
 */
@FunctionalInterface
public interface CallRouter {

    /**
     * @param realm the realm the INVITE arrived in
     * @param source the address it came from
     * @param invite the INVITE as received (after the UAS checks of RFC 3261 §8.2)
     * @return {@link RouteDecision#noRoute()} when this router has nothing for the realm (EdgeSBC
     *         then answers as it does without any route), else a rejection or a route
     */
    RouteDecision decide(String realm, InetSocketAddress source, SipRequest invite);

    /** A router that routes nothing. */
    static CallRouter none() {
        return (realm, source, invite) -> RouteDecision.noRoute();
    }
}
