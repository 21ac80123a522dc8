package io.edgesbc.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesbc.b2bua.CallEngine;
import io.edgesbc.b2bua.CallSnapshot;
import io.edgesbc.policy.PolicySummary;
import io.edgesbc.server.policy.PolicyReloader;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.server.trace.SipTrace;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.policy.Target;
import io.edgesbc.policy.Trunk;
import io.edgesbc.policy.match.CidrBlock;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The admin HTTP API on the admin listener (reference with examples: docs/OPERATIONS.md).
 *
 * <p>Open: {@code GET /health}, {@code GET /ready}, {@code GET /metrics} (read-only, no call
 * identities, and what probes and Prometheus poll). Behind the bearer token, when one is
 * configured: everything else ({@code /calls}, {@code /policy}, {@code /trace}), which shows
 * callers' numbers and can hang up calls, swap the policy or write SIP messages to disk.
 *
 * <p>Threading: handlers run on the admin listener's event loop and never block: call data is
 * gathered by tasks on the call shards ({@link ShardCalls}), the policy reload reads files on
 * {@code boundedElastic}; everything else reads immutable values or atomics.
 */
public final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
    static final ObjectMapper JSON = new ObjectMapper();

    private final ShardCalls calls;
    private final BooleanSupplier ready;
    private final Supplier<String> metrics;
    private final PolicyRouter policyRouter;
    private final PolicyReloader policyReloader;
    private final List<Path> policyFiles;
    private final BearerToken token;
    private final SipTrace trace;

    /**
     * @param policyRouter null when calls are not routed by policy files; likewise the reloader
     * @param token the bearer token the guarded endpoints ask for; {@link BearerToken#NONE} for none
     * @param trace the SIP trace switch ({@code /trace})
     */
    public AdminApi(ShardCalls calls, BooleanSupplier ready, Supplier<String> metrics, PolicyRouter policyRouter,
                    PolicyReloader policyReloader, List<Path> policyFiles, BearerToken token, SipTrace trace) {
        this.calls = Objects.requireNonNull(calls, "calls");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.policyRouter = policyRouter;
        this.policyReloader = policyReloader;
        this.policyFiles = List.copyOf(policyFiles);
        this.token = Objects.requireNonNull(token, "token");
        this.trace = Objects.requireNonNull(trace, "trace");
    }

    /** Adds the API's routes (for {@code HttpServer.route}). */
    public void routes(HttpServerRoutes routes) {
        routes.get("/health", (req, res) -> text(res, 200, "ok\n"))
                .get("/ready", (req, res) -> ready.getAsBoolean() ? text(res, 200, "ready\n")
                        : text(res, 503, "starting\n"))
                .get("/metrics", (req, res) -> res
                        .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                        .sendString(Mono.fromCallable(metrics::get)))
                .get("/calls", guarded(this::listCalls))
                .get("/calls/{id}", guarded(this::showCall))
                .delete("/calls/{id}", guarded(this::hangUp))
                .get("/policy", guarded(this::showPolicy))
                .post("/policy/reload", guarded(this::reloadPolicy))
                .get("/trace", guarded((req, res) -> json(res, 200, trace.describe())))
                .post("/trace", guarded(this::addTrace))
                .delete("/trace", guarded((req, res) -> {
                    trace.clear();
                    log.info("SIP trace switched off by the admin API");
                    return json(res, 200, trace.describe());
                }));
    }

    private interface Handler extends java.util.function.BiFunction<HttpServerRequest, HttpServerResponse,
            Publisher<Void>> {
    }

    /** Answers 401 (RFC 6750 §3) unless the request carries the configured bearer token. */
    private Handler guarded(Handler handler) {
        return (req, res) -> {
            if (token.admits(req.requestHeaders().get("Authorization"))) {
                return handler.apply(req, res);
            }
            res.header("WWW-Authenticate", "Bearer realm=\"edgesbc-admin\"");
            return json(res, 401, Map.of("error", "a bearer token is required (Authorization: Bearer TOKEN)"));
        };
    }

    // ---- calls ----

    private Publisher<Void> listCalls(HttpServerRequest req, HttpServerResponse res) {
        return calls.onEveryShard(CallEngine::snapshots)
                .flatMapIterable(list -> list)
                .collectList()
                // Sorting and writing JSON is not the shards' work: off their threads before that.
                .publishOn(Schedulers.parallel())
                .flatMap(list -> {
                    list = new ArrayList<>(list);
                    list.sort(Comparator.comparingLong(CallSnapshot::startMillis));
                    long now = System.currentTimeMillis();
                    List<Map<String, Object>> out = new ArrayList<>(list.size());
                    list.forEach(c -> out.add(callJson(c, now)));
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("count", out.size());
                    body.put("calls", out);
                    return json(res, 200, body);
                })
                .onErrorResume(e -> failed(res, "listing calls", e));
    }

    private Publisher<Void> showCall(HttpServerRequest req, HttpServerResponse res) {
        String id = pathId(req);
        return find(id)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .publishOn(Schedulers.parallel())
                .flatMap(c -> c.isPresent() ? json(res, 200, callJson(c.get(), System.currentTimeMillis()))
                        : notFound(res, id))
                .onErrorResume(e -> failed(res, "looking up a call", e));
    }

    /**
     * Hangs up a call: BYE on both legs once answered; before the answer 480 to the caller and
     * CANCEL towards the callee. Answers 202: the requests are on their way, the call ends when
     * its transactions do.
     */
    private Publisher<Void> hangUp(HttpServerRequest req, HttpServerResponse res) {
        String id = pathId(req);
        return find(id)
                .flatMap(found -> calls.onShardOf(found.id(), engine -> {
                    // Looked up again on the call's own thread: it may have ended since.
                    CallSnapshot now = engine.snapshots().stream().filter(c -> c.id().equals(found.id()))
                            .findFirst().orElse(null);
                    return now != null && engine.hangUp(now.id()) ? now : null;
                }))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .publishOn(Schedulers.parallel())
                .flatMap(hungUp -> {
                    if (hungUp.isEmpty()) {
                        return notFound(res, id);
                    }
                    CallSnapshot c = hungUp.get();
                    try (MDC.MDCCloseable ignored = MDC.putCloseable(SipTrace.MDC_CALL, c.id())) {
                        log.info("call {} hung up by the admin API (was {})", c.id(), c.state());
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("id", c.id());
                    body.put("state_before", c.state());
                    body.put("outcome", switch (c.state()) {
                        case "calling" -> "cancel: 480 to the caller, CANCEL towards the callee";
                        case "answered", "confirmed" -> "bye: BYE on both legs";
                        default -> "already ending";
                    });
                    return json(res, 202, body);
                })
                .onErrorResume(e -> failed(res, "hanging up a call", e));
    }

    /**
     * A call by its id (EdgeSBC's own Call-ID of the UAC leg, which names the shard), or else by
     * either leg's Call-ID: an operator may only have the caller's, from the other side's logs.
     */
    private Mono<CallSnapshot> find(String id) {
        Mono<CallSnapshot> byId = calls.onShardOf(id, engine -> engine.snapshots().stream()
                .filter(c -> c.id().equals(id)).findFirst().orElse(null));
        Mono<CallSnapshot> byLeg = calls.onEveryShard(engine -> engine.snapshots().stream()
                        .filter(c -> id.equals(c.uasCallId()) || id.equals(c.uacCallId())).toList())
                .flatMapIterable(list -> list)
                .next();
        return byId.switchIfEmpty(byLeg);
    }

    static Map<String, Object> callJson(CallSnapshot c, long nowMillis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("state", c.state());
        m.put("caller", c.caller());
        m.put("called", c.called());
        Map<String, Object> uas = new LinkedHashMap<>();
        uas.put("call_id", c.uasCallId());
        uas.put("realm", c.callerRealm());
        uas.put("trunk", c.labels().sourceTrunk());
        Map<String, Object> uac = new LinkedHashMap<>();
        uac.put("call_id", c.uacCallId());
        uac.put("realm", c.calleeRealm());
        uac.put("trunk", c.labels().targetTrunk());
        m.put("caller_leg", uas);
        m.put("callee_leg", uac);
        m.put("rule", c.labels().rule());
        m.put("started_at", instant(c.startMillis()));
        m.put("ringing_at", instant(c.ringMillis()));
        m.put("answered_at", instant(c.answerMillis()));
        m.put("age_seconds", seconds(nowMillis - c.startMillis()));
        m.put("duration_seconds", c.answerMillis() < 0 ? 0.0 : seconds(nowMillis - c.answerMillis()));
        // The B2BUA does not anchor media yet: no statistics to show until the relay is wired in.
        m.put("media", null);
        return m;
    }

    private static String instant(long epochMillis) {
        return epochMillis < 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    private static double seconds(long millis) {
        return Math.max(0, millis) / 1000.0;
    }

    private static String pathId(HttpServerRequest req) {
        String raw = req.param("id");
        return raw == null ? "" : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    // ---- policy ----

    private Publisher<Void> showPolicy(HttpServerRequest req, HttpServerResponse res) {
        if (policyRouter == null) {
            return json(res, 404, Map.of("error", "calls are not routed by policy files (no 'policy:' in the "
                    + "configuration)"));
        }
        PolicyRouter.Generation g = policyRouter.generation();
        PolicySummary s = g.policy().summary();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", g.number());
        m.put("version", s.version());
        m.put("loaded_at", g.loadedAt().toString());
        m.put("files", policyFiles.stream().map(Path::toString).toList());
        m.put("sha256", s.contentHash());
        m.put("trunks", s.trunks());
        m.put("rules", s.rules());
        m.put("prefix_tables", s.prefixTables());
        m.put("prefixes", s.prefixes());
        if (policyReloader != null) {
            m.put("reloads", Map.of("applied", policyReloader.succeeded(), "refused", policyReloader.failed()));
        }
        return json(res, 200, m);
    }

    private Publisher<Void> reloadPolicy(HttpServerRequest req, HttpServerResponse res) {
        if (policyReloader == null) {
            return json(res, 404, Map.of("error", "no policy files configured"));
        }
        return policyReloader.reload("admin API").flatMap(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("applied", r.applied());
            m.put("policy", r.summary());
            m.put("errors", r.errors());
            if (policyRouter != null) {
                m.put("generation", policyRouter.generation().number());
            }
            return json(res, r.applied() ? 200 : 422, m);
        }).onErrorResume(e -> failed(res, "reloading the policy", e));
    }

    // ---- trace ----

    /**
     * {@code {"call_id": ID}} (a call's id or either leg's Call-ID: a live call is traced on both
     * legs; a Call-ID not seen yet is traced when it arrives, with the leg it causes), {@code
     * {"realm": NAME}}, {@code {"address": IP or CIDR}}, {@code {"trunk": NAME}} (the trunk's
     * source blocks and its targets' addresses). Several keys in one request add each.
     */
    private Publisher<Void> addTrace(HttpServerRequest req, HttpServerResponse res) {
        return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> {
                    Map<?, ?> spec;
                    try {
                        spec = body.isBlank() ? Map.of() : JSON.readValue(body, Map.class);
                    } catch (JsonProcessingException e) {
                        return json(res, 400, Map.of("error", "the body is not a JSON object: "
                                + e.getOriginalMessage()));
                    }
                    String error = checkTrace(spec);
                    if (error != null) {
                        return json(res, 400, Map.of("error", error));
                    }
                    return applyTrace(spec).publishOn(Schedulers.parallel())
                            .then(Mono.defer(() -> json(res, 200, trace.describe())));
                })
                .onErrorResume(e -> failed(res, "switching the trace on", e));
    }

    private static final List<String> TRACE_KEYS = List.of("call_id", "realm", "address", "trunk");

    /** Null when {@code spec} can be applied whole, else why not (nothing is applied then). */
    private String checkTrace(Map<?, ?> spec) {
        if (spec.isEmpty()) {
            return "say what to trace: one or more of " + TRACE_KEYS;
        }
        for (Map.Entry<?, ?> e : spec.entrySet()) {
            if (!TRACE_KEYS.contains(String.valueOf(e.getKey()))) {
                return "unknown key '" + e.getKey() + "' (expected one of " + TRACE_KEYS + ")";
            }
            if (!(e.getValue() instanceof String text) || text.isBlank()) {
                return "'" + e.getKey() + "' must be a non-empty string";
            }
        }
        if (spec.get("address") instanceof String address) {
            String[] why = new String[1];
            if (CidrBlock.parse(address.strip(), why).isEmpty()) {
                return "address: " + why[0];
            }
        }
        if (spec.get("trunk") instanceof String name) {
            if (policyRouter == null) {
                return "trunk: calls are not routed by policy files, so there are no trunks";
            }
            if (!policyRouter.policy().trunks().containsKey(name)) {
                return "trunk: the policy has no trunk '" + name + "' (it has " + policyRouter.policy().trunks().keySet()
                        + ")";
            }
        }
        return null;
    }

    private Mono<Void> applyTrace(Map<?, ?> spec) {
        if (spec.get("realm") instanceof String realm) {
            trace.addRealm(realm.strip());
        }
        if (spec.get("address") instanceof String address) {
            CidrBlock block = CidrBlock.parse(address.strip(), new String[1]).orElseThrow();
            trace.addBlocks(List.of(new SipTrace.Block(block, address.strip())), null);
        }
        if (spec.get("trunk") instanceof String name) {
            trace.addBlocks(trunkBlocks(policyRouter.policy().trunks().get(name)), name);
        }
        if (spec.get("call_id") instanceof String id) {
            String callId = id.strip();
            return find(callId)
                    .map(c -> List.of(c.uasCallId(), c.uacCallId()))
                    .defaultIfEmpty(List.of(callId))
                    .doOnNext(ids -> trace.addCallIds(ids, callId))
                    .then();
        }
        return Mono.empty();
    }

    /** Where a trunk's messages come from (its source blocks) and go to (its targets' addresses). */
    private static List<SipTrace.Block> trunkBlocks(Trunk trunk) {
        List<SipTrace.Block> blocks = new ArrayList<>();
        for (CidrBlock from : trunk.from()) {
            blocks.add(new SipTrace.Block(from, "trunk " + trunk.name() + " " + from));
        }
        for (Target t : trunk.targets()) {
            try {
                String host = RouteTarget.of(t.uri()).address().getAddress().getHostAddress();
                CidrBlock.parse(host, new String[1]).ifPresent(b -> blocks.add(new SipTrace.Block(b,
                        "trunk " + trunk.name() + " " + host)));
            } catch (RuntimeException notUsable) {
                // A target the router cannot use either (not an IP literal): no message goes there.
            }
        }
        return blocks;
    }

    // ---- answers ----

    private static Mono<Void> text(HttpServerResponse res, int status, String body) {
        return res.status(status).header("Content-Type", "text/plain").sendString(Mono.just(body)).then();
    }

    static Mono<Void> json(HttpServerResponse res, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
        return res.status(status).header("Content-Type", "application/json").sendString(Mono.just(text)).then();
    }

    private static Mono<Void> notFound(HttpServerResponse res, String id) {
        return json(res, 404, Map.of("error", "no active call " + id));
    }

    private static Mono<Void> failed(HttpServerResponse res, String what, Throwable e) {
        log.warn("admin API: {} failed", what, e);
        return json(res, 500, Map.of("error", what + " failed: " + e));
    }
}
