package io.edgesbc.server.metrics;

import io.edgesbc.b2bua.CallEvents;
import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The call meters, fed by the B2BUA's {@link CallEvents}. Every meter is labelled by the caller's
 * realm and the call's source trunk ({@code trunk="none"} when the router named none: static routes,
 * unknown sources, and today every INVITE refused by the router, whose record has no labels):
 * <ul>
 *   <li>{@code edgesbc_calls_attempts_total}: INVITEs that became a call or got a final answer
 *       without one (refused by the router, unusable). Counted when the call starts, or for a
 *       refused INVITE when it is answered;</li>
 *   <li>{@code edgesbc_calls_active}: calls started and not yet ended;</li>
 *   <li>{@code edgesbc_calls_answered_total}: calls whose caller got a 2xx;</li>
 *   <li>{@code edgesbc_calls_failed_total{status_class,code}}: attempts that ended without an
 *       answer, by the final response the caller got (so attempts = answered + failed + active);
 *       a code outside the well-known ones counts as {@code code="other"}, so a peer cannot grow
 *       the label space;</li>
 *   <li>{@code edgesbc_calls_ended_total{outcome,ended_by}}: every attempt's end;</li>
 *   <li>histograms {@code edgesbc_call_post_dial_delay_seconds} (INVITE to first 18x),
 *       {@code edgesbc_call_answer_delay_seconds} (INVITE to 2xx) and
 *       {@code edgesbc_call_duration_seconds} (answer to end, answered calls only).</li>
 * </ul>
 * Never a Call-ID or a user as a label: trunk names come from the policy and realms from the
 * configuration, so the number of series is bounded by the operator's own files.
 *
 * <p>Threading: events arrive on the call shards (several threads at once); meters are looked up
 * in concurrent maps and created once per label set; nothing here blocks.
 */
public final class CallMeters implements CallEvents {

    static final String NONE = "none";

    /** SIP final codes of RFC 3261 §21 and common extensions; others count as "other". */
    private static final Set<Integer> KNOWN_CODES = Set.of(300, 301, 302, 305, 380,
            400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417, 420, 421, 422, 423,
            428, 429, 430, 433, 436, 437, 438, 439, 440, 469, 470, 480, 481, 482, 483, 484, 485, 486, 487, 488,
            489, 491, 493, 494, 500, 501, 502, 503, 504, 505, 513, 555, 580, 600, 603, 604, 606, 607, 608);

    private static final Duration[] DELAY_BUCKETS = seconds(0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60);
    private static final Duration[] DURATION_BUCKETS = seconds(5, 15, 30, 60, 120, 180, 300, 600, 1200, 1800, 3600,
            7200);

    private final MeterRegistry registry;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> ended = new ConcurrentHashMap<>();
    /** Started calls by id, with the key they were counted under, until they end. */
    private final Map<String, Key> active = new ConcurrentHashMap<>();

    public CallMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Creates the series of a realm and trunk before their first call, so that the first call is
     * an increase from 0 that {@code rate()} sees, and dashboards show 0 rather than nothing.
     */
    public void prepare(String realm, String trunk) {
        meters(new Key(realm == null ? NONE : realm, trunk == null ? NONE : trunk));
    }

    @Override
    public void started(CallSnapshot call) {
        Key key = keyOf(call);
        Meters m = meters(key);
        m.attempts.increment();
        m.active.incrementAndGet();
        active.put(call.id(), key);
    }

    @Override
    public void ringing(CallSnapshot call) {
        if (call.startMillis() >= 0 && call.ringMillis() >= call.startMillis()) {
            meters(keyOf(call)).postDialDelay.record(call.ringMillis() - call.startMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void answered(CallSnapshot call) {
        Meters m = meters(keyOf(call));
        m.answered.increment();
        if (call.startMillis() >= 0 && call.answerMillis() >= call.startMillis()) {
            m.answerDelay.record(call.answerMillis() - call.startMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void ended(CallRecord record) {
        CallSnapshot call = record.call();
        Key startedAs = active.remove(call.id());
        Key key = startedAs != null ? startedAs : keyOf(call);
        Meters m = meters(key);
        if (startedAs != null) {
            m.active.decrementAndGet();
        } else {
            m.attempts.increment(); // refused before it became a call: its only event
        }
        if (call.answerMillis() >= 0) {
            m.duration.record(Math.round(record.durationSeconds() * 1000), TimeUnit.MILLISECONDS);
        } else {
            failedCounter(key, record.uasCode()).increment();
        }
        endedCounter(key, record.outcome(), record.endedBy()).increment();
    }

    private static Key keyOf(CallSnapshot call) {
        CallLabels labels = call.labels();
        String trunk = labels == null || labels.sourceTrunk() == null ? NONE : labels.sourceTrunk();
        return new Key(call.callerRealm() == null ? NONE : call.callerRealm(), trunk);
    }

    private Meters meters(Key key) {
        Meters m = meters.get(key);
        return m != null ? m : meters.computeIfAbsent(key, k -> new Meters(registry, k));
    }

    private Counter failedCounter(Key key, int code) {
        String codeLabel = KNOWN_CODES.contains(code) ? Integer.toString(code) : code <= 0 ? NONE : "other";
        String statusClass = code >= 100 && code < 700 ? (code / 100) + "xx" : NONE;
        String id = key.realm + '|' + key.trunk + '|' + statusClass + '|' + codeLabel;
        Counter c = failed.get(id);
        return c != null ? c : failed.computeIfAbsent(id, i -> Counter.builder("edgesbc.calls.failed")
                .description("Call attempts that ended without an answer, by the final response the caller got")
                .tags("realm", key.realm, "trunk", key.trunk, "status_class", statusClass, "code", codeLabel)
                .register(registry));
    }

    private Counter endedCounter(Key key, CallRecord.Outcome outcome, CallRecord.EndedBy endedBy) {
        String o = outcome.name().toLowerCase(Locale.ROOT);
        String by = endedBy.name().toLowerCase(Locale.ROOT);
        String id = key.realm + '|' + key.trunk + '|' + o + '|' + by;
        Counter c = ended.get(id);
        return c != null ? c : ended.computeIfAbsent(id, i -> Counter.builder("edgesbc.calls.ended")
                .description("Call attempts ended, by outcome and by who ended them")
                .tags("realm", key.realm, "trunk", key.trunk, "outcome", o, "ended_by", by)
                .register(registry));
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofMillis(Math.round(values[i] * 1000));
        }
        return out;
    }

    private record Key(String realm, String trunk) {
    }

    /** The meters of one realm and trunk. */
    private static final class Meters {
        final Counter attempts;
        final Counter answered;
        /** Held here: Micrometer keeps only a weak reference to a gauge's object. */
        final AtomicLong active = new AtomicLong();
        final Timer postDialDelay;
        final Timer answerDelay;
        final Timer duration;

        Meters(MeterRegistry registry, Key key) {
            String[] tags = {"realm", key.realm, "trunk", key.trunk};
            attempts = Counter.builder("edgesbc.calls.attempts").description("Call attempts (INVITEs that started a "
                    + "call or were refused)").tags(tags).register(registry);
            answered = Counter.builder("edgesbc.calls.answered").description("Calls answered (2xx to the caller)")
                    .tags(tags).register(registry);
            Gauge.builder("edgesbc.calls.active", active, AtomicLong::get).description("Calls in progress")
                    .tags(tags).register(registry);
            postDialDelay = histogram(registry, "edgesbc.call.post.dial.delay",
                    "Post-dial delay: INVITE received to first 18x sent to the caller", DELAY_BUCKETS, tags);
            answerDelay = histogram(registry, "edgesbc.call.answer.delay",
                    "INVITE received to 2xx sent to the caller", DELAY_BUCKETS, tags);
            duration = histogram(registry, "edgesbc.call.duration", "Answered calls: answer to end",
                    DURATION_BUCKETS, tags);
        }

        private static Timer histogram(MeterRegistry registry, String name, String description, Duration[] buckets,
                                       String[] tags) {
            // Fixed buckets (not Micrometer's ~70 default ones) keep each series small and make
            // histogram_quantile() across instances meaningful: every instance has the same le's.
            return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(buckets)
                    .register(registry);
        }
    }
}
