package io.edgesbc.b2bua;

import io.edgesbc.sip.dialog.Dialog;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.ClientTransaction;
import io.edgesbc.sip.transaction.ClientTransactionUser;
import io.edgesbc.sip.transaction.InviteClientTransaction;
import io.edgesbc.sip.transaction.InviteServerTransaction;
import io.edgesbc.sip.transaction.NonInviteClientTransaction;
import io.edgesbc.sip.transaction.ServerTransaction;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request inside a call's dialogs relayed to the other leg (re-INVITE, UPDATE, PRACK, INFO,
 * MESSAGE, NOTIFY, SUBSCRIBE, REFER, OPTIONS): the server transaction on the origin leg, a client
 * transaction on the target leg built in that leg's dialog (its Call-ID, tags, CSeq, route set,
 * our Via and Contact there), and the responses mapped back. SDP in the request, its responses
 * and the ACK goes through the media relay (RFC 3264 offer/answer); a failed offer leaves the
 * session as it was (RFC 3261 §14.1: the UAS answers, nothing changes).
 *
 * <p>For a re-INVITE, each leg's 2xx/ACK is its own (§13.3.1.4, §13.2.2.4): we ACK the target's
 * 2xx, and retransmit ours to the origin until its ACK. Glare (§14.1, RFC 3311 §5.2): a new offer
 * from a leg we have an INVITE pending towards gets 491, and a second one from a leg whose
 * previous one is still open gets 500 with Retry-After.
 *
 * <p>Threading: the call's shard thread.
 */
final class InDialogRelay implements ClientTransactionUser {

    private static final Logger log = LoggerFactory.getLogger(InDialogRelay.class);

    /** Methods whose Contact is the sender's target (§12.2, RFC 3311, RFC 6665, RFC 3515). */
    private static final Set<String> TARGET_REFRESH = Set.of("INVITE", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER");

    private final Call call;
    private final Call.Leg origin;
    private final ServerTransaction server;
    private final SipRequest request;
    private final Dialog targetDialog;
    private final boolean invite;
    /** The request carried an SDP offer (else a 2xx to an INVITE carries the offer, §13.2.1). */
    private final boolean offered;
    private ClientTransaction client;
    private SipRequest sent;
    private SipRequest ackSent;
    private boolean finalSeen;
    private boolean cancelled;
    private Retransmission retransmit;
    /** A 2xx with an offer to an offerless re-INVITE: its ACK waits for the origin's answer. */
    private long ackWaitsForAnswer = -1;

    private InDialogRelay(Call call, Call.Leg origin, ServerTransaction server, SipRequest request,
                          Dialog targetDialog) {
        this.call = call;
        this.origin = origin;
        this.server = server;
        this.request = request;
        this.targetDialog = targetDialog;
        this.invite = "INVITE".equals(request.method());
        this.offered = Call.isSdp(request);
    }

    /** Relays {@code request}, received in the dialog of {@code origin}, to the other leg. */
    static void relay(Call call, Call.Leg origin, ServerTransaction server, SipRequest request) {
        Call.Leg target = origin.other();
        Dialog targetDialog = call.dialogOf(target);
        if (targetDialog == null || targetDialog.state() == io.edgesbc.sip.dialog.DialogState.TERMINATED) {
            // Nothing on the other side to carry it yet (the callee has not answered with a tag).
            server.sendResponse(UasResponses.to(request, 481, "Call/Transaction Does Not Exist", null).build());
            return;
        }
        boolean newOffer = "INVITE".equals(request.method())
                || "UPDATE".equals(request.method()) && Call.isSdp(request);
        if (newOffer && call.inviteTowards(origin)) {
            // §14.1 / RFC 3311 §5.2: our own offer towards this party is pending: glare.
            server.sendResponse(UasResponses.to(request, 491, "Request Pending", null).build());
            return;
        }
        if (newOffer && call.inviteFrom(origin)) {
            // §14.2: a second offer while the party's previous one is unanswered.
            server.sendResponse(UasResponses.to(request, 500, "Server Internal Error", null)
                    .add(HeaderName.RETRY_AFTER, Integer.toString(ThreadLocalRandom.current().nextInt(0, 11)))
                    .build());
            return;
        }
        InDialogRelay relay = new InDialogRelay(call, origin, server, request, targetDialog);
        call.relays().add(relay);
        if (relay.offered) {
            call.steps().after("ACK".equals(request.method()) || "PRACK".equals(request.method())
                    ? call.answer(origin, request.body()) : call.offer(origin, request.body()), outcome -> {
                        if (outcome instanceof MediaOutcome.Refused refused) {
                            relay.refuse(refused);
                        } else {
                            relay.send(((MediaOutcome.Rewritten) outcome).body());
                        }
                    });
        } else {
            call.steps().now(() -> relay.send(request.hasBody() ? request.body() : null));
        }
    }

    Call.Leg origin() {
        return origin;
    }

    Call.Leg target() {
        return origin.other();
    }

    boolean isInvite() {
        return invite;
    }

    boolean isFinal() {
        return finalSeen;
    }

    /** The relay refused the offer: the origin hears 488/503 and the session stays as it was. */
    private void refuse(MediaOutcome.Refused refused) {
        SipResponse.Builder b = UasResponses.to(request, refused.code(), refused.reason(), null);
        if (refused.retryAfter() != null) {
            b.add(HeaderName.RETRY_AFTER, Long.toString(refused.retryAfter().toSeconds()));
        }
        server.sendResponse(b.build());
        finalSeen = true;
        done();
    }

    private void send(byte[] body) {
        if (call.phase() == Call.Phase.ENDED || targetDialog.state() == io.edgesbc.sip.dialog.DialogState.TERMINATED) {
            server.sendResponse(UasResponses.to(request, 481, "Call/Transaction Does Not Exist", null).build());
            finalSeen = true;
            done();
            return;
        }
        Call.Leg target = target();
        SipRequest.Builder b = call.newRequest(target, targetDialog, request.method()).toBuilder()
                .set(HeaderName.MAX_FORWARDS, Integer.toString(Call.forwardedMaxForwards(request)));
        call.engine().hiding().copyHeaders(request, b);
        if ("REFER".equals(request.method())) {
            ReferMapping.rewrite(call, target, request, b);
        }
        if ("PRACK".equals(request.method())) {
            String rack = call.mapRack(request.headers().first(HeaderName.RACK));
            if (rack == null) {
                server.sendResponse(UasResponses.to(request, 481, "Call/Transaction Does Not Exist", null).build());
                finalSeen = true;
                done();
                return;
            }
            b.set(HeaderName.RACK, rack);
        }
        if (body != null) {
            b.body(body);
        }
        sent = b.build();
        client = invite
                ? new InviteClientTransaction(sent, call.pointOf(target).transport().reliable(), call.ctx().timers(),
                        call.ctx().scheduler(),
                        call.sinkOn(target, targetDialog), this)
                : new NonInviteClientTransaction(sent, call.pointOf(target).transport().reliable(),
                        call.ctx().timers(), call.ctx().scheduler(),
                        call.sinkOn(target, targetDialog), this);
        call.ctx().transactions().add(client);
        client.start();
        if (cancelled) {
            sendCancel();
        }
    }

    // ---- responses from the target ------------------------------------------------------------

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        int code = response.statusCode();
        if (code == 100) {
            return; // hop by hop (§16.7 item 5); the origin's server transaction sends its own
        }
        if (code < 200) {
            if (cancelled && invite) {
                sendCancel();
            }
            relayResponse(response, null, false);
            return;
        }
        if (finalSeen) {
            if (invite && code < 300 && ackSent != null) {
                call.sendOn(target(), targetDialog, ackSent); // a retransmitted 2xx: ACK again (§13.2.2.4)
            }
            return;
        }
        finalSeen = true;
        targetDialog.onRemoteResponse(response);
        boolean ok = code < 300;
        if (invite && ok) {
            boolean offerIn2xx = !offered && Call.isSdp(response);
            if (offerIn2xx) {
                ackWaitsForAnswer = response.cseq().number(); // §13.2.1: the origin's ACK has the answer
            } else {
                sendAck(response.cseq().number(), null);
            }
        }
        if (Call.isSdp(response) && (ok || code < 200)) {
            boolean answer = offered || "PRACK".equals(request.method());
            call.steps().after(answer ? call.answer(target(), response.body()) : call.offer(target(), response.body()),
                    outcome -> {
                        if (outcome instanceof MediaOutcome.Refused refused) {
                            // The target agreed but the relay cannot: the origin hears the refusal;
                            // for a re-INVITE the target's new session is ended by a BYE below.
                            relayFailure(refused.code(), refused.reason());
                            if (invite) {
                                if (ackWaitsForAnswer >= 0) {
                                    sendAck(ackWaitsForAnswer, null);
                                    ackWaitsForAnswer = -1;
                                }
                                call.hangUpAfterFailedRefresh("media relay refused the re-INVITE's answer");
                            }
                            return;
                        }
                        relayResponse(response, ((MediaOutcome.Rewritten) outcome).body(), true);
                    });
        } else {
            call.steps().now(() -> relayResponse(response, response.hasBody() && !Call.isSdp(response)
                    ? response.body() : null, true));
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, SipResponse timeout) {
        if (!finalSeen) {
            finalSeen = true;
            call.steps().now(() -> relayResponse(timeout, null, true));
        }
    }

    @Override
    public void onTransportError(ClientTransaction transaction, SipResponse unavailable, Throwable cause) {
        if (!finalSeen) {
            finalSeen = true;
            call.steps().now(() -> relayResponse(unavailable, null, true));
        }
    }

    @Override
    public void onTerminated(ClientTransaction transaction) {
        if (!invite || retransmit == null && ackWaitsForAnswer < 0) {
            done();
        }
    }

    /**
     * A response of the target as the origin gets it (§8.2.6): the origin's request's Via, From,
     * To, Call-ID and CSeq, our Contact on the origin's leg for target refresh methods, the other
     * headers as {@link TopologyHiding} lets them through, the body as the relay made it.
     */
    private void relayResponse(SipResponse response, byte[] body, boolean last) {
        int code = response.statusCode();
        SipResponse.Builder b = UasResponses.to(request, code, response.reasonPhrase(), null);
        if (code < 300 && TARGET_REFRESH.contains(request.method())) {
            b.add(HeaderName.CONTACT, "<" + call.contactOf(origin) + ">");
        }
        call.engine().hiding().copyHeaders(response, b);
        if (body != null) {
            b.body(body);
        } else {
            b.remove(HeaderName.CONTENT_TYPE);
        }
        SipResponse relayed = b.build();
        server.sendResponse(relayed);
        if (code < 200) {
            return;
        }
        if (code < 300 && (invite || "UPDATE".equals(request.method()))) {
            call.onSessionRefreshed(response);
        }
        if (invite && code < 300) {
            // §13.3.1.4: our 2xx to the origin is ours to retransmit until its ACK.
            retransmit = Retransmission.of2xx(call.ctx().scheduler(), call.ctx().timers(), () -> {
                if (!server.sendResponse(relayed)) {
                    call.sendOn(origin, call.dialogOf(origin), relayed);
                }
            }, () -> {
                retransmit = null;
                log.info("no ACK for the 2xx of a re-INVITE in call {}", call.id());
                call.hangUpAfterFailedRefresh("no ACK for the 2xx of a re-INVITE");
            });
        } else if (code == 481 || code == 408) {
            // §12.2.1.2: the target's dialog is gone (or unreachable): the call cannot go on.
            call.hangUpAfterFailedRefresh("the " + target().name() + " leg answered " + code + " in the dialog");
        }
        if (last && retransmit == null && ackWaitsForAnswer < 0 && (client == null || client.isTerminated())) {
            done();
        }
    }

    private void relayFailure(int code, String reason) {
        server.sendResponse(UasResponses.to(request, code, reason, null).build());
    }

    // ---- ACK and CANCEL from the origin --------------------------------------------------------

    /** The origin's ACK for our 2xx to its re-INVITE: stops our retransmissions; with an answer, completes ours. */
    boolean takesAck(Call.Leg leg, SipRequest ack) {
        if (!invite || leg != origin || ack.cseq().number() != request.cseq().number()) {
            return false;
        }
        if (retransmit != null) {
            retransmit.stop();
            retransmit = null;
        }
        if (ackWaitsForAnswer >= 0) {
            long seq = ackWaitsForAnswer;
            ackWaitsForAnswer = -1;
            if (Call.isSdp(ack)) {
                call.steps().after(call.answer(origin, ack.body()), outcome -> {
                    sendAck(seq, outcome instanceof MediaOutcome.Rewritten r ? r.body() : null);
                    done();
                });
                return true;
            }
            sendAck(seq, null);
        }
        done();
        return true;
    }

    /** A 2xx retransmission after the client transaction ended: ACK it again. */
    boolean takesLate2xx(SipResponse response) {
        if (!invite || ackSent == null || response.cseq().number() != ackSent.cseq().number()) {
            return false;
        }
        call.sendOn(target(), targetDialog, ackSent);
        return true;
    }

    /** The origin cancelled its re-INVITE (§9.2; the SIP core answered it): the target gets a CANCEL. */
    boolean takesCancel(InviteServerTransaction cancelledInvite) {
        if (server != cancelledInvite) {
            return false;
        }
        cancelled = true;
        if (client != null && !finalSeen) {
            sendCancel();
        }
        return true;
    }

    private void sendCancel() {
        if (!(client instanceof InviteClientTransaction) || finalSeen) {
            return;
        }
        SipRequest cancel = Call.cancelOf(sent);
        call.startNonInvite(cancel, call.pointOf(target()), call.destinationOf(target(), targetDialog));
    }

    private void sendAck(long seq, byte[] body) {
        SipRequest ack = call.newAck(target(), targetDialog, seq);
        if (body != null) {
            ack = ack.toBuilder().add(HeaderName.CONTENT_TYPE, "application/sdp").body(body).build();
        }
        ackSent = ack;
        call.sendOn(target(), targetDialog, ack);
    }

    /** The call ended: no more retransmissions; the transactions finish on their own. */
    void abandon() {
        if (retransmit != null) {
            retransmit.stop();
            retransmit = null;
        }
        if (!finalSeen) {
            finalSeen = true;
            // §15.1.2: requests pending when the dialog ends get 487.
            server.sendResponse(UasResponses.to(request, 487, "Request Terminated", null).build());
        }
        done();
    }

    private void done() {
        call.relays().remove(this);
    }
}
