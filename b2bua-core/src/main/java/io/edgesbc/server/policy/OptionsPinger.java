package io.edgesbc.server.policy;

import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.Target;
import io.edgesbc.policy.Trunk;
import io.edgesbc.server.metrics.EdgeSbcMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The OPTIONS keep-alive of the trunks' targets (a trunk's {@code options_ping:} interval): each
 * target of such a trunk is sent an OPTIONS from the trunk's realm every interval; one that does
 * not answer (Timer F, or a transport error) is taken out of rotation in {@link TargetHealth}, and
 * put back when it answers again. Any final response counts as an answer: a 404 or 405 still
 * proves the peer is there (RFC 3261 §11 leaves the answer to OPTIONS to the peer).
 *
 * <p>The pinger follows the policy in use: a reload that adds a trunk or changes its interval
 * takes effect at the next tick. One ping per target is outstanding at a time.
 *
 * <p>Threading: the ticks run on the injected scheduler (virtual time in tests); probes complete
 * on the call shards; the state is in concurrent maps.
 */
public final class OptionsPinger implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(OptionsPinger.class);

    /** How often the schedule is checked; intervals are rounded up to it. */
    static final Duration TICK = Duration.ofSeconds(1);

    /** Sends one OPTIONS and tells whether anything answered it (true) or nothing did (false). */
    @FunctionalInterface
    public interface Prober {
        Mono<Boolean> probe(String realm, RouteTarget target);
    }

    private final Supplier<Policy> policy;
    private final Prober prober;
    private final TargetHealth health;
    private final Scheduler scheduler;
    private final EdgeSbcMetrics metrics;
    /** When each (trunk, target) was last pinged; the next ping is due one current interval later. */
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> metered = ConcurrentHashMap.newKeySet();
    private final Set<String> unusable = ConcurrentHashMap.newKeySet();
    private volatile Disposable ticking;

    /**
     * @param metrics where {@code edgesbc_trunk_target_up{trunk,target}} goes, or null for none
     */
    public OptionsPinger(Supplier<Policy> policy, Prober prober, TargetHealth health, Scheduler scheduler,
                         EdgeSbcMetrics metrics) {
        this.policy = policy;
        this.prober = prober;
        this.health = health;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    public OptionsPinger start() {
        ticking = Flux.interval(Duration.ZERO, TICK, scheduler).subscribe(tick -> sweep());
        return this;
    }

    /** Sends the pings that are due. */
    void sweep() {
        long now = scheduler.now(TimeUnit.MILLISECONDS);
        for (Trunk trunk : policy.get().trunks().values()) {
            Duration interval = trunk.optionsPing();
            if (interval == null || interval.isZero()) {
                continue;
            }
            if (trunk.realm() == null) {
                if (unusable.add(trunk.name())) {
                    log.warn("trunk {} asks for OPTIONS pings but names no realm to send them from", trunk.name());
                }
                continue;
            }
            for (Target target : trunk.targets()) {
                String key = trunk.name() + " " + target.uri();
                Long last = lastSent.get(key);
                if (inFlight.contains(key) || last != null && now < last + interval.toMillis()) {
                    continue;
                }
                Optional<RouteTarget> resolved = resolve(target.uri());
                if (resolved.isEmpty()) {
                    continue;
                }
                meter(trunk.name(), target.uri());
                lastSent.put(key, now);
                inFlight.add(key);
                prober.probe(trunk.realm(), resolved.get())
                        .onErrorReturn(false)
                        .defaultIfEmpty(false)
                        .subscribe(answered -> {
                            inFlight.remove(key);
                            if (answered) {
                                health.answered(target.uri());
                            } else {
                                health.silent(target.uri());
                            }
                        });
            }
        }
    }

    private Optional<RouteTarget> resolve(String uri) {
        try {
            return Optional.of(RouteTarget.of(uri));
        } catch (RuntimeException e) {
            if (unusable.add(uri)) {
                log.warn("target {} cannot be pinged: {}", uri, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private void meter(String trunk, String uri) {
        if (metrics != null && metered.add(trunk + " " + uri)) {
            metrics.gauge("edgesbc.trunk.target.up", "1 while the target answers OPTIONS pings, 0 while it is "
                    + "out of rotation", health, h -> h.inRotation(uri) ? 1 : 0, "trunk", trunk, "target", uri);
        }
    }

    @Override
    public void dispose() {
        Disposable t = ticking;
        if (t != null) {
            t.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        Disposable t = ticking;
        return t == null || t.isDisposed();
    }
}
