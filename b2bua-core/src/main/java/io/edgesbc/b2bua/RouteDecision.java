package io.edgesbc.b2bua;

import io.edgesbc.sip.message.Header;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What a {@link CallRouter} decided for a new call. */
public sealed interface RouteDecision {

    /** The router has no opinion about this realm: EdgeSBC answers as it does without routes. */
    static RouteDecision noRoute() {
        return NoRoute.INSTANCE;
    }

    /** Nothing to route to. */
    enum NoRoute implements RouteDecision { INSTANCE }

    /**
     * The call is refused with a final response on the UAS leg.
     *
     * @param headers extra header lines for the response (e.g. Retry-After for a 503)
     * @param labels the trunks and rule the refusal is counted under (metrics, CDR)
     */
    record Reject(int code, String reason, List<Header> headers, CallLabels labels) implements RouteDecision {
        public Reject {
            if (code < 300 || code > 699) {
                throw new IllegalArgumentException("a rejection is a final non-2xx response: " + code);
            }
            Objects.requireNonNull(reason, "reason");
            headers = List.copyOf(headers);
            labels = labels == null ? CallLabels.NONE : labels;
        }

        /** A refusal without labels. */
        public Reject(int code, String reason, List<Header> headers) {
            this(code, reason, headers, CallLabels.NONE);
        }
    }

    /**
     * The call goes out in {@code realm} to the first target; on a final response whose code is
     * in {@code failoverCodes}, on Timer B and on a transport error (RFC 3261 §8.1.3.1: seen as 408
     * and 503) it goes to the next target, as long as the caller has heard no final response.
     */
    record Route(String realm, List<RouteTarget> targets, Set<Integer> failoverCodes, CallHooks hooks)
            implements RouteDecision {
        /** The failover codes of the demo and the static routes: timeouts and server errors. */
        public static final Set<Integer> DEFAULT_FAILOVER = Set.of(408, 500, 502, 503, 504);

        public Route {
            Objects.requireNonNull(realm, "realm");
            targets = List.copyOf(targets);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a route needs at least one target");
            }
            failoverCodes = Set.copyOf(failoverCodes);
            Objects.requireNonNull(hooks, "hooks");
        }

        /** A route without hooks: the UAC INVITE as the B2BUA builds it, nothing to release. */
        public Route(String realm, List<RouteTarget> targets, Set<Integer> failoverCodes) {
            this(realm, targets, failoverCodes, CallHooks.NONE);
        }
    }
}
