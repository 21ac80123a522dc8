package io.edgesbc.server.policy;

import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRouter;
import io.edgesbc.b2bua.RouteDecision;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyDecision;
import io.edgesbc.policy.RequestView;
import io.edgesbc.policy.Target;
import io.edgesbc.policy.Trunk;
import io.edgesbc.policy.admission.Admission;
import io.edgesbc.policy.admission.AdmissionController;
import io.edgesbc.policy.admission.AdmissionListener;
import io.edgesbc.policy.admission.AdmissionRequest;
import io.edgesbc.policy.admission.LimitUsage;
import io.edgesbc.policy.admission.Reason;
import io.edgesbc.policy.admission.Scope;
import io.edgesbc.sip.message.Header;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The B2BUA's {@link CallRouter} backed by a {@link Policy} (the rule files of {@code sbc-policy})
 * and its {@link AdmissionController}.
 *
 * <p>For each new INVITE: the request is seen as a {@link RequestView}; the policy decides; a
 * {@code reject} becomes a final response on the UAS leg (with its Retry-After, if any); a
 * {@code route} is admitted (rule, trunk and global concurrent-call and call-rate limits) and
 * becomes a {@link RouteDecision.Route}: its targets in the policy's order, its failover codes,
 * out through the realm of the destination trunk (a rule that lists targets without a trunk, or
 * a trunk without a realm, sends the call out through the realm it arrived on), and a {@link
 * PolicyEdits} that normalises the numbers and applies the header rules on the UAC leg and
 * releases the admission permit once the call ends. A call refused by admission gets the
 * controller's answer (503 with Retry-After by default).
 *
 * <p>A policy {@link #reload reload} swaps one reference: calls in progress keep the route (and
 * edits) they got; concurrent-call counters are carried over into the new generation so the
 * calls admitted before still count until they end.
 *
 * <p>Threading: {@link #decide} and {@link #screen} run on shard threads and event loops and
 * never block: the policy is immutable, the controller uses atomics, and target URIs are IP
 * literals resolved without DNS (and remembered).
 */
public final class PolicyRouter implements CallRouter {

    private static final Logger log = LoggerFactory.getLogger(PolicyRouter.class);

    /**
     * One loaded policy with the admission controller built for it.
     *
     * @param number 1 for the policy the router was made with, one more at each reload (admin API)
     * @param loadedAt when it was swapped in
     */
    public record Generation(Policy policy, AdmissionController admission, long number, java.time.Instant loadedAt) {
        public Generation {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(admission, "admission");
            Objects.requireNonNull(loadedAt, "loadedAt");
        }
    }

    private final Tally tally = new Tally();
    private final AtomicReference<Generation> current;
    private final TargetHealth health = new TargetHealth();
    private final UnaryOperator<AdmissionController.Builder> admissionOptions;
    /** Target URIs resolved to addresses (IP literals only); null value = not usable. */
    private final Map<String, java.util.Optional<RouteTarget>> targets = new ConcurrentHashMap<>();

    /**
     * @param admissionOptions adds options to each generation's controller builder (answers, a
     *        ticker in tests); the previous generation and the listener are set by the router
     */
    public PolicyRouter(Policy policy, UnaryOperator<AdmissionController.Builder> admissionOptions) {
        this.admissionOptions = Objects.requireNonNull(admissionOptions, "admissionOptions");
        this.current = new AtomicReference<>(build(policy, null));
    }

    public PolicyRouter(Policy policy) {
        this(policy, UnaryOperator.identity());
    }

    private Generation build(Policy policy, Generation previous) {
        AdmissionController.Builder b = admissionOptions.apply(AdmissionController.builder(policy));
        return new Generation(policy, b.previous(previous == null ? null : previous.admission()).listener(tally).build(),
                previous == null ? 1 : previous.number() + 1, java.time.Instant.now());
    }

    /**
     * Refusals (admission limits and flood guard) since start, over every policy generation (a
     * controller's own counts start again at a reload; these do not, as a Prometheus counter must).
     */
    public long rejections(Reason reason, Scope scope) {
        return tally.cells[reason.ordinal() * Scope.values().length + scope.ordinal()].sum();
    }

    /**
     * Current use of the concurrent-call limit of {@code scope}/{@code name} in the policy new
     * calls use (0 when it has none or no call used it yet).
     */
    public int callsInUse(Scope scope, String name) {
        for (LimitUsage u : admission().usage()) {
            if (u.scope() == scope && u.name().equals(name)) {
                return u.inUse();
            }
        }
        return 0;
    }

    /** Counts refusals across generations and logs bans. Called on event loops and shards: quick. */
    private static final class Tally implements AdmissionListener {
        final LongAdder[] cells = new LongAdder[Reason.values().length * Scope.values().length];

        Tally() {
            for (int i = 0; i < cells.length; i++) {
                cells[i] = new LongAdder();
            }
        }

        @Override
        public void onRejected(Admission.Rejected rejected) {
            cells[rejected.reason().ordinal() * Scope.values().length + rejected.scope().ordinal()].increment();
        }

        @Override
        public void onBanned(InetAddress source, java.time.Duration banFor) {
            log.warn("source {} banned for {} s for flooding", source.getHostAddress(), banFor.toSeconds());
        }
    }

    /** The policy and admission controller new calls use now. */
    /** Which targets answer their OPTIONS pings; targets out of rotation get no calls. */
    public TargetHealth health() {
        return health;
    }

    public Generation generation() {
        return current.get();
    }

    public Policy policy() {
        return current.get().policy();
    }

    public AdmissionController admission() {
        return current.get().admission();
    }

    /**
     * Makes {@code policy} the one new calls use. Calls in progress keep their decision; their
     * concurrent-call slots stay counted (the new controller shares the counters of the old).
     * The policy must be loaded and validated already: this method does no I/O.
     */
    public Generation reload(Policy policy) {
        Generation next = current.updateAndGet(old -> build(policy, old));
        log.info("policy {} is now in use for new calls", policy.summary());
        return next;
    }

    /**
     * The flood-guard check of any request from {@code source} (RFC-agnostic, before any other
     * work). Null to go on, else the refusal to answer.
     */
    public Admission.Rejected screen(InetAddress source) {
        return screen(source, null);
    }

    /** {@link #screen(InetAddress)} for a request that arrived on {@code realm} (for the trunk it counts against). */
    public Admission.Rejected screen(InetAddress source, String realm) {
        Generation g = current.get();
        Admission.Rejected refused = g.admission().screen(source);
        if (refused != null) {
            rejected(refused.reason().name().toLowerCase(java.util.Locale.ROOT),
                    g.policy().sourceTrunk(source, realm));
        }
        return refused;
    }

    /** Told of every refusal with its reason and the trunk it counts against (null: none). */
    private volatile java.util.function.BiConsumer<String, String> rejections = (reason, trunk) -> {
    };

    /** Who counts refusals by reason and trunk (the admission meters). */
    public void onRejection(java.util.function.BiConsumer<String, String> listener) {
        this.rejections = java.util.Objects.requireNonNull(listener, "listener");
    }

    private void rejected(String reason, String trunk) {
        try {
            rejections.accept(reason, trunk);
        } catch (RuntimeException e) {
            log.error("a rejection could not be counted", e);
        }
    }

    @Override
    public RouteDecision decide(String realm, InetSocketAddress source, SipRequest invite) {
        Generation g = current.get();
        RequestView view = SipRequestView.of(realm, source, invite);
        PolicyDecision decision = g.policy().decide(view);
        if (decision instanceof PolicyDecision.Reject reject) {
            log.debug("rule {} rejects {} from {} with {}", reject.ruleName(), invite.requestUri(), source,
                    reject.code());
            String from = sourceTrunk(g.policy(), source, realm);
            rejected("rule", from);
            return reject(reject, new io.edgesbc.b2bua.CallLabels(from, null, reject.ruleName()));
        }
        PolicyDecision.Route route = (PolicyDecision.Route) decision;
        Trunk trunk = route.trunk() == null ? null : g.policy().trunks().get(route.trunk());
        String outRealm = trunk != null && trunk.realm() != null ? trunk.realm() : realm;
        List<RouteTarget> resolved = new ArrayList<>(route.targets().size());
        int silent = 0;
        for (Target t : route.targets()) {
            if (!health.inRotation(t.uri())) {
                silent++; // does not answer its OPTIONS pings (OptionsPinger)
                continue;
            }
            targets.computeIfAbsent(t.uri(), PolicyRouter::resolve).ifPresent(resolved::add);
        }
        if (resolved.isEmpty() && silent > 0) {
            log.warn("rule {} routes to {}, none of which answers OPTIONS now", route.ruleName(), route.targets());
            return new RouteDecision.Reject(503, "No Target Available",
                    List.of(new Header(HeaderName.RETRY_AFTER, "30")));
        }
        if (resolved.isEmpty()) {
            log.warn("rule {} routes to {}, none of which is usable (IP literals only, no DNS yet)",
                    route.ruleName(), route.targets());
            return new RouteDecision.Reject(500, "No Usable Target", List.of(),
                    new io.edgesbc.b2bua.CallLabels(sourceTrunk(g.policy(), source, realm), route.trunk(),
                            route.ruleName()));
        }
        Admission admission = g.admission().admit(new AdmissionRequest(source.getAddress(), route.trunk(),
                route.limits()));
        if (admission instanceof Admission.Rejected refused) {
            log.info("call from {} to {} refused by admission: {}", source, invite.requestUri(), refused.detail());
            rejected(refused.reason().name().toLowerCase(java.util.Locale.ROOT),
                    route.trunk() != null ? route.trunk() : sourceTrunk(g.policy(), source, realm));
            return reject(refused.toReject(route.ruleName()), new io.edgesbc.b2bua.CallLabels(
                    sourceTrunk(g.policy(), source, realm), route.trunk(), route.ruleName()));
        }
        CallLabels labels = new CallLabels(sourceTrunk(g.policy(), source, realm), route.trunk(), route.ruleName());
        PolicyEdits edits = new PolicyEdits(route.numberRewrites(), route.headerRules(),
                ((Admission.Admitted) admission).permit(), PolicyEdits.mediaPolicy(route.media(), route.codecs()),
                labels);
        return new RouteDecision.Route(outRealm, resolved, route.failoverCodes(), edits);
    }

    /**
     * The trunk the request came from: of the trunks whose {@code from} holds the source address (in
     * their realm, if they name one), the one with the most specific block, the first defined on a
     * tie ({@link io.edgesbc.policy.Policy#sourceTrunk}); null when none does. The same answer on
     * every run for the same policy. Runs per new INVITE: a handful of CIDR checks.
     */
    static String sourceTrunk(io.edgesbc.policy.Policy policy, InetSocketAddress source, String realm) {
        return policy.sourceTrunk(source.getAddress(), realm);
    }

    private static RouteDecision.Reject reject(PolicyDecision.Reject reject, io.edgesbc.b2bua.CallLabels labels) {
        List<Header> headers = new ArrayList<>(reject.headers().size());
        reject.headers().forEach((name, value) -> headers.add(new Header(HeaderName.of(name), value)));
        return new RouteDecision.Reject(reject.code(), reject.reason(), headers, labels);
    }

    private static java.util.Optional<RouteTarget> resolve(String uri) {
        try {
            return java.util.Optional.of(RouteTarget.of(uri));
        } catch (RuntimeException e) {
            log.warn("target {} is not usable: {}", uri, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "PolicyRouter[" + current.get().policy().summary() + "]";
    }
}
