package io.edgesbc.server.policy;

import java.util.List;

import io.edgesbc.policy.Policy;
import io.edgesbc.policy.Trunk;
import io.edgesbc.policy.admission.Reason;
import io.edgesbc.policy.admission.Scope;
import io.edgesbc.server.metrics.EdgeSbcMetrics;
import java.util.Locale;

/**
 * The admission meters of a {@link PolicyRouter}, in Prometheus terms:
 * <ul>
 *   <li>{@code edgesbc_admission_calls_in_use{scope,name}}: calls holding a concurrent-call slot,
 *       per limit (the global one, each trunk with limits, each rule; 0 for a rule without a
 *       concurrent-call limit);</li>
 *   <li>{@code edgesbc_admission_rejections_total{reason,scope}}: refusals by admission
 *       (concurrent_calls, calls_per_second) and by the flood guard (flood_rate, flood_banned);</li>
 *   <li>{@code edgesbc_policy_reloads_total{outcome}}: reloads applied and refused.</li>
 * </ul>
 * Registering again after a reload adds the meters of new trunks and rules; meters already there
 * are kept (Micrometer returns the registered one).
 */
public final class AdmissionMeters {

    private static final String IN_USE = "edgesbc.admission.calls.in.use";

    private AdmissionMeters() {
    }

    public static void register(EdgeSbcMetrics metrics, PolicyRouter router) {
        for (Reason reason : Reason.values()) {
            for (Scope scope : Scope.values()) {
                metrics.counter("edgesbc.admission.rejections", "Calls and requests refused by admission control",
                        router, r -> r.rejections(reason, scope), "reason", lower(reason), "scope", lower(scope));
            }
        }
        registerLimits(metrics, router, router.policy());
        // By trunk as well: the trunk whose limit refused the call, or the source trunk of a
        // request refused by a rule or the flood guard ("none" outside every trunk). Trunk names
        // come from the policy, so the label set stays bounded.
        io.micrometer.core.instrument.MeterRegistry registry = metrics.registry();
        router.onRejection((reason, trunk) -> rejections(registry, reason, trunk == null ? "none" : trunk)
                .increment());
        // At 0 from the start for the trunks of the policy, so that rate() sees the first refusal.
        List<String> trunks = new java.util.ArrayList<>(router.policy().trunks().keySet());
        trunks.add("none");
        for (String trunk : trunks) {
            rejections(registry, "rule", trunk);
            for (Reason reason : Reason.values()) {
                rejections(registry, lower(reason), trunk);
            }
        }
    }

    private static io.micrometer.core.instrument.Counter rejections(io.micrometer.core.instrument.MeterRegistry registry,
                                                                   String reason, String trunk) {
        return io.micrometer.core.instrument.Counter.builder("edgesbc.rejections")
                .description("INVITEs and requests refused by policy rules or admission control, by reason and trunk")
                .tags("reason", reason, "trunk", trunk)
                .register(registry);
    }

    /** The in-use gauges of the limits of {@code policy} (call again after a reload). */
    public static void registerLimits(EdgeSbcMetrics metrics, PolicyRouter router, Policy policy) {
        registerVersion(metrics, router, policy);
        inUseGauge(metrics, router, Scope.GLOBAL, "global");
        for (Trunk trunk : policy.trunks().values()) {
            inUseGauge(metrics, router, Scope.TRUNK, trunk.name());
        }
        for (String rule : policy.ruleNames()) {
            inUseGauge(metrics, router, Scope.RULE, rule);
        }
    }

    /**
     * Which policy is in use: {@code edgesbc_policy_version_in_use{version}} is 1 for the version in use and 0
     * for those used before (one series per version ever loaded by this process), with the
     * generation number and load time beside it.
     */
    private static void registerVersion(EdgeSbcMetrics metrics, PolicyRouter router, Policy policy) {
        String version = policy.summary().version() == null ? "none" : policy.summary().version();
        if (metrics.registry().find("edgesbc.policy.version.in.use").tags("version", version).gauge() == null) {
            metrics.gauge("edgesbc.policy.version.in.use", "1 for the policy version in use, 0 for earlier ones", router,
                    r -> version.equals(r.policy().summary().version() == null ? "none"
                            : r.policy().summary().version()) ? 1 : 0, "version", version);
        }
        if (metrics.registry().find("edgesbc.policy.generation").gauge() == null) {
            metrics.gauge("edgesbc.policy.generation", "Policies loaded since start (1 = the one read at start-up)",
                    router, r -> r.generation().number());
            metrics.gauge("edgesbc.policy.loaded.timestamp.seconds", "When the policy in use was loaded (Unix time)",
                    router, r -> r.generation().loadedAt().toEpochMilli() / 1000.0);
        }
    }

    private static void inUseGauge(EdgeSbcMetrics metrics, PolicyRouter router, Scope scope, String name) {
        String scopeTag = lower(scope);
        if (metrics.registry().find(IN_USE).tags("scope", scopeTag, "name", name).gauge() != null) {
            return; // kept from an earlier policy generation
        }
        metrics.gauge(IN_USE, "Calls holding a concurrent-call slot of a limit", router,
                r -> r.callsInUse(scope, name), "scope", scopeTag, "name", name);
    }

    public static void register(EdgeSbcMetrics metrics, PolicyReloader reloader) {
        metrics.counter("edgesbc.policy.reloads", "Policy reloads by outcome", reloader, PolicyReloader::succeeded,
                "outcome", "applied");
        metrics.counter("edgesbc.policy.reloads", "Policy reloads by outcome", reloader, PolicyReloader::failed,
                "outcome", "refused");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
