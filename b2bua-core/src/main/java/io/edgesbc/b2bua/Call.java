package io.edgesbc.b2bua;

import io.edgesbc.sip.dialog.Dialog;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.dialog.UasVerdict;
import io.edgesbc.sip.message.ContentType;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.message.Uri;
import io.edgesbc.sip.message.Via;
import io.edgesbc.sip.transaction.ClientTransaction;
import io.edgesbc.sip.transaction.ClientTransactionUser;
import io.edgesbc.sip.transaction.InviteClientTransaction;
import io.edgesbc.sip.transaction.InviteServerTransaction;
import io.edgesbc.sip.transaction.NonInviteClientTransaction;
import io.edgesbc.sip.transaction.ServerTransaction;
import io.edgesbc.sip.transaction.TransactionKey;
import io.edgesbc.sip.transaction.TransportSink;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.MessageSource;
import io.edgesbc.sip.transport.TransportKind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * One call: the UAS leg (the dialog with the caller, whose INVITE we answer as if we were the
 * callee) and the UAC leg (the dialog with the callee, which we call as if we were the caller).
 * Each leg has its own Call-ID, tags, CSeq space, Via and Contact; nothing of one leg is copied
 * into the other except what {@link TopologyHiding} lets through and the bodies, whose SDP goes
 * through the {@link MediaAnchor} first.
 *
 * <pre>
 *   caller INVITE --> CALLING --(2xx from callee: ACK it, relay 2xx)--> ANSWERED --(caller ACK)--> CONFIRMED
 *                       |  \--(non-2xx final, no failover left: relay)--> ENDED                       |
 *                       |--(caller CANCEL: CANCEL UAC leg)--> CANCELLING --(final / 2xx: ACK+BYE)--> ENDED
 *                       |                                                          BYE either side --+--> ENDED
 * </pre>
 * Requests inside the dialogs other than BYE (re-INVITE, UPDATE, PRACK, INFO, MESSAGE, NOTIFY,
 * SUBSCRIBE, REFER, OPTIONS) are relayed to the other leg by an {@link InDialogRelay} each.
 *
 * <p>Threading: owned by its shard's thread, like the transactions it uses; no locks. Media
 * work happens elsewhere and comes back through {@link OrderedSteps}.
 */
final class Call implements ClientTransactionUser {

    private static final Logger log = LoggerFactory.getLogger(Call.class);

    /** RFC 3261 §16.6 item 11: Timer C, "greater than 3 minutes"; here the limit on ringing. */
    static final Duration MAX_RINGING = Duration.ofMinutes(3).plusSeconds(1);

    /** At most this many redirections (3xx) are followed for one call (a loop guard). */
    static final int MAX_REDIRECTS = 5;

    enum Phase { CALLING, CANCELLING, ANSWERED, CONFIRMED, ENDED }

    /** Which leg a message belongs to. */
    enum Leg {
        UAS, UAC;

        Leg other() {
            return this == UAS ? UAC : UAS;
        }

        MediaSession.Side side() {
            return this == UAS ? MediaSession.Side.CALLER : MediaSession.Side.CALLEE;
        }
    }

    private final CallEngine engine;
    private final ShardContext ctx;
    private final OrderedSteps steps;

    // ---- UAS leg (towards the caller) ----
    private final InviteServerTransaction uasInvite;
    private final SipRequest callerInvite;
    private final MessageSource callerSource;
    private final String uasTag;
    private final CallTable.LegKey uasKey;
    private Dialog uasDialog;
    private SipResponse relayed2xx;
    private Retransmission retransmit2xx;

    // ---- UAC leg (towards the callee) ----
    private final RouteDecision.Route route;
    /** Our listen point on the UAC leg: the route's realm, the current target's transport. */
    private ListenPoint uacPoint;
    private final String uacCallId;
    private final String uacFromTag;
    private final CallTable.LegKey uacKey;
    private final List<RouteTarget> targets;
    private int targetIndex;
    private int redirects;
    private long uacCseq;
    private SipRequest uacInviteRequest;
    private InviteClientTransaction uacInvite;
    /** The body of the UAC leg's INVITE (the caller's, its SDP as the relay rewrote it), or null. */
    private byte[] uacInviteBody;
    /** The caller's INVITE had no SDP: the callee's 2xx carries the offer, the caller's ACK the answer (§13.2.1). */
    private boolean lateOffer;
    private boolean provisionalSeen;
    private boolean cancelPending;
    /** Early dialogs of the UAC leg by the callee's To-tag (forking gives several, §13.2.2.4). */
    private final Map<String, Dialog> uacEarly = new HashMap<>(2);
    /** The early dialog whose provisional response the caller heard last: where its early requests go. */
    private Dialog uacEarlyCurrent;
    private Dialog uacDialog;
    private SipRequest uacAck;
    /** With a late offer: the CSeq of the callee's 2xx whose ACK waits for the caller's answer. */
    private long ackWaitsForAnswer = -1;

    // ---- reliable provisional responses (RFC 3262) ----
    /** The caller supports or requires 100rel: reliable provisionals are relayed reliably. */
    private final boolean callerReliable;
    private final ReliableProvisionals reliableProvisionals;

    // ---- in-dialog transactions relayed between the legs ----
    private final List<InDialogRelay> relays = new ArrayList<>(2);

    private Phase phase = Phase.CALLING;
    private Disposable guard;
    private final SessionTimer sessionTimer;
    private Disposable durationLimit;

    // ---- for the events, the CDR and the admin API ----
    private final MediaSession mediaSession;
    private boolean mediaUsed;
    private long startMillis;
    private long ringMillis = -1;
    private long answerMillis = -1;
    private int uasFinalCode;
    private int uacFinalCode;
    /** Why the caller's INVITE is being cancelled: the caller did (CANCEL, early BYE), or we did. */
    private CallRecord.EndedBy cancelledBy = CallRecord.EndedBy.CALLER;
    private CallRecord.Outcome cancelOutcome = CallRecord.Outcome.CANCELLED;
    /** The last final response of the UAC INVITE was made here (Timer B, transport error), not by the callee. */
    private boolean localFinal;
    /** The UAC INVITE transaction that delivered a final response (so a later transport error of its ACK is moot). */
    private ClientTransaction uacFinalOf;

    Call(CallEngine engine, ShardContext ctx, InviteServerTransaction uasInvite, MessageSource callerSource,
         RouteDecision.Route route, ListenPoint uacPoint) {
        this.engine = engine;
        this.ctx = ctx;
        this.steps = new OrderedSteps(ctx.scheduler());
        this.uasInvite = uasInvite;
        this.callerInvite = uasInvite.request();
        this.callerSource = callerSource;
        this.uasTag = ctx.newTag();
        this.uasKey = new CallTable.LegKey(callerInvite.callId(), uasTag);
        this.route = route;
        this.targets = new ArrayList<>(route.targets());
        this.uacPoint = uacPoint;
        this.uacCallId = ctx.newCallId();
        this.uacFromTag = ctx.newTag();
        this.uacKey = new CallTable.LegKey(uacCallId, uacFromTag);
        // RFC 3261 §8.1.1.5: the initial CSeq is arbitrary (< 2**31); 1 is what the UAC leg starts from.
        this.uacCseq = 1;
        this.mediaSession = new MediaSession(uacCallId, callerSource.realm(), route.realm(), route.hooks().media());
        this.callerReliable = has100rel(callerInvite.supported()) || has100rel(callerInvite.require());
        this.reliableProvisionals = new ReliableProvisionals(ctx.scheduler(), ctx.timers());
        this.sessionTimer = new SessionTimer(ctx.scheduler(), this::onSessionExpired);
    }

    private static boolean has100rel(List<String> tags) {
        for (String tag : tags) {
            if (tag.trim().equalsIgnoreCase("100rel")) {
                return true;
            }
        }
        return false;
    }

    CallTable.LegKey uasKey() {
        return uasKey;
    }

    CallTable.LegKey uacKey() {
        return uacKey;
    }

    TransactionKey uasInviteKey() {
        return uasInvite.key();
    }

    Phase phase() {
        return phase;
    }

    /** EdgeSBC's id of the call: the UAC leg's Call-ID, which we made (so it names this shard). */
    String id() {
        return uacCallId;
    }

    ShardContext ctx() {
        return ctx;
    }

    OrderedSteps steps() {
        return steps;
    }

    /** The call as it stands, for the admin API and the events. */
    CallSnapshot snapshot() {
        return new CallSnapshot(uacCallId, callerInvite.callId(), uacCallId, callerSource.realm(), route.realm(),
                route.hooks().labels(), phase.name().toLowerCase(Locale.ROOT), userOf(callerInvite.from()),
                userOf(callerInvite.requestUri()), startMillis, ringMillis, answerMillis);
    }

    // ---- start -------------------------------------------------------------------------------

    /** Sends the INVITE on the UAC leg to the first target, once the relay has the caller's offer. */
    void start() {
        ctx.relatedCallId(uacCallId);
        startMillis = now();
        engine.events().started(snapshot());
        guard = ctx.scheduler().schedule(this::onRingingTooLong, MAX_RINGING.toMillis(), TimeUnit.MILLISECONDS);
        Duration limit = engine.settings().maxCallDuration();
        if (!limit.isZero()) {
            durationLimit = ctx.scheduler().schedule(this::onMaxDuration, limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (isSdp(callerInvite)) {
            steps.after(offer(Leg.UAS, callerInvite.body()), outcome -> {
                if (phase != Phase.CALLING) {
                    return; // cancelled while the relay worked: ended already (onCallerCancel)
                }
                if (outcome instanceof MediaOutcome.Refused refused) {
                    refuseInvite(refused);
                    return;
                }
                uacInviteBody = ((MediaOutcome.Rewritten) outcome).body();
                sendInvite();
            });
        } else {
            lateOffer = !callerInvite.hasBody();
            uacInviteBody = callerInvite.hasBody() ? callerInvite.body() : null;
            sendInvite();
        }
    }

    private RouteTarget target() {
        return targets.get(targetIndex);
    }

    /**
     * The INVITE of the UAC leg, built from the caller's through the builder (RFC 3261 §8.1.1):
     * Request-URI the target (with the caller's user part when the target has none), our Via and
     * Contact with the outbound realm's address, our Call-ID and From-tag, To without tag, our
     * CSeq, Max-Forwards one less (§16.6 item 3; 0 was answered with 483 by the UAS checks), the
     * other headers as {@link TopologyHiding} lets them through, the body as the relay made it.
     */
    private void sendInvite() {
        RouteTarget target = target();
        ListenPoint point = ctx.listenPoint(route.realm(), target.transport()).orElse(null);
        if (point == null) {
            // No socket of that transport in the route's realm: this target cannot be reached.
            log.warn("call {}: realm {} has no {} listen point for target {}", uacCallId, route.realm(),
                    target.transport(), target.uri());
            if (targetIndex + 1 < targets.size()) {
                nextTarget();
            } else {
                refuseInvite(new MediaOutcome.Refused(503, "No Way To Target", null));
            }
            return;
        }
        uacPoint = point;
        SipUri requestUri = target.uri();
        if (requestUri.user() == null && callerInvite.requestUri() instanceof SipUri dialled
                && dialled.user() != null) {
            requestUri = requestUri.toBuilder().user(dialled.user()).build();
        }
        SipRequest.Builder b = SipRequest.builder("INVITE", requestUri)
                .add(HeaderName.VIA, ourVia(uacPoint, ctx.newBranch()))
                .add(HeaderName.MAX_FORWARDS, Integer.toString(forwardedMaxForwards(callerInvite)))
                .add(HeaderName.FROM, rehome(callerInvite.from(), uacPoint.sentBy()).withParameter("tag", uacFromTag)
                        .toString())
                .add(HeaderName.TO, rehome(callerInvite.to(), hostPort(target)).toString())
                .add(HeaderName.CALL_ID, uacCallId)
                .add(HeaderName.CSEQ, uacCseq + " INVITE")
                .add(HeaderName.CONTACT, "<" + contactUri(uacPoint) + ">");
        engine.hiding().copyHeaders(callerInvite, b);
        String replaces = callerInvite.headers().first(HeaderName.REPLACES);
        if (replaces != null) {
            // RFC 3891: a Replaces naming one of our dialogs names its twin on the other side; others go.
            String mapped = engine.mapReplaces(replaces);
            if (mapped != null) {
                b.add(HeaderName.REPLACES, mapped);
            }
        }
        // RFC 3262: we can take reliable provisionals on the UAC leg whatever the caller does (we
        // PRACK them ourselves when the caller cannot); a caller that requires them gets that passed on.
        b.add(has100rel(callerInvite.require()) ? HeaderName.REQUIRE : HeaderName.SUPPORTED, "100rel");
        if (uacInviteBody != null) {
            b.body(uacInviteBody);
        }
        route.hooks().editUacInvite(callerInvite, requestUri, b); // the router's edits (number normalisation, header rules)
        uacInviteRequest = b.build();
        provisionalSeen = false;
        uacInvite = new InviteClientTransaction(uacInviteRequest, uacPoint.transport().reliable(), ctx.timers(),
                ctx.scheduler(), sinkTo(uacPoint, target.address()), this);
        ctx.transactions().add(uacInvite);
        uacInvite.start();
    }

    /** The relay could not take the caller's offer: the caller gets its answer (503, 488), nothing went out. */
    private void refuseInvite(MediaOutcome.Refused refused) {
        SipResponse.Builder b = UasResponses.to(callerInvite, refused.code(), refused.reason(), () -> uasTag);
        if (refused.retryAfter() != null) {
            b.add(HeaderName.RETRY_AFTER, Long.toString(refused.retryAfter().toSeconds()));
        }
        uasInvite.sendResponse(b.build());
        uasFinalCode = refused.code();
        end(CallRecord.Outcome.FAILED, CallRecord.EndedBy.EDGESBC, "refused before the UAC leg: "
                + refused.code() + " " + refused.reason());
    }

    // ---- responses on the UAC leg ------------------------------------------------------------

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        if (transaction != uacInvite) {
            // A target we failed over from answered late: a 2xx there is a session we do not want.
            if (response.statusClass() == 2) {
                hangUpStray(response);
            }
            return;
        }
        int code = response.statusCode();
        if (code >= 200) {
            uacFinalOf = transaction;
        }
        if (code < 200) {
            onUacProvisional(response);
        } else if (code < 300) {
            onUac2xx(response);
        } else {
            onUacFinal(response);
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, SipResponse timeout) {
        if (transaction == uacInvite) {
            localFinal = true;
            onUacFinal(timeout); // RFC 3261 §8.1.3.1: Timer B is a 408
        }
    }

    @Override
    public void onTransportError(ClientTransaction transaction, SipResponse unavailable, Throwable cause) {
        // After a final response the transaction still reports a failed ACK (Completed, §17.1.4);
        // the call has acted on that final response already.
        if (transaction == uacInvite && uacFinalOf != transaction) {
            log.info("could not send the INVITE to {}: {}", target(), cause.toString());
            localFinal = true;
            onUacFinal(unavailable); // RFC 3261 §8.1.3.1: a transport error is a 503
        }
    }

    @Override
    public void onTerminated(ClientTransaction transaction) {
    }

    private void onUacProvisional(SipResponse response) {
        provisionalSeen = true;
        if (cancelPending) {
            // RFC 3261 §9.1: the CANCEL waits for a provisional response.
            cancelPending = false;
            sendCancel();
            return;
        }
        if (phase != Phase.CALLING || response.statusCode() == 100) {
            return; // a 100 is hop by hop (§16.7 item 5): the caller had its own from us
        }
        String tag = response.toTag();
        if (tag != null && response.headers().first(HeaderName.CONTACT) != null) {
            // §12.1.2: a provisional with a To-tag makes an early dialog (one per fork).
            Dialog early = uacEarly.computeIfAbsent(tag, t -> Dialog.uac(response, contactUri(uacPoint), false));
            uacEarlyCurrent = early;
        }
        boolean reliable = response.require().stream().anyMatch(t -> t.equalsIgnoreCase("100rel"))
                && response.headers().first(HeaderName.RSEQ) != null;
        boolean relayReliably = reliable && callerReliable;
        if (reliable && !callerReliable) {
            // RFC 3262 §4: the caller cannot PRACK, so we PRACK the callee's reliable provisional
            // ourselves; the caller hears it as an ordinary provisional.
            prack(response);
        }
        if (isSdp(response)) {
            Leg from = Leg.UAC;
            steps.after(lateOffer ? offer(from, response.body()) : answer(from, response.body()), outcome -> {
                if (phase != Phase.CALLING) {
                    return;
                }
                // A refused early answer costs the early media only; the call goes on.
                byte[] body = outcome instanceof MediaOutcome.Rewritten r ? r.body() : null;
                relayProvisional(response, body, relayReliably);
            });
        } else {
            steps.now(() -> {
                if (phase == Phase.CALLING) {
                    relayProvisional(response, response.hasBody() ? response.body() : null, relayReliably);
                }
            });
        }
    }

    private void relayProvisional(SipResponse response, byte[] body, boolean reliably) {
        SipResponse relayed = relay(response, body);
        if (reliably) {
            // RFC 3262 §3: our own RSeq on the UAS leg; the caller's PRACK is mapped back to the callee's.
            relayed = reliableProvisionals.makeReliable(relayed, response, uasInvite::sendResponse,
                    () -> log.info("call {}: no PRACK for a reliable provisional (RFC 3262 §3)", uacCallId));
        }
        if (uasDialog == null) {
            uasDialog = Dialog.uas(callerInvite, relayed, false); // early dialog, §12.1.1
        }
        uasInvite.sendResponse(relayed);
        if (ringMillis < 0) {
            ringMillis = now();
            engine.events().ringing(snapshot());
        }
    }

    /** RFC 3262 §7.2: PRACK for a reliable provisional: RAck = its RSeq, CSeq number and method. */
    private void prack(SipResponse response) {
        Dialog early = uacEarly.get(response.toTag());
        if (early == null) {
            return;
        }
        SipRequest prack = withVia(early.newRequest("PRACK"), uacPoint).toBuilder()
                .add(HeaderName.RACK, response.headers().first(HeaderName.RSEQ).trim() + " "
                        + response.cseq().number() + " " + response.cseq().method())
                .build();
        startNonInvite(prack, uacPoint, nextHop(early, target().address()));
    }

    private void onUac2xx(SipResponse response) {
        if (uacDialog != null) {
            if (response.toTag() != null && response.toTag().equals(uacDialog.id().remoteTag())) {
                if (uacAck != null) {
                    send(uacPoint, uacAck, uacNextHop()); // a retransmitted 2xx: ACK again (§13.2.2.4)
                }
            } else {
                hangUpStray(response); // another fork's 2xx: ACK and BYE it (§13.2.2.4)
            }
            return;
        }
        // RFC 3261 §13.2.2.4: the UAC core ACKs every 2xx itself; the caller's ACK is for its own leg.
        Dialog early = response.toTag() == null ? null : uacEarly.get(response.toTag());
        if (early != null) {
            early.onRemoteResponse(response); // confirmed; keeps the CSeq of early PRACKs/UPDATEs
            uacDialog = early;
        } else {
            uacDialog = Dialog.uac(response, contactUri(uacPoint), false);
        }
        uacFinalCode = response.statusCode();
        boolean offerIn2xx = lateOffer && isSdp(response);
        if (offerIn2xx && phase == Phase.CALLING) {
            ackWaitsForAnswer = response.cseq().number(); // §13.2.1: the caller's ACK brings the answer
        } else {
            sendUacAck(response.cseq().number(), null);
        }
        if (phase != Phase.CALLING) {
            // The 2xx crossed the caller's CANCEL (or the call ended another way): end the new session.
            sendBye(Leg.UAC);
            end(cancelOutcome, cancelledBy, "2xx crossed the CANCEL: ACK + BYE on the UAC leg");
            return;
        }
        cancelGuard(); // answered: Timer C no longer applies
        if (!isSdp(response)) {
            steps.now(() -> relay2xx(response, response.hasBody() ? response.body() : null));
            return;
        }
        steps.after(offerIn2xx ? offer(Leg.UAC, response.body()) : answer(Leg.UAC, response.body()), outcome -> {
            if (outcome instanceof MediaOutcome.Refused refused && phase == Phase.CALLING) {
                if (ackWaitsForAnswer >= 0) {
                    sendUacAck(ackWaitsForAnswer, null);
                    ackWaitsForAnswer = -1;
                }
                sendBye(Leg.UAC);
                SipResponse.Builder b = UasResponses.to(callerInvite, refused.code(), refused.reason(),
                        () -> uasTag);
                uasInvite.sendResponse(b.build());
                uasFinalCode = refused.code();
                end(CallRecord.Outcome.FAILED, CallRecord.EndedBy.EDGESBC,
                        "media relay refused the callee's answer: " + refused.code());
                return;
            }
            relay2xx(response, ((MediaOutcome.Rewritten) outcome).body());
        });
    }

    /** The callee's 2xx reaches the caller (unless the call ended while the relay worked). */
    private void relay2xx(SipResponse response, byte[] body) {
        if (phase != Phase.CALLING) {
            if (ackWaitsForAnswer >= 0) {
                sendUacAck(ackWaitsForAnswer, null);
                ackWaitsForAnswer = -1;
            }
            sendBye(Leg.UAC);
            end(cancelOutcome, cancelledBy, "2xx crossed the CANCEL: ACK + BYE on the UAC leg");
            return;
        }
        SipResponse relayed = relay(response, body);
        if (uasDialog == null) {
            uasDialog = Dialog.uas(callerInvite, relayed, false);
        } else {
            uasDialog.onLocalResponse(relayed);
        }
        relayed2xx = relayed;
        phase = Phase.ANSWERED;
        stopReliableProvisionals(); // RFC 3262 §3: a final response ends the provisional ones' retransmission
        uasInvite.sendResponse(relayed);
        uasFinalCode = relayed.statusCode();
        answerMillis = now();
        onSessionRefreshed(response);
        engine.events().answered(snapshot());
        retransmit2xx = Retransmission.of2xx(ctx.scheduler(), ctx.timers(), () -> {
            if (!uasInvite.sendResponse(relayed2xx)) {
                ctx.sendResponse(relayed2xx, callerSource);
            }
        }, this::onNoAck);
    }

    private void sendUacAck(long inviteSeq, byte[] body) {
        SipRequest ack = withVia(uacDialog.ack(inviteSeq), uacPoint);
        if (body != null) {
            ack = ack.toBuilder().add(HeaderName.CONTENT_TYPE, "application/sdp").body(body).build();
        }
        uacAck = ack;
        send(uacPoint, uacAck, uacNextHop());
        if (phase == Phase.ENDED) {
            // A relay step that finished after the end (a late offer's answer): the ended
            // transaction's user must resend this ACK, as the call would have.
            handOverUacInvite();
        }
    }

    private void onUacFinal(SipResponse response) {
        int code = response.statusCode();
        if (phase == Phase.CALLING && code >= 300 && code < 400 && engine.settings().follow3xx()
                && followRedirect(response)) {
            return;
        }
        if (phase == Phase.CALLING && route.failoverCodes().contains(code)
                && targetIndex + 1 < targets.size()) {
            // Failover before the caller heard a final response (issue 4; RFC 3263 §4.3 in spirit).
            log.debug("target {} answered {}: trying the next one", target(), code);
            nextTarget();
            return;
        }
        if (phase == Phase.CALLING) {
            steps.now(() -> {
                if (phase != Phase.CALLING) {
                    return;
                }
                stopReliableProvisionals();
                SipResponse.Builder b = UasResponses.to(callerInvite, code, response.reasonPhrase(), () -> uasTag);
                engine.hiding().copyHeaders(response, b);
                if (code >= 300 && code < 400) {
                    redirectContacts(response, b);
                }
                if (response.hasBody() && !isSdp(response)) {
                    b.body(response.body());
                }
                uasInvite.sendResponse(b.build());
                uacFinalCode = code;
                uasFinalCode = code;
                // A 408/503 we made (Timer B, transport error) is ours; a response the callee sent is its own.
                boolean local = localFinal;
                end(code == 408 && local ? CallRecord.Outcome.TIMED_OUT : CallRecord.Outcome.FAILED,
                        local ? CallRecord.EndedBy.EDGESBC : CallRecord.EndedBy.CALLEE,
                        "final " + code + " from the UAC leg");
            });
        } else if (phase == Phase.CANCELLING) {
            uacFinalCode = code;
            end(cancelOutcome, cancelledBy, "UAC leg ended with " + code + " after the CANCEL");
        }
    }

    private void nextTarget() {
        targetIndex++;
        uacCseq++;
        localFinal = false;
        uacEarly.clear();
        uacEarlyCurrent = null;
        sendInvite();
    }

    /**
     * A 3xx (RFC 3261 §8.1.3.4): its Contacts whose hosts are IP literals become the next targets,
     * in q order (no DNS on the shard thread); at most {@link #MAX_REDIRECTS} per call.
     */
    private boolean followRedirect(SipResponse response) {
        if (redirects >= MAX_REDIRECTS || response.contact() == null || response.contact().isWildcard()) {
            return false;
        }
        List<NameAddr> contacts = new ArrayList<>(response.contact().contacts());
        contacts.sort((a, b) -> Double.compare(b.q(), a.q())); // §8.1.3.4: highest q first
        List<RouteTarget> found = new ArrayList<>();
        for (NameAddr contact : contacts) {
            if (contact.uri() instanceof SipUri sip && !"sips".equals(sip.scheme())) {
                InetSocketAddress address = RouteTarget.literalAddress(sip.host(), sip.port());
                if (address != null) {
                    SipUri.Builder bare = SipUri.builder().host(sip.host()).port(sip.port());
                    if (sip.user() != null) {
                        bare.user(sip.user());
                    }
                    found.add(new RouteTarget(bare.build(), address));
                }
            }
        }
        if (found.isEmpty()) {
            return false;
        }
        redirects++;
        log.debug("call {} redirected ({}) to {}", uacCallId, response.statusCode(), found);
        targets.addAll(targetIndex + 1, found);
        nextTarget();
        return true;
    }

    /**
     * A 3xx relayed to the caller (following is off, or nothing to follow): its Contacts name the
     * callee's network, so the caller gets them re-homed to our address in its realm, user parts
     * kept; a new INVITE there comes back to EdgeSBC and is routed by policy.
     */
    private void redirectContacts(SipResponse response, SipResponse.Builder b) {
        if (response.contact() == null || response.contact().isWildcard()) {
            return;
        }
        ListenPoint point = callerSource.listenPoint();
        for (NameAddr contact : response.contact().contacts()) {
            if (contact.uri() instanceof SipUri sip) {
                SipUri.Builder uri = SipUri.builder().host(point.advertisedHost()).port(point.address().getPort());
                if (sip.user() != null) {
                    uri.user(sip.user());
                }
                b.add(HeaderName.CONTACT, "<" + uri.build() + ">");
            }
        }
    }

    /** A 2xx we do not want (a losing fork, a target we left): ACK it and BYE it (§13.2.2.4, §15). */
    private void hangUpStray(SipResponse response) {
        hangUpStray(ctx, engine.quietUser(), uacPoint, target().address(), response);
    }

    /**
     * {@link #hangUpStray(SipResponse)} from our listen point {@code point} on the UAC leg, with
     * {@code fallback} as the next hop when the stray dialog names no usable one; also used after
     * the call has ended ({@link EndedUacInvite}).
     */
    static void hangUpStray(ShardContext ctx, ClientTransactionUser quiet, ListenPoint point,
                            InetSocketAddress fallback, SipResponse response) {
        if (response.headers().first(HeaderName.CONTACT) == null) {
            return;
        }
        Dialog stray = Dialog.uac(response, contactUri(point), false);
        InetSocketAddress hop = nextHop(stray, fallback);
        send(ctx, point, withVia(ctx, stray.ack(response.cseq().number()), point), hop);
        startNonInvite(ctx, quiet, withVia(ctx, stray.newRequest("BYE"), point), point, hop);
    }

    /**
     * A response of the UAC leg as the caller gets it (RFC 3261 §8.2.6): Via, From, To, Call-ID
     * and CSeq of the caller's INVITE, our To-tag, our Contact in the inbound realm, the other
     * headers as {@link TopologyHiding} lets them through, the body as the relay made it.
     */
    private SipResponse relay(SipResponse response, byte[] body) {
        SipResponse.Builder b = UasResponses.to(callerInvite, response.statusCode(), response.reasonPhrase(),
                () -> uasTag);
        b.add(HeaderName.CONTACT, "<" + contactUri(callerSource.listenPoint()) + ">");
        engine.hiding().copyHeaders(response, b);
        if (body != null) {
            b.body(body);
        } else {
            b.remove(HeaderName.CONTENT_TYPE);
        }
        return b.build();
    }

    // ---- the caller's requests ---------------------------------------------------------------

    /** RFC 3261 §9.2: the caller cancelled; it has its 200 and 487 from the SIP core already. */
    void onCallerCancel() {
        if (phase != Phase.CALLING) {
            return;
        }
        phase = Phase.CANCELLING;
        if (uasFinalCode == 0) {
            uasFinalCode = 487; // the SIP core answered the caller's INVITE with 487 (§9.2)
        }
        cancelGuard();
        if (uacInviteRequest == null) {
            // The relay still had the offer: nothing went out on the UAC leg.
            end(cancelOutcome, cancelledBy, "cancelled before the UAC leg's INVITE went out");
            return;
        }
        if (uacDialog != null) {
            return; // the callee answered; its 2xx waits for the relay, which then ends that session
        }
        if (provisionalSeen) {
            sendCancel();
        } else {
            cancelPending = true; // §9.1: sent once a provisional response arrives
        }
        // §9.1: if no final response comes within 64*T1 of the CANCEL, the INVITE is given up.
        guard = ctx.scheduler().schedule(() -> end(cancelOutcome, cancelledBy,
                        "no final response on the UAC leg after the CANCEL"),
                ctx.timers().timerB().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * An ACK for a 2xx on {@code leg} (§13.3.1.4): the caller's for the call's 2xx stops its
     * retransmissions (and with a late offer carries the answer our ACK needs); others belong to
     * a relayed re-INVITE. Never relayed as such: each leg's ACK is its own.
     */
    void onAck(Leg leg, SipRequest ack) {
        if (leg == Leg.UAS && phase == Phase.ANSWERED && ack.cseq().number() == callerInvite.cseq().number()) {
            phase = Phase.CONFIRMED;
            stopRetransmitting();
            if (ackWaitsForAnswer >= 0) {
                long seq = ackWaitsForAnswer;
                ackWaitsForAnswer = -1;
                if (isSdp(ack)) {
                    steps.after(answer(Leg.UAS, ack.body()), outcome -> sendUacAck(seq,
                            outcome instanceof MediaOutcome.Rewritten r ? r.body() : null));
                } else {
                    steps.now(() -> sendUacAck(seq, null));
                }
            }
            return;
        }
        for (InDialogRelay relay : relays) {
            if (relay.takesAck(leg, ack)) {
                return;
            }
        }
    }

    /** A 2xx retransmission after the INVITE client transaction ended (Timer M): ACK it again. */
    boolean onLate2xx(SipResponse response) {
        if (uacDialog != null && uacAck != null && response.toTag() != null
                && response.toTag().equals(uacDialog.id().remoteTag())) {
            if (response.cseq().number() == uacAck.cseq().number()) {
                send(uacPoint, uacAck, uacNextHop());
            } else {
                for (InDialogRelay relay : relays) {
                    if (relay.takesLate2xx(response)) {
                        break;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** A request inside one of the call's dialogs (§12.2.2). Returns false when it is in none. */
    boolean onInDialogRequest(Leg leg, ServerTransaction transaction, SipRequest request) {
        Dialog dialog = dialogFor(leg, request.fromTag());
        if (dialog == null) {
            return false;
        }
        UasVerdict verdict = dialog.acceptRemoteRequest(request);
        if (verdict instanceof UasVerdict.Respond respond) {
            transaction.sendResponse(respond.response());
            return true;
        }
        if (verdict instanceof UasVerdict.Drop) {
            return true;
        }
        if (!"BYE".equals(request.method())) {
            InDialogRelay.relay(this, leg, transaction, request);
            return true;
        }
        // RFC 3261 §15.1.2: the BYE is answered; the other leg gets its own BYE (§15.1.1).
        transaction.sendResponse(UasResponses.to(request, 200, "OK", null).build());
        dialog.terminate();
        if (leg == Leg.UAS && phase == Phase.CALLING) {
            // A BYE on the early dialog (§15): the caller gives up, as with a CANCEL.
            uasInvite.sendResponse(UasResponses.to(callerInvite, 487, "Request Terminated", () -> uasTag).build());
            onCallerCancel();
            return true;
        }
        if (leg == Leg.UAC && phase == Phase.CALLING) {
            // The callee ended an early dialog (§15): that fork is gone; the INVITE still runs.
            uacEarly.remove(request.fromTag());
            if (uacEarlyCurrent == dialog) {
                uacEarlyCurrent = null;
            }
            return true;
        }
        sendBye(leg.other());
        end(CallRecord.Outcome.ANSWERED, leg == Leg.UAS ? CallRecord.EndedBy.CALLER : CallRecord.EndedBy.CALLEE,
                "BYE from the " + (leg == Leg.UAS ? "caller" : "callee"));
        return true;
    }

    /** The dialog of {@code leg} whose remote tag is {@code remoteTag}, early or confirmed, or null. */
    private Dialog dialogFor(Leg leg, String remoteTag) {
        String tag = remoteTag == null ? "" : remoteTag;
        if (leg == Leg.UAS) {
            return uasDialog != null && uasDialog.id().remoteTag().equals(tag) ? uasDialog : null;
        }
        if (uacDialog != null) {
            return uacDialog.id().remoteTag().equals(tag) ? uacDialog : null;
        }
        return uacEarly.get(tag);
    }

    /** The dialog a request relayed to {@code leg} goes in (the current early one before the answer), or null. */
    Dialog dialogOf(Leg leg) {
        if (leg == Leg.UAS) {
            return uasDialog;
        }
        return uacDialog != null ? uacDialog : uacEarlyCurrent;
    }

    // ---- what InDialogRelay uses -------------------------------------------------------------

    /** Our listen point on {@code leg}: the caller's requests came to it, the callee's target's transport. */
    ListenPoint pointOf(Leg leg) {
        return leg == Leg.UAC ? uacPoint : callerSource.listenPoint();
    }

    /** Our Contact on {@code leg}. */
    SipUri contactOf(Leg leg) {
        return contactUri(leg == Leg.UAC ? uacPoint : callerSource.listenPoint());
    }

    /**
     * Where requests on {@code leg} go. DEVIATION: in-dialog requests to the caller go to the
     * address its INVITE came from (symmetric signalling, as SBCs do for callers behind NAT), not
     * to its Contact.
     */
    InetSocketAddress destinationOf(Leg leg, Dialog dialog) {
        return leg == Leg.UAS ? callerSource.remote() : nextHop(dialog, target().address());
    }

    /** A new request in {@code dialog} on {@code leg}, with our Via; the caller adds what it relays. */
    SipRequest newRequest(Leg leg, Dialog dialog, String method) {
        return withVia(dialog.newRequest(method), pointOf(leg));
    }

    void sendOn(Leg leg, Dialog dialog, SipMessage message) {
        send(pointOf(leg), message, destinationOf(leg, dialog));
    }

    TransportSink sinkOn(Leg leg, Dialog dialog) {
        return sinkTo(pointOf(leg), destinationOf(leg, dialog));
    }

    CallEngine engine() {
        return engine;
    }

    List<InDialogRelay> relays() {
        return relays;
    }

    /** Whether a relayed INVITE is pending towards {@code leg} (we sent it) or from it (we received it). */
    boolean inviteTowards(Leg leg) {
        for (InDialogRelay relay : relays) {
            if (relay.isInvite() && relay.target() == leg && !relay.isFinal()) {
                return true;
            }
        }
        return false;
    }

    boolean inviteFrom(Leg leg) {
        for (InDialogRelay relay : relays) {
            if (relay.isInvite() && relay.origin() == leg && !relay.isFinal()) {
                return true;
            }
        }
        return false;
    }

    /** The caller's PRACK's RAck mapped to the callee's (see {@link ReliableProvisionals#mapRack}). */
    String mapRack(String rack) {
        return reliableProvisionals.mapRack(rack);
    }

    /**
     * The dialog on the other side of this call from the one named by (our tag {@code localTag},
     * their tag {@code remoteTag}) on {@code leg}, as a Replaces value seen by the party there
     * (RFC 3891 §6.1: Call-ID, to-tag = that party's tag, from-tag = ours); null when unknown.
     */
    String replacesTwin(Leg leg, String remoteTag, boolean earlyOnly) {
        Dialog named = leg == Leg.UAS ? uasDialog : dialogFor(Leg.UAC, remoteTag);
        if (named == null || !named.id().remoteTag().equals(remoteTag)) {
            return null;
        }
        Dialog twin = dialogOf(leg.other());
        if (twin == null) {
            return null;
        }
        return twin.id().callId() + ";to-tag=" + twin.id().remoteTag() + ";from-tag=" + twin.id().localTag()
                + (earlyOnly ? ";early-only" : "");
    }

    /** The ACK for a 2xx on {@code leg} in {@code dialog}, with our Via (§13.2.2.4). */
    SipRequest newAck(Leg leg, Dialog dialog, long inviteSeq) {
        return withVia(dialog.ack(inviteSeq), pointOf(leg));
    }

    /** A relayed request in the dialogs failed so that the call cannot go on (481/408, no ACK): both legs end. */
    void hangUpAfterFailedRefresh(String why) {
        if (phase == Phase.ANSWERED || phase == Phase.CONFIRMED) {
            endWithByes(CallRecord.Outcome.ANSWERED, why);
        }
    }

    /** Hands an SDP offer from {@code from} to the media relay. */
    reactor.core.publisher.Mono<MediaOutcome> offer(Leg from, byte[] sdp) {
        mediaUsed = true;
        return engine.media().offer(mediaSession, from.side(), sdp);
    }

    /** Hands an SDP answer from {@code from} to the media relay. */
    reactor.core.publisher.Mono<MediaOutcome> answer(Leg from, byte[] sdp) {
        mediaUsed = true;
        return engine.media().answer(mediaSession, from.side(), sdp);
    }

    /** A 2xx that sets or refreshes the session (see {@link SessionTimer}). */
    void onSessionRefreshed(SipResponse ok) {
        if (phase != Phase.ENDED) {
            sessionTimer.refreshed(ok);
        }
    }

    private void onSessionExpired() {
        if (phase != Phase.ANSWERED && phase != Phase.CONFIRMED) {
            return;
        }
        log.info("call {}: the session was not refreshed in time (RFC 4028 §10): ending both legs", uacCallId);
        endWithByes(CallRecord.Outcome.TIMED_OUT, "session expired (RFC 4028)");
    }

    private void onMaxDuration() {
        durationLimit = null;
        log.info("call {} reached the maximum call duration {}", uacCallId, engine.settings().maxCallDuration());
        hangUp(CallRecord.Outcome.TIMED_OUT, "maximum call duration reached");
    }

    // ---- timers ------------------------------------------------------------------------------

    /** §13.3.1.4: no ACK within 64*T1: the UAS core ends the dialog with a BYE; both legs end. */
    private void onNoAck() {
        if (phase != Phase.ANSWERED) {
            return;
        }
        log.info("no ACK from the caller for the 2xx of {}: ending both legs", uasKey);
        endWithByes(CallRecord.Outcome.TIMED_OUT, "no ACK for the 2xx");
    }

    /** Ringing longer than Timer C allows (§16.6 item 11): CANCEL the UAC leg, 408 to the caller. */
    private void onRingingTooLong() {
        guard = null;
        if (phase != Phase.CALLING) {
            return;
        }
        uasInvite.sendResponse(UasResponses.to(callerInvite, 408, "Request Timeout", () -> uasTag).build());
        uasFinalCode = 408;
        cancelledBy = CallRecord.EndedBy.EDGESBC;
        cancelOutcome = CallRecord.Outcome.TIMED_OUT;
        onCallerCancel();
    }

    /**
     * The operator hangs the call up (admin API): before the answer the caller gets 480 and the UAC
     * leg a CANCEL; after it, both legs get a BYE.
     */
    void hangUp(String why) {
        hangUp(CallRecord.Outcome.ANSWERED, why);
    }

    private void hangUp(CallRecord.Outcome answeredOutcome, String why) {
        if (phase == Phase.CALLING) {
            uasInvite.sendResponse(UasResponses.to(callerInvite, 480, "Temporarily Unavailable", () -> uasTag)
                    .build());
            uasFinalCode = 480;
            cancelledBy = CallRecord.EndedBy.EDGESBC;
            onCallerCancel();
        } else if (phase == Phase.ANSWERED || phase == Phase.CONFIRMED) {
            endWithByes(answeredOutcome, why);
        }
    }

    /** EdgeSBC ends an answered call: a BYE on each leg's dialog (§15.1.1), then the call is over. */
    private void endWithByes(CallRecord.Outcome outcome, String why) {
        sendBye(Leg.UAS);
        sendBye(Leg.UAC);
        end(outcome, CallRecord.EndedBy.EDGESBC, why);
    }

    /** Ends the call here and now, whatever the other side does (the server is going away). */
    void endNow(String why) {
        if (phase == Phase.CALLING) {
            hangUp(why);
        }
        if (phase == Phase.ANSWERED || phase == Phase.CONFIRMED) {
            sendBye(Leg.UAS);
            sendBye(Leg.UAC);
        }
        end(answerMillis >= 0 ? CallRecord.Outcome.ANSWERED : cancelOutcome, CallRecord.EndedBy.EDGESBC, why);
    }

    /**
     * The audit's question (run now and then by the engine): can this call still end by itself?
     * A live call always has something that will end it: a transaction, a timer, a step at the
     * relay, or an open dialog whose BYE will come. False means it leaked.
     */
    boolean canEndByItself() {
        if (phase == Phase.ENDED) {
            return false;
        }
        if (steps.pending() > 0 || guard != null || retransmit2xx != null || !relays.isEmpty()) {
            return true;
        }
        if (phase == Phase.CALLING || phase == Phase.CANCELLING) {
            return uacInvite != null && !uacInvite.isTerminated();
        }
        boolean uasOpen = uasDialog != null && uasDialog.state() != io.edgesbc.sip.dialog.DialogState.TERMINATED;
        boolean uacOpen = uacDialog != null && uacDialog.state() != io.edgesbc.sip.dialog.DialogState.TERMINATED;
        return uasOpen && uacOpen;
    }

    /** The audit found this call unable to end by itself: both legs get a BYE, the call ends. */
    void reap() {
        log.warn("call {} could not end by itself ({}): reaped by the audit", uacCallId, phase);
        if (phase == Phase.ANSWERED || phase == Phase.CONFIRMED) {
            sendBye(Leg.UAS);
            sendBye(Leg.UAC);
        }
        end(CallRecord.Outcome.FAILED, CallRecord.EndedBy.EDGESBC, "reaped by the orphan audit");
    }

    // ---- requests we send --------------------------------------------------------------------

    private void sendCancel() {
        startNonInvite(cancelOf(uacInviteRequest), uacPoint, target().address());
    }

    /**
     * RFC 3261 §9.1: the CANCEL of an INVITE we sent copies its Request-URI, Call-ID, To, From,
     * CSeq number, top Via and Route headers.
     */
    static SipRequest cancelOf(SipRequest invite) {
        SipRequest.Builder b = SipRequest.builder("CANCEL", invite.requestUri())
                .add(HeaderName.VIA, invite.headers().first(HeaderName.VIA))
                .add(HeaderName.MAX_FORWARDS, "70")
                .add(HeaderName.FROM, invite.headers().first(HeaderName.FROM))
                .add(HeaderName.TO, invite.headers().first(HeaderName.TO))
                .add(HeaderName.CALL_ID, invite.callId())
                .add(HeaderName.CSEQ, invite.cseq().number() + " CANCEL");
        for (String route : invite.headers().lines(HeaderName.ROUTE)) {
            b.add(HeaderName.ROUTE, route);
        }
        return b.build();
    }

    /** A BYE on {@code leg} from its dialog (§15.1.1): its own CSeq, route set and remote target. */
    void sendBye(Leg leg) {
        Dialog dialog = leg == Leg.UAC ? uacDialog : uasDialog;
        if (dialog == null || dialog.state() == io.edgesbc.sip.dialog.DialogState.TERMINATED) {
            return;
        }
        startNonInvite(newRequest(leg, dialog, "BYE"), pointOf(leg), destinationOf(leg, dialog));
        dialog.terminate();
    }

    void startNonInvite(SipRequest request, ListenPoint point, InetSocketAddress destination) {
        startNonInvite(ctx, engine.quietUser(), request, point, destination);
    }

    private static void startNonInvite(ShardContext ctx, ClientTransactionUser quiet, SipRequest request,
                                       ListenPoint point, InetSocketAddress destination) {
        NonInviteClientTransaction transaction = new NonInviteClientTransaction(request,
                point.transport().reliable(), ctx.timers(), ctx.scheduler(), sinkTo(ctx, point, destination), quiet);
        ctx.transactions().add(transaction);
        transaction.start();
    }

    // ---- end ---------------------------------------------------------------------------------

    /**
     * Both legs are over: timers cancelled, the call forgotten, the media released, the router
     * told (its {@link CallHooks#onCallEnded()}, e.g. an admission permit released), the CDR
     * reported (once the relay returned the media statistics). Every way a call ends comes
     * through here; idempotent, so each of these happens exactly once.
     */
    void end(CallRecord.Outcome outcome, CallRecord.EndedBy endedBy, String why) {
        if (phase == Phase.ENDED) {
            return;
        }
        phase = Phase.ENDED;
        stopRetransmitting();
        cancelGuard();
        sessionTimer.stop();
        if (durationLimit != null) {
            durationLimit.dispose();
            durationLimit = null;
        }
        stopReliableProvisionals();
        for (InDialogRelay relay : List.copyOf(relays)) {
            relay.abandon();
        }
        handOverUacInvite();
        try {
            engine.ended(this, why);
        } catch (RuntimeException e) {
            log.error("the end of {} could not be recorded", this, e);
        }
        try {
            route.hooks().onCallEnded();
        } catch (RuntimeException e) {
            log.error("the end hook of {} failed", this, e);
        }
        CallSnapshot last = snapshot();
        long endMillis = now();
        if (!mediaUsed) {
            report(new CallRecord(last, endMillis, outcome, uasFinalCode, uacFinalCode, endedBy, why,
                    MediaSummary.NONE));
            return;
        }
        engine.media().release(mediaSession)
                .timeout(Duration.ofSeconds(10))
                .onErrorResume(e -> {
                    log.warn("the media of call {} could not be released: {}", uacCallId, e.toString());
                    return reactor.core.publisher.Mono.just(MediaSummary.NONE);
                })
                .defaultIfEmpty(MediaSummary.NONE)
                .subscribe(summary -> {
                    CallRecord record = new CallRecord(last, endMillis, outcome, uasFinalCode, uacFinalCode, endedBy,
                            why, summary);
                    try {
                        ctx.scheduler().schedule(() -> report(record));
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        // The shard is gone (the server is stopping): the listeners are thread-safe, and
                        // the CDR must not be lost.
                        report(record);
                    }
                });
    }

    private void report(CallRecord record) {
        try {
            engine.events().ended(record);
        } catch (RuntimeException e) {
            log.error("the CDR of {} could not be reported", this, e);
        }
    }

    private void stopReliableProvisionals() {
        reliableProvisionals.stopAll();
    }

    /**
     * The ended call lets go of its answered UAC INVITE: that transaction waits in Accepted for
     * Timer M (RFC 6026 §8.4, 32 s) and would keep the whole call (dialogs, messages, media
     * session) alive until then. It gets an {@link EndedUacInvite} with what its 2xx
     * retransmissions need (the call is out of the call table, so only the transaction can bring
     * it any). Before the answer (no UAC dialog) the call stays the user: a 2xx then makes the
     * dialog that gets its ACK and BYE here.
     */
    private void handOverUacInvite() {
        if (uacDialog == null || uacInvite == null || uacInvite.isTerminated()) {
            return;
        }
        uacInvite.handOver(new EndedUacInvite(ctx, engine.quietUser(), uacPoint, target().address(),
                uacDialog.id().remoteTag(), uacAck, uacNextHop()));
    }

    private void stopRetransmitting() {
        if (retransmit2xx != null) {
            retransmit2xx.stop();
            retransmit2xx = null;
        }
    }

    private void cancelGuard() {
        if (guard != null) {
            guard.dispose();
            guard = null;
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private long now() {
        return ctx.scheduler().now(TimeUnit.MILLISECONDS);
    }

    /** Whether the message's body is an SDP (RFC 3264 offer or answer): the relay rewrites those. */
    static boolean isSdp(SipMessage message) {
        if (!message.hasBody()) {
            return false;
        }
        ContentType type = message.contentType();
        return type != null && "application".equalsIgnoreCase(type.type()) && "sdp".equalsIgnoreCase(type.subtype());
    }

    /** §16.6 item 3: Max-Forwards one less than received (70 when absent; 0 was answered 483). */
    static int forwardedMaxForwards(SipRequest request) {
        int received = request.headers().contains(HeaderName.MAX_FORWARDS) ? request.maxForwards() : 70;
        return Math.max(0, received - 1);
    }

    /** Sends from {@code point}: its realm, its transport (a stream reuses an open connection, §18.1.1). */
    private void send(ListenPoint point, SipMessage message, InetSocketAddress destination) {
        send(ctx, point, message, destination);
    }

    private static void send(ShardContext ctx, ListenPoint point, SipMessage message,
                             InetSocketAddress destination) {
        ctx.send(message, point.realm(), destination, point.transport());
    }

    private TransportSink sinkTo(ListenPoint point, InetSocketAddress destination) {
        return sinkTo(ctx, point, destination);
    }

    /**
     * A sink that holds the shard, not the call: a transaction outlives its call (Timer M, K,
     * RFC 6026 §8.4, RFC 3261 §17.1.2.2), and must not keep the call's state alive meanwhile.
     */
    private static TransportSink sinkTo(ShardContext ctx, ListenPoint point, InetSocketAddress destination) {
        // A connect refused or a write that failed reaches the transaction on this shard, which
        // tells its TU with a 503 (RFC 3261 §17.1.4, §8.1.3.1): failover, or the caller's answer.
        return (message, owner) -> ctx.send(message, point.realm(), destination, point.transport(),
                TransportSink.reportingTo(owner, ctx.scheduler())::accept);
    }

    private InetSocketAddress uacNextHop() {
        return nextHop(uacDialog, target().address());
    }

    /**
     * Where an in-dialog request goes (§12.2.1.1, §8.1.2): the first route, else the remote
     * target; only IP literals are used (no DNS on the shard thread), else {@code fallback}.
     */
    private static InetSocketAddress nextHop(Dialog dialog, InetSocketAddress fallback) {
        Uri next = dialog.routeSet().isEmpty() ? dialog.remoteTarget() : dialog.routeSet().get(0).uri();
        if (next instanceof SipUri sip) {
            InetSocketAddress literal = RouteTarget.literalAddress(sip.host(), sip.port());
            if (literal != null) {
                return literal;
            }
        }
        return fallback;
    }


    private SipRequest withVia(SipRequest request, ListenPoint point) {
        return withVia(ctx, request, point);
    }

    private static SipRequest withVia(ShardContext ctx, SipRequest request, ListenPoint point) {
        return request.toBuilder().addFirst(HeaderName.VIA, ourVia(point, ctx.newBranch())).build();
    }

    /** Our Via in a realm (§8.1.1.7), asking for rport (RFC 3581). */
    private static String ourVia(ListenPoint point, String branch) {
        String host = point.advertisedHost();
        return Via.of(point.transport().name(), host, point.address().getPort(), branch) + ";rport";
    }

    /** Our Contact in a realm: the listen point's address (§8.1.1.8), with the transport when not UDP. */
    static SipUri contactUri(ListenPoint point) {
        SipUri.Builder b = SipUri.builder().host(point.advertisedHost())
                .port(point.address().getPort());
        if (point.transport() != TransportKind.UDP) {
            b.param("transport", point.transport().name().toLowerCase(Locale.ROOT));
        }
        return b.build();
    }

    private static String hostPort(RouteTarget target) {
        String host = target.address().getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + target.address().getPort();
    }

    /**
     * The From/To of the UAC leg: the caller's display name and user, at a host of the UAC leg's
     * side (topology hiding: the caller's host and port stay on the UAS leg); tags dropped. A
     * non-SIP URI (tel:) names no host and is kept.
     */
    private static NameAddr rehome(NameAddr original, String hostPort) {
        NameAddr bare = original.withoutParameter("tag");
        if (!(bare.uri() instanceof SipUri sip)) {
            return bare;
        }
        StringBuilder uri = new StringBuilder(sip.scheme()).append(':');
        if (sip.rawUser() != null) {
            uri.append(sip.rawUser()).append('@');
        }
        uri.append(hostPort);
        return bare.withUri(SipUri.parse(uri.toString()));
    }

    private static String userOf(NameAddr address) {
        return address == null ? null : userOf(address.uri());
    }

    private static String userOf(Uri uri) {
        if (uri instanceof SipUri sip) {
            return sip.user();
        }
        return uri == null ? null : uri.toString();
    }

    @Override
    public String toString() {
        return "Call[uas " + uasKey + ", uac " + uacKey + ", " + phase + "]";
    }
}
