package io.edgesbc.b2bua;

import io.edgesbc.sip.message.SipRequest;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fixed route per inbound realm: every call arriving in realm X goes out in realm Y to the
 * listed targets, in order. Immutable; {@link #with} returns a copy.
 *
 * <p>The embedded demo ({@link #demo()}): calls arriving on {@code outside} go out on
 * {@code inside} to sip:127.0.0.1:5080, calls arriving on {@code inside} go out on {@code outside}
 * to sip:127.0.0.1:5090.
 */
public final class StaticRouter implements CallRouter {

    private final Map<String, RouteDecision.Route> routes;

    private StaticRouter(Map<String, RouteDecision.Route> routes) {
        this.routes = Map.copyOf(routes);
    }

    public static StaticRouter empty() {
        return new StaticRouter(Map.of());
    }

    /** The loopback demo of the embedded default configuration (see the class comment). */
    public static StaticRouter demo() {
        return empty()
                .with("outside", "inside", List.of(RouteTarget.of("sip:127.0.0.1:5080")))
                .with("inside", "outside", List.of(RouteTarget.of("sip:127.0.0.1:5090")));
    }

    /** A copy in which calls from {@code inboundRealm} go to {@code targets} via {@code outboundRealm}. */
    public StaticRouter with(String inboundRealm, String outboundRealm, List<RouteTarget> targets) {
        return with(inboundRealm, outboundRealm, targets, RouteDecision.Route.DEFAULT_FAILOVER);
    }

    public StaticRouter with(String inboundRealm, String outboundRealm, List<RouteTarget> targets,
                             Set<Integer> failoverCodes) {
        Map<String, RouteDecision.Route> copy = new LinkedHashMap<>(routes);
        copy.put(inboundRealm, new RouteDecision.Route(outboundRealm, targets, failoverCodes));
        return new StaticRouter(copy);
    }

    @Override
    public RouteDecision decide(String realm, InetSocketAddress source, SipRequest invite) {
        RouteDecision.Route route = routes.get(realm);
        return route != null ? route : RouteDecision.noRoute();
    }

    @Override
    public String toString() {
        return "StaticRouter" + routes;
    }
}
