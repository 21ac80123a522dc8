package io.edgesbc.server;

import io.edgesbc.b2bua.CallEvents;
import io.edgesbc.b2bua.CallRouter;
import io.edgesbc.server.admin.AdminApi;
import io.edgesbc.server.admin.BearerToken;
import io.edgesbc.server.cdr.CdrWriter;
import io.edgesbc.server.config.ConfigException;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.server.media.MediaMeters;
import io.edgesbc.server.media.RelayMediaAnchor;
import io.edgesbc.server.metrics.CallMeters;
import io.edgesbc.server.metrics.EdgeSbcMetrics;
import io.edgesbc.policy.admission.AdmissionController;
import io.edgesbc.server.policy.AdmissionMeters;
import io.edgesbc.server.policy.PolicyReloader;
import io.edgesbc.server.policy.OptionsPinger;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.server.trace.SipTrace;
import io.edgesbc.server.policy.PolicyWatcher;
import io.edgesbc.sip.transaction.TimerConfig;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TlsSettings;
import io.edgesbc.sip.transport.SipTransportLayer;
import io.edgesbc.sip.transport.TransportKind;
import io.edgesbc.sip.transport.TransportSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The running EdgeSBC: SIP listen points per realm, the SIP core on its call shards, and the
 * admin HTTP listener. {@link #start()} binds everything or nothing; {@link #stop()} closes the
 * listeners, lets transactions on the shards finish, bounded by the configured timeout.
 */
public final class EdgeSbcServer {

    private static final Logger log = LoggerFactory.getLogger(EdgeSbcServer.class);

    private final ServerConfig config;
    private final LoopResources loops;
    private final List<CallShard> shards = new ArrayList<>();
    private final SipTransportLayer transport;
    private final SipCore core;
    private final EdgeSbcMetrics metrics = new EdgeSbcMetrics();
    /** The policy router when calls are routed by rule files, else null; its reloader likewise. */
    private final PolicyRouter policyRouter;
    /** Pings the targets of trunks with options_ping; null without policy routing. */
    private OptionsPinger pinger;
    private final PolicyReloader policyReloader;
    /** The media relay's anchor when {@code media:} is enabled, else null (SDP passes unchanged). */
    private final RelayMediaAnchor media;
    private final SipTrace trace = new SipTrace();
    /** Call events go to the call meters and, when configured, the CDR writer (null when CDRs are off). */
    private final CallEventsFanOut callEvents;
    private final CdrWriter cdr;
    private DisposableServer admin;
    private static final Duration AUDIT_PERIOD = Duration.ofMinutes(1);

    // ---- the minimums of the stop steps that must run even when the shutdown timeout is used up
    /** Hanging up the calls, and ending at once those that did not end by themselves. */
    private static final Duration HANG_UP_MINIMUM = Duration.ofMillis(250);
    /** Closing the SIP and admin listeners and the media relay's sockets. */
    private static final Duration CLOSE_MINIMUM = Duration.ofMillis(250);
    /** Writing the queued CDRs and closing the CDR file. */
    private static final Duration CDR_MINIMUM = Duration.ofMillis(500);
    /** The most a stop takes beyond its timeout: the minimums of the steps that must run. */
    static final Duration STOP_OVERRUN = HANG_UP_MINIMUM.multipliedBy(2).plus(CLOSE_MINIMUM).plus(CDR_MINIMUM);

    private reactor.core.Disposable audit;
    /** Polls the policy files for changes while running (config {@code policy_watch}), else null. */
    private reactor.core.Disposable policyWatch;
    private volatile boolean ready;

    /** A server that routes no call: every INVITE gets 480, as before the B2BUA. */
    public EdgeSbcServer(ServerConfig config) {
        this(config, CallRouter.none());
    }

    /**
     * A server whose calls are routed by {@code router} (e.g. a {@link io.edgesbc.b2bua.StaticRouter});
     * realms it has no route for keep the 480 answer.
     */
    public EdgeSbcServer(ServerConfig config, CallRouter router) {
        this.config = config;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.loops = LoopResources.create("edgesbc-io", threads, true);
        for (int i = 0; i < threads; i++) {
            shards.add(new CallShard(i, CallShard.newScheduler(i), java.time.Clock.systemUTC()));
        }
        TimerConfig timers = TimerConfig.DEFAULT.withT1(config.t1()).withT2(config.t2()).withT4(config.t4());
        CallMeters callMeters = new CallMeters(metrics.registry());
        this.cdr = config.cdr().enabled() ? new CdrWriter(config.cdr(), java.time.Clock.systemUTC()) : null;
        List<CallEvents> listeners = new ArrayList<>(List.of(callMeters));
        if (cdr != null) {
            listeners.add(cdr);
        }
        this.callEvents = new CallEventsFanOut(listeners);
        this.media = config.media().enabled() ? RelayMediaAnchor.create(config.media()) : null;
        this.core = new SipCore(shards, timers, new NoRouteUas(), router,
                media != null ? media : io.edgesbc.b2bua.MediaAnchor.PASS_THROUGH, callEvents,
                config.b2bua());
        if (media != null) {
            // The relay's sweep thread reports; the call ends on its shard. A relay call whose
            // B2BUA call is gone (it should not happen) is released so its ports come back.
            media.onMediaTimeout(id -> core.onMediaTimeout(id).subscribe(found -> {
                if (!found) {
                    log.warn("media timeout for {}, which is no call: releasing its relay ports", id);
                    media.release(id).subscribe();
                }
            }, e -> log.error("media timeout of {} could not be handled", id, e)));
            MediaMeters.register(metrics, media);
        }
        this.transport = new SipTransportLayer(listenPoints(config),
                new TransportSettings(config.parseLimits(), config.idleTimeout(), config.maxConnections(),
                        config.tlsTrust(), config.buffers()),
                core, loops);
        core.attach(transport);
        metrics.bind(transport);
        core.trace(trace);
        transport.observe(trace);
        metrics.counter("edgesbc.sip.server.transactions", "Server transactions created", core,
                c -> c.serverTransactionsCreated.sum());
        metrics.counter("edgesbc.sip.transaction.timeouts", "Transactions ended by a timeout (Timer B, F or H)",
                core, c -> c.transactionTimeouts.sum());
        metrics.counter("edgesbc.calls.reaped", "Calls the orphan audit had to end (each one a bug)", core,
                SipCore::callsReaped);
        metrics.counter("edgesbc.sip.retransmissions.received", "Requests a peer sent again that an open server "
                + "transaction absorbed (RFC 3261 §17.2): loss on the way back, or EdgeSBC slow to answer", core,
                c -> c.retransmissionsReceived.sum());
        metrics.counter("edgesbc.sip.stray.responses", "Responses that matched no client transaction", core,
                c -> c.strayResponses.sum());
        metrics.counter("edgesbc.overload.refused", "New INVITEs refused with 503 because they waited longer than "
                + "b2bua.max_queue_delay for their call shard", core, c -> c.overload.refused.sum());
        registerCallMeters(config, callMeters);
        // Policy routing: the flood guard screens every request; admission meters; reloads.
        this.policyRouter = router instanceof PolicyRouter p ? p : null;
        if (policyRouter != null) {
            for (io.edgesbc.policy.Trunk trunk : policyRouter.policy().trunks().values()) {
                if (trunk.realm() != null && !trunk.from().isEmpty()) { // a trunk calls can come from
                    callMeters.prepare(trunk.realm(), trunk.name());
                }
            }
            core.screen(PolicyScreen.of(policyRouter));
            AdmissionMeters.register(metrics, policyRouter);
        }
        this.policyReloader = policyRouter == null || config.policyFiles().isEmpty() ? null
                : new PolicyReloader(policyRouter, config.policyFiles(),
                        config.realms().stream().map(RealmConfig::name).collect(java.util.stream.Collectors.toSet()),
                        p -> AdmissionMeters.registerLimits(metrics, policyRouter, p));
        if (policyReloader != null) {
            AdmissionMeters.register(metrics, policyReloader);
        }
    }

    /**
     * The call meters' series of every realm exist from the start (trunk "none"), and the CDR
     * writer's and the event fan-out's counters.
     */
    private void registerCallMeters(ServerConfig config, CallMeters callMeters) {
        for (RealmConfig realm : config.realms()) {
            callMeters.prepare(realm.name(), null);
        }
        metrics.counter("edgesbc.call.event.failures", "Call event listeners (metrics, CDRs) that threw (a bug, logged)",
                callEvents, CallEventsFanOut::failures);
        if (cdr != null) {
            metrics.counter("edgesbc.cdr.written", "CDRs written to a file", cdr, CdrWriter::written);
            metrics.counter("edgesbc.cdr.dropped", "CDRs dropped because the CDR queue was full (logged)", cdr,
                    CdrWriter::dropped);
            metrics.counter("edgesbc.cdr.write.failures", "CDRs lost to I/O errors (logged)", cdr, CdrWriter::failed);
            metrics.gauge("edgesbc.cdr.queued", "CDRs waiting to be written", cdr, CdrWriter::queued);
        }
    }

    /** The listen points a configuration asks for, before binding. */
    public static List<ListenPoint> listenPointsOf(ServerConfig config) {
        return listenPoints(config);
    }

    static List<ListenPoint> listenPoints(ServerConfig config) {
        List<ListenPoint> points = new ArrayList<>();
        for (RealmConfig realm : config.realms()) {
            if (realm.udpPort() >= 0) {
                points.add(new ListenPoint(realm.name(), TransportKind.UDP,
                        new InetSocketAddress(realm.address(), realm.udpPort())).advertising(realm.advertise()));
            }
            if (realm.tcpPort() >= 0) {
                points.add(new ListenPoint(realm.name(), TransportKind.TCP,
                        new InetSocketAddress(realm.address(), realm.tcpPort())).advertising(realm.advertise()));
            }
            if (realm.hasTls()) {
                points.add(ListenPoint.tls(realm.name(), new InetSocketAddress(realm.address(), realm.tlsPort()),
                        new TlsSettings(realm.tlsCertificate(), realm.tlsKey())).advertising(realm.advertise()));
            }
        }
        return points;
    }

    public EdgeSbcServer start() {
        BearerToken token = adminToken(); // before binding anything: a bad token file binds nothing
        if (cdr != null) {
            try {
                cdr.start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write CDRs: " + e.getMessage(), e);
            }
            log.info("CDRs go to {}", config.cdr().dir().toAbsolutePath());
        } else {
            log.info("CDRs are off (no cdr.dir in the configuration)");
        }
        try {
            transport.start().block(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            if (cdr != null) {
                cdr.stop(Duration.ofSeconds(5)); // not started after all: no writer thread left behind
            }
            throw e;
        }
        AdminApi api = new AdminApi(core, () -> ready, metrics::scrape, policyRouter, policyReloader,
                config.policyFiles(), token, trace);
        admin = HttpServer.create()
                .bindAddress(config::admin)
                .runOn(loops)
                .route(api::routes)
                .bindNow(Duration.ofSeconds(30));
        // The orphan audit: every minute, calls that can no longer end by themselves are ended.
        audit = Flux.interval(AUDIT_PERIOD, AUDIT_PERIOD, Schedulers.parallel())
                .concatMap(tick -> core.audit().onErrorResume(e -> Mono.just(0)))
                .subscribe(n -> {
                    if (n > 0) {
                        log.warn("the call audit reaped {} call(s) that could not end by themselves", n);
                    }
                });
        if (policyRouter != null) {
            // After the listeners are bound: the pings go out from them.
            pinger = new OptionsPinger(policyRouter::policy, core::probe, policyRouter.health(),
                    Schedulers.parallel(), metrics).start();
        }
        if (policyReloader != null && config.policyWatch() != null) {
            policyWatch = PolicyWatcher.of(policyReloader, policyRouter, config.policyWatch()).start();
        }
        ready = true;
        log.info("EdgeSBC started from {}: SIP on {} ({}), admin on http://{}:{}/health", config.source(),
                transport.boundPoints(), transport.usesEpoll() ? "epoll" : "NIO",
                config.admin().getAddress().getHostAddress(), admin.port());
        return this;
    }

    /**
     * The admin API's bearer token, read now (a token file is read at start-up, see {@link
     * io.edgesbc.server.config.AdminToken}); a file that cannot be read stops the start with its
     * FILE:LINE:COLUMN.
     */
    private BearerToken adminToken() {
        BearerToken token;
        try {
            token = BearerToken.of(config.adminToken().secret());
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (!token.required() && !config.admin().getAddress().isLoopbackAddress()) {
            // ConfigLoader refuses this with the key's position; this guards configurations built in code.
            throw new IllegalStateException("the admin listener " + config.admin().getAddress().getHostAddress()
                    + " is not loopback and has no bearer token (admin.token_file)");
        }
        return token;
    }

    /** The SIP trace switch (also reachable through the admin API's /trace). */
    public SipTrace trace() {
        return trace;
    }

    public List<ListenPoint> listenPoints() {
        return transport.boundPoints();
    }

    public int adminPort() {
        return admin.port();
    }

    /** Server transactions created since start (retransmissions create none). */
    public long serverTransactionsCreated() {
        return core.serverTransactionsCreated.sum();
    }

    public EdgeSbcMetrics metrics() {
        return metrics;
    }

    /** The media relay's anchor, when media is anchored ({@code media:} enabled). */
    public Optional<RelayMediaAnchor> media() {
        return Optional.ofNullable(media);
    }

    /** The call shards, to run work on their threads (the admin API's view of them). */
    io.edgesbc.server.admin.ShardCalls shardCalls() {
        return core;
    }

    /** Calls that have not ended, over all shards (a leak check for tests and the admin side). */
    public int activeCalls() {
        Integer n = core.activeCalls().block(Duration.ofSeconds(5));
        return n == null ? 0 : n;
    }

    /** The admission controller new calls use, when calls are routed by policy. */
    public Optional<AdmissionController> admission() {
        return Optional.ofNullable(policyRouter).map(PolicyRouter::admission);
    }

    /** The policy router, when calls are routed by policy. */
    public Optional<PolicyRouter> policyRouter() {
        return Optional.ofNullable(policyRouter);
    }

    /** Reloads the policy files (admin API, SIGHUP); empty when there are none. Subscribe to run. */
    public Optional<PolicyReloader> policyReloader() {
        return Optional.ofNullable(policyReloader);
    }

    /** The CDR writer, when CDRs are on. */
    public Optional<CdrWriter> cdrWriter() {
        return Optional.ofNullable(cdr);
    }

    /** Requests refused by the flood guard before any other work. */
    public long requestsScreenedOut() {
        return core.screenedOut.sum();
    }

    public SipTransportLayer transport() {
        return transport;
    }

    /**
     * Graceful stop within one deadline, {@code shutdown_timeout} from now (see {@link
     * StopDeadline}): each step below waits at most for what remains of it; hanging up the calls,
     * closing the listeners and writing the last CDRs get a short minimum even when nothing
     * remains, so a stop takes at most the timeout plus {@link #STOP_OVERRUN}.
     *
     * <p>The order is deliberate. New requests out of a dialog are refused first (503 with
     * Retry-After, RFC 3261 §21.5.4), so that peers take them elsewhere, while requests inside a
     * dialog (a BYE) and CANCELs still reach their calls. The open transactions may then finish
     * with the listeners still open: their final responses still go out, and over UDP a lost final
     * response is only sent again when the peer retransmits its request, as is a lost ACK (RFC 3261
     * §17.2.1, §17.2.2): the sockets are needed until those retransmissions are no longer expected
     * (Timers H, I, J, L), or the time is up. Calls still up are hung up next, on the same sockets.
     * Only then are the listeners closed, then the threads, then the CDR writer, which writes what
     * the shards queued last.
     */
    public void stop() {
        ready = false;
        if (pinger != null) {
            pinger.dispose();
        }
        if (audit != null) {
            audit.dispose();
        }
        if (policyWatch != null) {
            policyWatch.dispose();
        }
        Duration timeout = config.shutdownTimeout();
        log.info("EdgeSBC stopping within {} (plus at most {})", timeout, STOP_OVERRUN);
        StopDeadline deadline = StopDeadline.start(timeout);
        core.drain();
        int open = deadline.untilZero(core::openTransactions).block();
        if (open > 0) {
            log.info("stopping with {} transaction(s) still open after {}", open, timeout);
        } else if (open < 0) {
            log.info("stopping without waiting for open transactions: no time left of {}", timeout);
        }
        hangUpCalls(deadline);
        closeListeners(deadline);
        closeThreads(deadline);
        // After the shards: the last calls' records are queued by now; write them all.
        if (cdr != null) {
            cdr.stop(deadline.atLeast(CDR_MINIMUM));
        }
        metrics.close();
        log.info("EdgeSBC stopped");
    }

    /**
     * Calls still up get a BYE on both legs and end (each with its CDR); calls still ringing get
     * 480 and their callee a CANCEL once it has sent a provisional response (RFC 3261 §9.1), and
     * end when the INVITE is answered. What has not ended by the deadline is ended at once.
     */
    private void hangUpCalls(StopDeadline deadline) {
        Integer calls = deadline.within(core.hangUpAll("EdgeSBC is stopping", false), HANG_UP_MINIMUM).block();
        if (calls == null) {
            log.warn("the calls could not be hung up within {}: a call shard is busy", HANG_UP_MINIMUM);
        } else if (calls == 0) {
            return;
        } else {
            log.info("hung up {} call(s) still in progress", calls);
        }
        if (deadline.untilZero(core::activeCalls).block() != 0) {
            deadline.within(core.hangUpAll("EdgeSBC stopped", true), HANG_UP_MINIMUM).block();
        }
    }

    /**
     * The SIP and admin listeners and the media relay (every relay call still open deleted, its
     * sockets closed), together, with what remains but at least {@link #CLOSE_MINIMUM}.
     */
    private void closeListeners(StopDeadline deadline) {
        Mono<Void> adminClosed = admin == null ? Mono.empty()
                : Mono.fromRunnable(admin::dispose).then(admin.onDispose());
        // Before the shards go, so that no media timeout is handed to a disposed shard. The
        // relay's close blocks (it waits for its sockets): not on an event loop.
        Mono<Void> mediaClosed = media == null ? Mono.empty()
                : Mono.fromRunnable(media::close).subscribeOn(Schedulers.boundedElastic()).then();
        deadline.within(Mono.when(adminClosed, transport.stop(deadline.atLeast(CLOSE_MINIMUM)), mediaClosed),
                CLOSE_MINIMUM).block();
    }

    /** The shards and the event loops, waited for with what remains (they go on after that). */
    private void closeThreads(StopDeadline deadline) {
        deadline.within(Flux.fromIterable(shards).flatMap(shard -> shard.scheduler().disposeGracefully()).then(),
                Duration.ZERO).block();
        // No quiet period: the listeners are closed and the shards gone, nothing submits work now.
        deadline.within(loops.disposeLater(Duration.ZERO, deadline.atLeast(CLOSE_MINIMUM)), Duration.ZERO).block();
    }
}
