package io.edgesbc.b2bua;

import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.Header;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.ClientTransaction;
import io.edgesbc.sip.transaction.ClientTransactionUser;
import io.edgesbc.sip.transaction.InviteServerTransaction;
import io.edgesbc.sip.transaction.ServerTransaction;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.MessageSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The B2BUA of one shard: makes a {@link Call} for each routed INVITE and hands it the messages of
 * its legs. The SIP core below has already matched transactions, absorbed retransmissions, run
 * the UAS checks (RFC 3261 §8.2) and answered CANCEL (§9.2); what reaches this class is a new
 * INVITE, a request with one of our tags, an ACK for a 2xx, a CANCEL that hit a call's INVITE, or
 * a response no client transaction took.
 *
 * <p>Threading: one engine per shard, used only on that shard's thread (as is everything it
 * owns: the {@link CallTable}, the calls, their dialogs and timers). No locks.
 */
public final class CallEngine {

    private static final Logger log = LoggerFactory.getLogger(CallEngine.class);

    private final ShardContext ctx;
    private final CallRouter router;
    private final MediaAnchor media;
    private final CallEvents events;
    private final B2buaSettings settings;
    private final TopologyHiding hiding;
    private final LongAdder reaped = new LongAdder();
    private final CallTable calls = new CallTable();
    private final LongAdder started = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final ClientTransactionUser quiet = new QuietUser();

    /** An engine whose calls' SDP passes unchanged (no media relay). */
    public CallEngine(ShardContext ctx, CallRouter router) {
        this(ctx, router, MediaAnchor.PASS_THROUGH);
    }

    public CallEngine(ShardContext ctx, CallRouter router, MediaAnchor media) {
        this(ctx, router, media, CallEvents.NONE);
    }

    public CallEngine(ShardContext ctx, CallRouter router, MediaAnchor media, CallEvents events) {
        this(ctx, router, media, events, B2buaSettings.DEFAULT);
    }

    public CallEngine(ShardContext ctx, CallRouter router, MediaAnchor media, CallEvents events,
                      B2buaSettings settings) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.router = Objects.requireNonNull(router, "router");
        this.media = Objects.requireNonNull(media, "media");
        this.events = Objects.requireNonNull(events, "events");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hiding = new TopologyHiding(settings.removedHeaders(), settings.passedHeaders());
    }

    B2buaSettings settings() {
        return settings;
    }

    TopologyHiding hiding() {
        return hiding;
    }

    CallEvents events() {
        return events;
    }

    /** The calls of this shard as they stand (admin API). Call on the shard's thread. */
    public java.util.List<CallSnapshot> snapshots() {
        java.util.List<CallSnapshot> list = new java.util.ArrayList<>(calls.size());
        for (Call call : calls.all()) {
            list.add(call.snapshot());
        }
        return list;
    }

    /**
     * Hangs up the call with this id (admin API): BYE on both legs when answered, else 480 to the
     * caller and CANCEL on the UAC leg. False when this shard has no such call.
     */
    public boolean hangUp(String id) {
        Call call = callById(id);
        if (call == null) {
            return false;
        }
        call.hangUp("hung up by the operator");
        return true;
    }

    MediaAnchor media() {
        return media;
    }

    /** The call of this shard with this id ({@link Call#id()}) that has not ended, or null. */
    Call callById(String id) {
        return calls.findById(id);
    }

    /**
     * A new INVITE (no To-tag) whose server transaction has started. Returns false when the
     * router has no route for its realm: the caller answers it as without the B2BUA.
     */
    public boolean onInvite(InviteServerTransaction transaction, MessageSource source) {
        SipRequest invite = transaction.request();
        if (loopsThroughUs(invite)) {
            // A request that already passed through EdgeSBC (one of our own branches in its Vias)
            // came back: RFC 3261 §8.2.2.2/§16.3 item 4 in spirit, a loop. 482 ends it here.
            transaction.sendResponse(UasResponses.to(invite, 482, "Loop Detected", ctx::newTag).build());
            reportRefused(invite, source, 482, "loop: our own Via came back", CallRecord.Outcome.FAILED,
                    CallLabels.NONE);
            return true;
        }
        RouteDecision decision = router.decide(source.realm(), source.remote(), invite);
        if (decision instanceof RouteDecision.NoRoute) {
            return false;
        }
        String tag = ctx.newTag();
        if (decision instanceof RouteDecision.Reject reject) {
            SipResponse.Builder b = UasResponses.to(invite, reject.code(), reject.reason(), () -> tag);
            for (Header h : reject.headers()) {
                b.add(h.name(), h.value());
            }
            transaction.sendResponse(b.build());
            reportRefused(invite, source, reject.code(), "refused by policy: " + reject.code() + " " + reject.reason(),
                    CallRecord.Outcome.REJECTED, reject.labels());
            return true;
        }
        RouteDecision.Route route = (RouteDecision.Route) decision;
        if (invite.contact() == null || invite.contact().isWildcard() || invite.contact().contacts().isEmpty()) {
            // RFC 3261 §8.1.1.8: an INVITE must have one Contact; without it there is no dialog.
            transaction.sendResponse(UasResponses.to(invite, 400, "Missing Contact", () -> tag).build());
            reportRefused(invite, source, 400, "INVITE without a Contact", CallRecord.Outcome.FAILED,
                    route.hooks().labels());
            route.hooks().onCallEnded(); // no call was made: what the router holds for it is given back
            return true;
        }
        Optional<ListenPoint> out = ctx.listenPoint(route.realm(), route.targets().get(0).transport());
        if (out.isEmpty()) {
            log.warn("route for realm {} goes out through realm {}, which has no {} socket", source.realm(),
                    route.realm(), route.targets().get(0).transport());
            transaction.sendResponse(UasResponses.to(invite, 500, "No Way Out", () -> tag).build());
            reportRefused(invite, source, 500, "no UDP socket in realm " + route.realm(), CallRecord.Outcome.FAILED,
                    route.hooks().labels());
            route.hooks().onCallEnded();
            return true;
        }
        // RFC 3261 §17.2.1: 100 Trying at once; the call may take a while (Timer B on the UAC leg).
        SipResponse.Builder trying = UasResponses.to(invite, 100, "Trying", null);
        String timestamp = invite.headers().first(HeaderName.TIMESTAMP);
        if (timestamp != null) {
            trying.add(HeaderName.TIMESTAMP, timestamp); // §8.2.6.1
        }
        transaction.sendResponse(trying.build());
        Call call = new Call(this, ctx, transaction, source, route, out.get());
        calls.add(call);
        started.increment();
        try {
            call.start();
        } catch (RuntimeException e) {
            // A bug while building or sending the UAC INVITE: the call must not stay half-made.
            log.error("could not start call {}", call, e);
            if (call.phase() == Call.Phase.CALLING) {
                transaction.sendResponse(UasResponses.to(invite, 500, "Server Internal Error", () -> tag).build());
            }
            call.end(CallRecord.Outcome.FAILED, CallRecord.EndedBy.EDGESBC, "failed to start: " + e);
        }
        return true;
    }

    /**
     * A request with a To-tag (§12.2.2): our tag on the UAS leg (the caller's in-dialog request)
     * or on the UAC leg (the callee's, whose To-tag is our From-tag). Returns false when no call
     * has that dialog: the caller answers 481.
     */
    public boolean onInDialogRequest(ServerTransaction transaction, SipRequest request) {
        Call call = calls.find(new CallTable.LegKey(request.callId(), request.toTag()));
        if (call == null) {
            return false;
        }
        return call.onInDialogRequest(legOf(call, request.callId(), request.toTag()), transaction, request);
    }

    /** An ACK no server transaction took: the ACK of a 2xx (§13.3.1.4), on either leg. False when it is no call's. */
    public boolean onAck(SipRequest ack) {
        if (ack.toTag() == null) {
            return false;
        }
        Call call = calls.find(new CallTable.LegKey(ack.callId(), ack.toTag()));
        if (call == null) {
            return false;
        }
        call.onAck(legOf(call, ack.callId(), ack.toTag()), ack);
        return true;
    }

    /** The leg of {@code call} whose dialog EdgeSBC names (Call-ID, our tag) — the table found the call by it. */
    private static Call.Leg legOf(Call call, String callId, String ourTag) {
        return call.uasKey().equals(new CallTable.LegKey(callId, ourTag)) ? Call.Leg.UAS : Call.Leg.UAC;
    }

    /** A CANCEL matched this INVITE, and the SIP core answered it (§9.2): a call's first INVITE or a re-INVITE. */
    public void onCancelled(InviteServerTransaction invite) {
        Call call = calls.findByInvite(invite.key());
        if (call != null) {
            call.onCallerCancel();
            return;
        }
        SipRequest request = invite.request();
        if (request.toTag() == null) {
            return;
        }
        Call inDialog = calls.find(new CallTable.LegKey(request.callId(), request.toTag()));
        if (inDialog != null) {
            for (InDialogRelay relay : inDialog.relays()) {
                if (relay.takesCancel(invite)) {
                    return;
                }
            }
        }
    }

    /**
     * A Replaces value (RFC 3891: Call-ID;to-tag;from-tag) naming one of our dialogs, as the
     * matching dialog on the other side of that call; null when it names none of this shard's.
     */
    String mapReplaces(String replaces) {
        String[] parts = replaces.split(";");
        String callId = parts[0].trim();
        String toTag = null;
        String fromTag = null;
        boolean earlyOnly = false;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(java.util.Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1).trim();
            switch (name) {
                case "to-tag" -> toTag = value;
                case "from-tag" -> fromTag = value;
                case "early-only" -> earlyOnly = true;
                default -> { }
            }
        }
        if (toTag == null || fromTag == null) {
            return null;
        }
        // Seen by the party that sent it, the dialog's to-tag is ours (RFC 3891 §3).
        Call call = calls.find(new CallTable.LegKey(callId, toTag));
        if (call == null) {
            return null;
        }
        return call.replacesTwin(legOf(call, callId, toTag), fromTag, earlyOnly);
    }

    /** Whether one of the Vias below the top one is ours: sent-by one of our listen points, branch one of ours. */
    private boolean loopsThroughUs(SipRequest invite) {
        java.util.List<io.edgesbc.sip.message.Via> vias = invite.vias();
        for (int i = 1; i < vias.size(); i++) {
            io.edgesbc.sip.message.Via via = vias.get(i);
            if (via.branch() != null && ctx.isOurBranch(via.branch()) && ctx.isOurSentBy(via.host(), via.port())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The orphan audit (run every minute by the server on each shard): a call that can no longer
     * end by itself (no transaction, timer, relay step or open dialog left) is ended and counted.
     * Returns the number reaped.
     */
    public int audit() {
        java.util.List<Call> orphans = new java.util.ArrayList<>();
        for (Call call : calls.all()) {
            if (!call.canEndByItself()) {
                orphans.add(call);
            }
        }
        for (Call call : orphans) {
            call.reap();
            reaped.increment();
        }
        return orphans.size();
    }

    /** Calls the audit had to end since start. */
    public long callsReaped() {
        return reaped.sum();
    }

    /** A response no client transaction took: a 2xx retransmission after Timer M (RFC 6026). */
    public boolean onStrayResponse(SipResponse response) {
        if (response.statusClass() != 2 || !"INVITE".equals(response.method()) || response.fromTag() == null) {
            return false;
        }
        Call call = calls.find(new CallTable.LegKey(response.callId(), response.fromTag()));
        return call != null && call.onLate2xx(response);
    }

    /**
     * EdgeSBC is stopping: every call still up is hung up (BYE on both legs, or 480 and CANCEL
     * before the answer), so that the parties know and each call gets its CDR. With
     * {@code force}, calls still waiting for the other side (a CANCEL unanswered) end at once.
     * Returns how many calls were hung up or ended.
     */
    public int hangUpAll(String why, boolean force) {
        java.util.List<Call> all = new java.util.ArrayList<>(calls.all());
        for (Call call : all) {
            if (force) {
                call.endNow(why);
            } else {
                call.hangUp(why);
            }
        }
        return all.size();
    }

    /**
     * The media relay saw no RTP on the call with this id ({@link MediaSession#id()}) for its
     * timeout: the call ends on both legs as if the operator hung it up. False when unknown here.
     */
    public boolean onMediaTimeout(String id) {
        Call call = callById(id);
        if (call == null) {
            return false;
        }
        log.info("call {}: no media for the media timeout; ending both legs", id);
        call.hangUp("media timeout");
        return true;
    }

    /** The one CDR of an INVITE answered before it became a call (refused by the router, or unusable). */
    private void reportRefused(SipRequest invite, MessageSource source, int code, String why,
                               CallRecord.Outcome outcome, CallLabels labels) {
        long now = ctx.scheduler().now(java.util.concurrent.TimeUnit.MILLISECONDS);
        String called = invite.requestUri() instanceof io.edgesbc.sip.message.SipUri sip ? sip.user()
                : invite.requestUri().toString();
        String caller = invite.from() != null && invite.from().uri() instanceof io.edgesbc.sip.message.SipUri sip
                ? sip.user() : null;
        CallSnapshot snapshot = new CallSnapshot(ctx.newCallId(), invite.callId(), null, source.realm(), null,
                labels, "ended", caller, called, now, -1, -1);
        try {
            events.ended(new CallRecord(snapshot, now, outcome, code, 0, CallRecord.EndedBy.EDGESBC, why,
                    MediaSummary.NONE));
        } catch (RuntimeException e) {
            log.error("the CDR of a refused INVITE could not be reported", e);
        }
    }

    /** Calls of this shard that have not ended. */
    public int activeCalls() {
        return calls.size();
    }

    /** Index entries of the call table: 3 per active call, 0 when no call leaked. */
    public int tableEntries() {
        return calls.entries();
    }

    public long callsStarted() {
        return started.sum();
    }

    public long callsEnded() {
        return ended.sum();
    }

    void ended(Call call, String why) {
        if (calls.remove(call)) {
            ended.increment();
            log.debug("call {} ended: {}", call, why);
        }
    }

    ClientTransactionUser quietUser() {
        return quiet;
    }

    /** The TU of the BYEs and CANCELs a call sends after it has made up its mind: outcomes are logged only. */
    private static final class QuietUser implements ClientTransactionUser {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction, SipResponse timeout) {
            log.debug("no answer to {}", transaction.request().method());
        }

        @Override
        public void onTransportError(ClientTransaction transaction, SipResponse unavailable, Throwable cause) {
            log.debug("could not send {}: {}", transaction.request().method(), cause.toString());
        }

        @Override
        public void onTerminated(ClientTransaction transaction) {
        }
    }
}
