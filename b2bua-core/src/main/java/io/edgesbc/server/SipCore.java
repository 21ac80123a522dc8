package io.edgesbc.server;

import io.edgesbc.b2bua.CallEngine;
import io.edgesbc.b2bua.CallRouter;
import io.edgesbc.b2bua.ShardContext;
import io.edgesbc.server.trace.SipTrace;
import io.edgesbc.sip.dialog.TagGenerator;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.dialog.UasVerdict;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.ClientTransaction;
import io.edgesbc.sip.transaction.InviteServerTransaction;
import io.edgesbc.sip.transaction.NonInviteServerTransaction;
import io.edgesbc.sip.transaction.ServerTransaction;
import io.edgesbc.sip.transaction.ServerTransactionUser;
import io.edgesbc.sip.transaction.TimerConfig;
import io.edgesbc.sip.transaction.TransactionTable;
import io.edgesbc.sip.transaction.TransportSink;
import io.edgesbc.sip.transport.InboundMessage;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.MessageSource;
import io.edgesbc.sip.transport.SendFailure;
import io.edgesbc.sip.transport.SipMessageHandler;
import io.edgesbc.sip.transport.SipTransportLayer;
import io.edgesbc.sip.transport.TransportKind;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The SIP core between the transport and the application: hands each message to its call's
 * shard, absorbs retransmissions in server transactions, answers CANCEL (RFC 3261 §9.2), and asks
 * a {@link RequestHandler} what to answer to each new request.
 *
 * <p>Threading: {@link #onMessage} runs on a Netty event loop and only hops to the shard; all
 * transaction state is touched on the shard's thread.
 */
final class SipCore implements SipMessageHandler, io.edgesbc.server.admin.ShardCalls {

    private static final Logger log = LoggerFactory.getLogger(SipCore.class);

    private final List<CallShard> shards;
    private final ShardKeys keys;
    private final TimerConfig timers;
    private final RequestHandler handler;
    private SipTransportLayer transport;
    final LongAdder strayResponses = new LongAdder();
    final LongAdder serverTransactionsCreated = new LongAdder();
    final LongAdder transactionTimeouts = new LongAdder();
    /** Requests refused by the {@link RequestScreen} (flood guard) before any other work. */
    final LongAdder screenedOut = new LongAdder();
    private volatile RequestScreen screen = RequestScreen.NONE;
    /** Set when stopping: new requests are refused with 503 while open transactions finish. */
    private volatile boolean draining;
    /** Plain field: set before the transport starts, which publishes it to the shards. */
    private SipTrace trace = new SipTrace();
    final LongAdder strayAcks = new LongAdder();
    /** Refuses new INVITEs that waited too long for their shard (b2bua.max_queue_delay). */
    final OverloadGuard overload;
    /** Requests that matched an open server transaction: retransmissions by the peer. */
    final LongAdder retransmissionsReceived = new LongAdder();

    SipCore(List<CallShard> shards, TimerConfig timers, RequestHandler handler, CallRouter router) {
        this(shards, timers, handler, router, io.edgesbc.b2bua.MediaAnchor.PASS_THROUGH);
    }

    SipCore(List<CallShard> shards, TimerConfig timers, RequestHandler handler, CallRouter router,
            io.edgesbc.b2bua.MediaAnchor media) {
        this(shards, timers, handler, router, media, io.edgesbc.b2bua.CallEvents.NONE);
    }

    SipCore(List<CallShard> shards, TimerConfig timers, RequestHandler handler, CallRouter router,
            io.edgesbc.b2bua.MediaAnchor media, io.edgesbc.b2bua.CallEvents events) {
        this(shards, timers, handler, router, media, events, io.edgesbc.b2bua.B2buaSettings.DEFAULT);
    }

    SipCore(List<CallShard> shards, TimerConfig timers, RequestHandler handler, CallRouter router,
            io.edgesbc.b2bua.MediaAnchor media, io.edgesbc.b2bua.CallEvents events,
            io.edgesbc.b2bua.B2buaSettings settings) {
        this.shards = List.copyOf(shards);
        this.keys = new ShardKeys(shards.size());
        this.overload = new OverloadGuard(settings.maxQueueDelay());
        this.timers = timers;
        this.handler = handler;
        for (CallShard shard : this.shards) {
            shard.attach(new CallEngine(new Services(shard), router, media, events, settings));
        }
    }

    void attach(SipTransportLayer transport) {
        this.transport = transport;
    }

    /** Screens every request before anything else is done with it (e.g. the policy's flood guard). */
    void screen(RequestScreen screen) {
        this.screen = java.util.Objects.requireNonNull(screen, "screen");
    }

    /** Traces messages of the calls an operator asked for; set once, before the transport starts. */
    void trace(SipTrace trace) {
        this.trace = java.util.Objects.requireNonNull(trace, "trace");
    }

    @Override
    public void onMessage(InboundMessage inbound) {
        CallShard shard = shards.get(keys.shardOf(inbound.message()));
        long queuedAt = System.nanoTime();
        shard.scheduler().schedule(() -> {
            long waited = System.nanoTime() - queuedAt;
            // Log lines written while this message is handled name its Call-ID (%X{call}): the
            // leg's own, which is what the operator finds in the peers' logs too.
            MDC.put(SipTrace.MDC_CALL, inbound.message().callId());
            try {
                shard.handlingTraced = trace.received(inbound);
                handle(shard, inbound, waited);
            } catch (RuntimeException e) {
                // A handler bug affects this message only, never the shard or other calls.
                log.error("failed to handle {} from {}", inbound.message(), inbound.source(), e);
            } finally {
                shard.handlingTraced = false;
                MDC.remove(SipTrace.MDC_CALL);
            }
        });
    }

    /** @param waited how long the message waited for the shard (nanoseconds): the overload measure */
    private void handle(CallShard shard, InboundMessage inbound, long waited) {
        SipMessage message = inbound.message();
        TransactionTable table = shard.transactions();
        if (message instanceof SipResponse response) {
            // RFC 3261 §17.1.3: a response goes to its client transaction; one that has none may
            // still be a 2xx retransmission for a call's UAC leg (§13.2.2.4, RFC 6026).
            Optional<ClientTransaction> client = table.matchResponse(response);
            if (client.isPresent()) {
                client.get().receiveResponse(response);
            } else if (!shard.calls().onStrayResponse(response)) {
                strayResponses.increment();
                log.debug("no client transaction for {}", response);
            }
            return;
        }
        SipRequest request = (SipRequest) message;
        RequestScreen.Refusal refusal = screen.screen(inbound.source().remote().getAddress(), inbound.source().realm());
        if (refusal != null) {
            screenedOut.increment();
            if (!"ACK".equals(request.method())) {
                // Answered statelessly (RFC 3261 §8.2.7 style): no transaction, no state for a flood.
                SipResponse.Builder b = UasResponses.to(request, refusal.code(), refusal.reason(),
                        () -> keys.newTag(shard.index()));
                if (refusal.retryAfterSeconds() >= 0) {
                    b.add(HeaderName.RETRY_AFTER, Integer.toString(refusal.retryAfterSeconds()));
                }
                transport.sendResponse(b.build(), inbound.source());
            }
            return;
        }
        Optional<ServerTransaction> existing = table.matchRequest(request);
        if (existing.isPresent()) {
            if (!"ACK".equals(request.method())) {
                retransmissionsReceived.increment(); // absorbed (§17.2): the peer resent
            }
            existing.get().receiveRequest(request); // a retransmission, or the ACK of a non-2xx
            return;
        }
        if ("ACK".equals(request.method())) {
            // The ACK of a 2xx belongs to a dialog (§13.3.1.4): a call's UAS leg, or nothing.
            if (!shard.calls().onAck(request)) {
                strayAcks.increment();
            }
            return;
        }
        ServerTransaction transaction = newServerTransaction(shard, request, inbound.source(),
                overload.refuses(request, waited));
        table.add(transaction);
        serverTransactionsCreated.increment();
        transaction.start();
        // §8.2.2.2: remembered after the checks ran, so a later copy with another branch is merged.
        shard.mergedRequests().record(request);
    }

    /** Stops taking new work: new requests get 503 with Retry-After (RFC 3261 §21.5.4). */
    void drain() {
        draining = true;
    }

    /** The number of open server transactions over all shards, counted on each shard's thread. */
    Mono<Integer> openTransactions() {
        return Flux.fromIterable(shards)
                .flatMap(shard -> Mono.fromCallable(() -> shard.transactions().serverCount()
                        + shard.transactions().clientCount()).subscribeOn(shard.scheduler()))
                .reduce(0, Integer::sum);
    }

    /** @param overloaded answer 503 at once: a new INVITE that waited too long for its shard */
    private ServerTransaction newServerTransaction(CallShard shard, SipRequest request, MessageSource source,
                                                   boolean overloaded) {
        TransportSink sink = (m, owner) -> transport.sendResponse((SipResponse) m, source,
                TransportSink.reportingTo(owner, shard.scheduler())::accept);
        boolean reliable = source.transport().reliable();
        ServerTransactionUser user = new ServerTransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction, SipRequest received) {
                if (overloaded) {
                    refuseOverloaded(shard, transaction, received);
                } else {
                    answer(shard, transaction, received, source);
                }
            }

            @Override
            public void onAck(InviteServerTransaction transaction, SipRequest ack) {
                // A 2xx ACK in Accepted: dialogs (B2BUA issue) take it from here.
            }

            @Override
            public void onTimeout(ServerTransaction transaction) {
                transactionTimeouts.increment();
                log.info("no ACK for the final response to {} (Timer H)", transaction.request());
            }

            @Override
            public void onTransportError(ServerTransaction transaction, Throwable cause) {
                // In Accepted or a non-INVITE Completed the request is gone (released): the key names it.
                Object what = transaction.request() != null ? transaction.request() : transaction;
                log.info("could not send a response to {}: {}", what, cause.toString());
            }

            @Override
            public void onTerminated(ServerTransaction transaction) {
            }
        };
        return "INVITE".equals(request.method())
                ? new InviteServerTransaction(request, reliable, timers, shard.scheduler(), sink, user)
                : new NonInviteServerTransaction(request, reliable, timers, shard.scheduler(), sink, user);
    }

    private void refuseOverloaded(CallShard shard, ServerTransaction transaction, SipRequest request) {
        long refusals = overload.refusalsToLog(System.nanoTime());
        if (refusals > 0) {
            log.warn("overload: {} new call(s) refused with 503 since the last such line: their INVITEs waited "
                    + "longer than {} for their shard (b2bua.max_queue_delay)", refusals, overload.maxDelay());
        }
        transaction.sendResponse(UasResponses.to(request, 503, "Service Unavailable", () -> keys.newTag(shard.index()))
                .add(HeaderName.RETRY_AFTER, Integer.toString(OverloadGuard.RETRY_AFTER_SECONDS)).build());
    }

    private void answer(CallShard shard, ServerTransaction transaction, SipRequest request, MessageSource source) {
        TagGenerator tags = () -> keys.newTag(shard.index());
        if ("CANCEL".equals(request.method())) {
            answerCancel(shard, transaction, request, tags);
            return;
        }
        if (draining && request.toTag() == null) {
            // In-dialog requests (a BYE) still reach their calls while draining.
            transaction.sendResponse(UasResponses.to(request, 503, "Service Unavailable", tags)
                    .add(HeaderName.RETRY_AFTER, "30").build());
            return;
        }
        // RFC 3261 §8.2: the UAS checks come first, for routed and unrouted requests alike.
        UasVerdict verdict = handler.check(request, shard, tags);
        if (verdict instanceof UasVerdict.Respond respond) {
            transaction.sendResponse(respond.response());
            return;
        }
        if (verdict instanceof UasVerdict.Drop) {
            return;
        }
        CallEngine calls = shard.calls();
        boolean taken = request.toTag() != null
                ? calls.onInDialogRequest(transaction, request)
                : transaction instanceof InviteServerTransaction invite && calls.onInvite(invite, source);
        if (taken) {
            return;
        }
        SipResponse response = handler.respondUnrouted(request, tags);
        if (response != null) {
            transaction.sendResponse(response);
        }
    }

    /** RFC 3261 §9.2: 200 to the CANCEL and 487 to the INVITE it cancels, or 481. */
    private void answerCancel(CallShard shard, ServerTransaction cancel, SipRequest request, TagGenerator tags) {
        Optional<InviteServerTransaction> target = shard.transactions().matchCancelTarget(request);
        if (target.isEmpty()) {
            cancel.sendResponse(UasResponses.to(request, 481, "Call/Transaction Does Not Exist", tags).build());
            return;
        }
        cancel.sendResponse(UasResponses.to(request, 200, "OK", tags).build());
        InviteServerTransaction invite = target.get();
        if (invite.lastResponseStatus() < 200) {
            // The 487 keeps the To-tag of an earlier provisional response, if there was one.
            String earlier = invite.lastResponseToTag();
            TagGenerator inviteTags = earlier != null ? () -> earlier : tags;
            invite.sendResponse(UasResponses.to(invite.request(), 487, "Request Terminated", inviteTags).build());
            // A B2BUA call behind this INVITE cancels its UAC leg (§9.1).
            shard.calls().onCancelled(invite);
        }
    }

    /** The UAS checks and the answer to requests no call takes. Runs on the shard's thread. */
    interface RequestHandler {
        /** RFC 3261 §8.2: pass, a response, or a silent drop. */
        UasVerdict check(SipRequest request, CallShard shard, TagGenerator tags);

        /** The response to a request that passed the checks and that no call took, or null for none. */
        SipResponse respondUnrouted(SipRequest request, TagGenerator tags);
    }

    /** What the calls of one shard use of the server (see {@link ShardContext}). */
    private final class Services implements ShardContext {
        private final CallShard shard;

        Services(CallShard shard) {
            this.shard = shard;
        }

        @Override
        public int index() {
            return shard.index();
        }

        @Override
        public Scheduler scheduler() {
            return shard.scheduler();
        }

        @Override
        public TransactionTable transactions() {
            return shard.transactions();
        }

        @Override
        public TimerConfig timers() {
            return timers;
        }

        @Override
        public String newTag() {
            return keys.newTag(shard.index());
        }

        @Override
        public String newBranch() {
            return keys.newBranch(shard.index());
        }

        @Override
        public String newCallId() {
            return keys.newCallId(shard.index());
        }

        @Override
        public Optional<ListenPoint> udpListenPoint(String realm) {
            return listenPoint(realm, TransportKind.UDP);
        }

        @Override
        public boolean isOurBranch(String branch) {
            return branch.startsWith(ShardKeys.BRANCH_PREFIX);
        }

        @Override
        public boolean isOurSentBy(String host, int port) {
            for (ListenPoint point : allPoints().values()) {
                int ours = point.address().getPort();
                if ((port == ours || port <= 0 && ours == 5060) && point.advertisedHost().equalsIgnoreCase(host)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void send(SipMessage message, String realm, InetSocketAddress destination) {
            if (shard.handlingTraced) {
                // Sent because of a traced message (the other leg of a traced call): trace its
                // Call-ID too, before the transport can send (and observe) the message.
                trace.link(message.callId());
            }
            transport.send(message, realm, destination);
        }

        @Override
        public Optional<ListenPoint> listenPoint(String realm, TransportKind kind) {
            return Optional.ofNullable(allPoints().get(realm + "/" + kind));
        }

        @Override
        public void relatedCallId(String callId) {
            if (shard.handlingTraced) {
                trace.link(callId); // the other leg of a traced call, whenever its messages go out
            }
        }

        @Override
        public void send(SipMessage message, String realm, InetSocketAddress destination, TransportKind kind) {
            send(message, realm, destination, kind, SendFailure.IGNORE);
        }

        @Override
        public void send(SipMessage message, String realm, InetSocketAddress destination, TransportKind kind,
                         SendFailure onFailure) {
            if (shard.handlingTraced) {
                trace.link(message.callId());
            }
            if (kind == TransportKind.UDP) {
                transport.send(message, realm, destination, onFailure);
            } else {
                transport.sendStream(kind, message, realm, destination, onFailure);
            }
        }

        @Override
        public void sendResponse(SipResponse response, MessageSource requestSource) {
            transport.sendResponse(response, requestSource);
        }
    }

    private volatile Map<String, ListenPoint> allPoints;

    /** Our listen points by "realm/TRANSPORT", as bound; read once the transport has started. */
    private Map<String, ListenPoint> allPoints() {
        Map<String, ListenPoint> points = allPoints;
        if (points == null) {
            Map<String, ListenPoint> found = new HashMap<>();
            for (ListenPoint p : transport.boundPoints()) {
                found.putIfAbsent(p.realm() + "/" + p.transport(), p);
            }
            points = Map.copyOf(found);
            allPoints = points;
        }
        return points;
    }


    /**
     * The orphan audit on every shard (on its thread): calls that can no longer end by themselves
     * are ended. Returns how many were reaped.
     */
    Mono<Integer> audit() {
        return Flux.fromIterable(shards)
                .flatMap(shard -> Mono.fromCallable(() -> shard.calls().audit()).subscribeOn(shard.scheduler()))
                .reduce(0, Integer::sum);
    }

    /** Hangs up every call on every shard (stopping); see {@link CallEngine#hangUpAll}. */
    Mono<Integer> hangUpAll(String why, boolean force) {
        return Flux.fromIterable(shards)
                .flatMap(shard -> Mono.fromCallable(() -> shard.calls().hangUpAll(why, force))
                        .subscribeOn(shard.scheduler()))
                .reduce(0, Integer::sum);
    }

    /** Calls the audit reaped since start, over all shards. */
    long callsReaped() {
        long n = 0;
        for (CallShard shard : shards) {
            n += shard.calls().callsReaped();
        }
        return n;
    }

    /**
     * The media relay saw no RTP on the call with this id (its UAC leg's Call-ID) for its media
     * timeout: the call ends on its own shard. Emits whether a call had that id.
     */
    Mono<Boolean> onMediaTimeout(String id) {
        int index = keys.shardOfOurCallId(id);
        if (index < 0) {
            return Mono.just(false); // not an id EdgeSBC made: no call has it
        }
        CallShard shard = shards.get(index);
        return Mono.fromCallable(() -> shard.calls().onMediaTimeout(id)).subscribeOn(shard.scheduler());
    }

    @Override
    public <T> Flux<T> onEveryShard(java.util.function.Function<CallEngine, T> task) {
        return Flux.fromIterable(shards)
                .flatMap(shard -> Mono.fromCallable(() -> task.apply(shard.calls())).subscribeOn(shard.scheduler()));
    }

    @Override
    public <T> Mono<T> onShardOf(String callId, java.util.function.Function<CallEngine, T> task) {
        int index = keys.shardOfOurCallId(callId);
        if (index < 0) {
            return Mono.empty();
        }
        CallShard shard = shards.get(index);
        return Mono.fromCallable(() -> task.apply(shard.calls())).subscribeOn(shard.scheduler());
    }

    /**
     * One OPTIONS keep-alive (issue 6, {@link io.edgesbc.server.policy.OptionsPinger}) from our
     * listen point in {@code realm} to {@code target}, in a client transaction of the shard the
     * target's address hashes to: emits true when a final response came (whatever its code),
     * false on Timer F or a transport error, or when the realm has no socket of that transport.
     */
    Mono<Boolean> probe(String realm, io.edgesbc.b2bua.RouteTarget target) {
        CallShard shard = shards.get(Math.floorMod(target.address().hashCode(), shards.size()));
        return Mono.<Boolean>create(sink -> shard.scheduler().schedule(() -> {
            Services services = new Services(shard);
            Optional<ListenPoint> found = services.listenPoint(realm, target.transport());
            if (found.isEmpty()) {
                sink.success(false);
                return;
            }
            ListenPoint point = found.get();
            SipRequest options = SipRequest.builder("OPTIONS", target.uri())
                    .add(HeaderName.VIA, io.edgesbc.sip.message.Via.of(point.transport().name(),
                            point.advertisedHost(), point.address().getPort(), services.newBranch()) + ";rport")
                    .add(HeaderName.MAX_FORWARDS, "70")
                    .add(HeaderName.FROM, "<sip:edgesbc@" + point.sentBy() + ">;tag=" + services.newTag())
                    .add(HeaderName.TO, "<" + target.uri() + ">")
                    .add(HeaderName.CALL_ID, services.newCallId())
                    .add(HeaderName.CSEQ, "1 OPTIONS")
                    .add(HeaderName.ACCEPT, "application/sdp")
                    .build();
            io.edgesbc.sip.transaction.NonInviteClientTransaction ping =
                    new io.edgesbc.sip.transaction.NonInviteClientTransaction(options, point.transport().reliable(),
                            timers, shard.scheduler(),
                            (m, owner) -> services.send(m, realm, target.address(), point.transport(),
                                    TransportSink.reportingTo(owner, shard.scheduler())::accept),
                            new io.edgesbc.sip.transaction.ClientTransactionUser() {
                                @Override
                                public void onResponse(io.edgesbc.sip.transaction.ClientTransaction t,
                                                       SipResponse response) {
                                    if (response.statusCode() >= 200) {
                                        sink.success(true);
                                    }
                                }

                                @Override
                                public void onTimeout(io.edgesbc.sip.transaction.ClientTransaction t,
                                                      SipResponse timeout) {
                                    sink.success(false);
                                }

                                @Override
                                public void onTransportError(io.edgesbc.sip.transaction.ClientTransaction t,
                                                             SipResponse unavailable, Throwable cause) {
                                    sink.success(false);
                                }

                                @Override
                                public void onTerminated(io.edgesbc.sip.transaction.ClientTransaction t) {
                                    sink.success(false); // ignored when an outcome came first
                                }
                            });
            shard.transactions().add(ping);
            ping.start();
        }));
    }

    /** Total calls that have not ended, over all shards (counted on each shard's thread). */
    Mono<Integer> activeCalls() {
        return Flux.fromIterable(shards)
                .flatMap(shard -> Mono.fromCallable(() -> shard.calls().activeCalls()).subscribeOn(shard.scheduler()))
                .reduce(0, Integer::sum);
    }
}
