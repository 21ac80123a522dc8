package io.edgesbc.b2bua;

import static io.edgesbc.b2bua.CallHarness.CALLEE_1;
import static io.edgesbc.b2bua.CallHarness.CALLEE_2;
import static io.edgesbc.b2bua.CallHarness.CALLER;
import static io.edgesbc.b2bua.CallHarness.request;
import static io.edgesbc.b2bua.CallHarness.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Call flows through one shard's B2BUA in virtual time (RFC 3261 §13, §9, §15): what each side
 * receives, that neither sees the other's identifiers, and that every call leaves the call table
 * and every transaction ends.
 */
class CallFlowTest extends CallFlowFixture {

    // ---- flows -------------------------------------------------------------------------------

    @Test
    void theUacLegIsANewCallWithOurIdentifiersAndTheCallersHeadersAndBody() {
        SipRequest out = call();
        assertThat(h.last(CALLER, response(100, "INVITE")).response().toTag()).isNull();
        assertThat(out.requestUri().toString()).isEqualTo("sip:+4930123456@192.168.0.50:5090");
        assertThat(out.vias()).hasSize(1);
        assertThat(out.topVia().host()).isEqualTo("192.168.0.1");
        assertThat(out.topVia().port()).isEqualTo(5070);
        assertThat(out.topVia().branch()).startsWith("z9hG4bK-0-");
        assertThat(out.callId()).startsWith("0-").isNotEqualTo(invite.callId());
        assertThat(out.fromTag()).startsWith("0-").isNotEqualTo(invite.fromTag());
        assertThat(out.toTag()).isNull();
        assertThat(out.from().uri().toString()).isEqualTo("sip:alice@192.168.0.1:5070");
        assertThat(out.from().displayName()).isEqualTo("Alice");
        assertThat(out.to().uri().toString()).isEqualTo("sip:+4930123456@192.168.0.50:5090");
        assertThat(out.cseq().number()).isEqualTo(1);
        assertThat(out.maxForwards()).isEqualTo(69);
        assertThat(out.contact().contacts().get(0).uri().toString()).isEqualTo("sip:192.168.0.1:5070");
        assertThat(out.headers().contains(HeaderName.RECORD_ROUTE)).isFalse();
        assertThat(out.headers().contains(HeaderName.PATH)).isFalse();
        assertThat(out.headers().first(HeaderName.SUBJECT)).isEqualTo("lunch");
        assertThat(out.headers().first(HeaderName.SUPPORTED)).isEqualTo("timer");
        assertThat(out.bodyText()).isEqualTo(SDP);
        assertThat(out.headers().first(HeaderName.CONTENT_TYPE)).isEqualTo("application/sdp");
        assertNoLeaks(CALLEE_1, CALLER_SECRETS);
    }

    @Test
    void basicCallWithByeFromTheCaller() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 180, "Ringing", false), CALLEE_1);
        SipResponse ringing = h.last(CALLER, response(180, "INVITE")).response();
        String ourTag = ringing.toTag();
        assertThat(ourTag).startsWith("0-");
        assertThat(ringing.contact().contacts().get(0).uri().toString()).isEqualTo("sip:10.0.0.1:5060");

        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        // §13.2.2.4: we ACK the callee's 2xx ourselves, in its dialog: To-tag, route set, remote target.
        SipRequest ack = h.last(new InetSocketAddress("192.168.0.50", 5090), request("ACK")).request();
        assertThat(ack.requestUri().toString()).isEqualTo("sip:bob@bob-phone.inside.example:5090");
        assertThat(ack.toTag()).isEqualTo(CALLEE_TAG);
        assertThat(ack.route()).hasSize(1);
        SipResponse ok = h.last(CALLER, response(200, "INVITE")).response();
        assertThat(ok.toTag()).isEqualTo(ourTag);
        assertThat(ok.callId()).isEqualTo(invite.callId());
        assertThat(ok.vias()).hasSize(2);
        assertThat(ok.bodyText()).contains("c=IN IP4 192.168.0.50"); // SDP unchanged until media anchoring
        assertThat(ok.headers().contains(HeaderName.RECORD_ROUTE)).isFalse();
        assertThat(h.engine.activeCalls()).isOne();

        // Until the caller ACKs, the 2xx is retransmitted (§13.3.1.4).
        h.advance(Duration.ofMillis(600));
        assertThat(h.count(CALLER, response(200, "INVITE"))).isEqualTo(2);
        h.fromCaller(callerRequestInDialog("ACK", ok, 314159));
        h.advance(Duration.ofSeconds(10));
        assertThat(h.count(CALLER, response(200, "INVITE"))).isEqualTo(2);
        assertThat(h.count(CALLEE_1, request("ACK"))).as("our own ACK only: the caller's is not relayed").isOne();

        h.fromCaller(callerRequestInDialog("BYE", ok, 314160));
        assertThat(h.last(CALLER, response(200, "BYE"))).isNotNull();
        SipRequest bye = h.last(new InetSocketAddress("192.168.0.50", 5090), request("BYE")).request();
        assertThat(bye.callId()).isEqualTo(out.callId());
        assertThat(bye.cseq().number()).isEqualTo(2);
        assertThat(bye.toTag()).isEqualTo(CALLEE_TAG);
        assertThat(bye.fromTag()).isEqualTo(out.fromTag());
        assertThat(h.engine.activeCalls()).isZero();
        h.fromCallee(calleeAnswers(bye, 200, "OK", false), CALLEE_1);

        assertNoLeaks(CALLEE_1, CALLER_SECRETS);
        assertNoLeaks(CALLER, CALLEE_SECRETS);
        assertCallGoneAndTransactionsEnd();

        assertThat(h.events.kinds).containsExactly("started", "ringing", "answered", "ended");
        CallRecord cdr = h.events.only();
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.ANSWERED);
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.CALLER);
        assertThat(cdr.uasCode()).isEqualTo(200);
        assertThat(cdr.uacCode()).isEqualTo(200);
        assertThat(cdr.call().uasCallId()).isEqualTo(invite.callId());
        assertThat(cdr.call().uacCallId()).isEqualTo(out.callId());
        assertThat(cdr.call().id()).isEqualTo(out.callId());
        assertThat(cdr.call().callerRealm()).isEqualTo("outside");
        assertThat(cdr.call().calleeRealm()).isEqualTo("inside");
        assertThat(cdr.call().caller()).isEqualTo("alice");
        assertThat(cdr.call().called()).isEqualTo("+4930123456");
        // Virtual time: started at 0, answered at once, hung up 10.6 s later.
        assertThat(cdr.endMillis() - cdr.call().startMillis()).isEqualTo(10_600);
        assertThat(cdr.call().answerMillis()).isGreaterThanOrEqualTo(cdr.call().ringMillis())
                .isGreaterThanOrEqualTo(cdr.call().startMillis());
        assertThat(cdr.durationSeconds()).isEqualTo(10.6);
    }

    @Test
    void byeFromTheCalleeGoesToTheCallerInItsOwnDialog() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        SipResponse ok = h.last(CALLER, response(200, "INVITE")).response();
        h.fromCaller(callerRequestInDialog("ACK", ok, 314159));

        h.fromCallee(calleeBye(out), CALLEE_1);
        assertThat(h.last(CALLEE_1, response(200, "BYE"))).isNotNull();
        SipRequest bye = h.last(CALLER, request("BYE")).request();
        // §12.2.1.1: the caller's dialog: its Call-ID, its tag as To, ours as From, its Contact, its route set.
        assertThat(bye.callId()).isEqualTo(invite.callId());
        assertThat(bye.toTag()).isEqualTo("1928301774");
        assertThat(bye.fromTag()).isEqualTo(ok.toTag());
        assertThat(bye.requestUri().toString()).isEqualTo("sip:alice@203.0.113.7:5099");
        assertThat(bye.route().get(0).toString()).contains("p1.example.com");
        assertThat(bye.topVia().host()).isEqualTo("10.0.0.1");
        assertThat(h.engine.activeCalls()).isZero();
        assertNoLeaks(CALLER, CALLEE_SECRETS);
        assertCallGoneAndTransactionsEnd();
        assertThat(h.events.only().endedBy()).isEqualTo(CallRecord.EndedBy.CALLEE);
    }

    @Test
    void aRejectionIsMappedBackWithOurToTag() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 180, "Ringing", false), CALLEE_1);
        String ourTag = h.last(CALLER, response(180, "INVITE")).response().toTag();
        h.fromCallee(calleeAnswers(out, 486, "Busy Here", false), CALLEE_1);
        assertThat(h.count(CALLEE_1, request("ACK"))).as("the INVITE client transaction ACKs the 486").isOne();
        SipResponse busy = h.last(CALLER, response(486, "INVITE")).response();
        assertThat(busy.toTag()).isEqualTo(ourTag);
        assertThat(h.engine.activeCalls()).isZero();
        assertNoLeaks(CALLER, CALLEE_SECRETS);
        assertCallGoneAndTransactionsEnd();
        CallRecord cdr = h.events.only();
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.FAILED);
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.CALLEE);
        assertThat(cdr.uasCode()).isEqualTo(486);
        assertThat(cdr.durationSeconds()).isZero();
    }

    @Test
    void cancelAfterRingingCancelsTheUacLeg() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 180, "Ringing", false), CALLEE_1);
        h.fromCaller(cancelOf(invite));
        assertThat(h.last(CALLER, response(200, "CANCEL"))).isNotNull();
        assertThat(h.last(CALLER, response(487, "INVITE"))).isNotNull();
        // §9.1: the CANCEL has the INVITE's Request-URI, Call-ID, From, To, CSeq number and branch.
        SipRequest cancel = h.last(CALLEE_1, request("CANCEL")).request();
        assertThat(cancel.topVia().branch()).isEqualTo(out.topVia().branch());
        assertThat(cancel.callId()).isEqualTo(out.callId());
        assertThat(cancel.cseq().number()).isEqualTo(out.cseq().number());
        assertThat(cancel.requestUri()).isEqualTo(out.requestUri());
        h.fromCallee(calleeAnswers(cancel, 200, "OK", false), CALLEE_1);
        h.fromCallee(calleeAnswers(out, 487, "Request Terminated", false), CALLEE_1);
        assertThat(h.count(CALLER, response(487, "INVITE"))).as("one 487 so far").isOne();
        assertNoLeaks(CALLEE_1, CALLER_SECRETS);
        assertCallGoneAndTransactionsEnd();
        CallRecord cdr = h.events.only();
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.CANCELLED);
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.CALLER);
        assertThat(cdr.uasCode()).isEqualTo(487);
        assertThat(cdr.uacCode()).isEqualTo(487);
    }

    @Test
    void aCancelBeforeAnyProvisionalWaitsForOne() {
        SipRequest out = call();
        h.fromCaller(cancelOf(invite));
        assertThat(h.last(CALLER, response(487, "INVITE"))).isNotNull();
        assertThat(h.count(CALLEE_1, request("CANCEL"))).as("§9.1: not before a provisional").isZero();
        h.fromCallee(calleeAnswers(out, 100, "Trying", false), CALLEE_1);
        assertThat(h.count(CALLEE_1, request("CANCEL"))).isOne();
        h.fromCallee(calleeAnswers(out, 487, "Request Terminated", false), CALLEE_1);
        assertCallGoneAndTransactionsEnd();
    }

    @Test
    void a2xxThatCrossesTheCancelIsAckedAndHungUpOnTheUacLeg() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 180, "Ringing", false), CALLEE_1);
        h.fromCaller(cancelOf(invite));
        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        InetSocketAddress phone = new InetSocketAddress("192.168.0.50", 5090);
        assertThat(h.count(phone, request("ACK"))).isOne();
        SipRequest bye = h.last(phone, request("BYE")).request();
        assertThat(bye.toTag()).isEqualTo(CALLEE_TAG);
        assertThat(h.count(CALLER, response(200, "INVITE"))).as("the caller keeps its 487").isZero();
        h.fromCallee(calleeAnswers(bye, 200, "OK", false), CALLEE_1);
        assertCallGoneAndTransactionsEnd();
    }

    @Test
    void timerBOnTheOnlyTargetGives408() {
        CallHarness single = CallHarness.routingTo(CALLEE_1);
        SipRequest inv = callerInvite(70);
        single.fromCaller(inv);
        single.advance(Duration.ofSeconds(33));
        assertThat(single.count(CALLEE_1, request("INVITE"))).as("Timer A retransmissions").isEqualTo(7);
        assertThat(single.last(CALLER, response(408, "INVITE")).response().toTag()).startsWith("0-");
        assertThat(single.engine.activeCalls()).isZero();
        CallRecord cdr = single.events.only();
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.TIMED_OUT);
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.EDGESBC);
        assertThat(cdr.uasCode()).isEqualTo(408);
    }

    @Test
    void failoverToTheNextTargetOnTimeoutAnd503BeforeTheCallerHearsAFinal() {
        SipRequest first = call();
        h.advance(Duration.ofSeconds(33)); // Timer B on the first target
        assertThat(h.count(CALLER, m -> m instanceof SipResponse r && r.isFinal())).isZero();
        SipRequest second = h.last(CALLEE_2, request("INVITE")).request();
        assertThat(second.callId()).isEqualTo(first.callId());
        assertThat(second.cseq().number()).isEqualTo(2);
        assertThat(second.topVia().branch()).isNotEqualTo(first.topVia().branch());
        h.fromCallee(calleeAnswers(second, 503, "Service Unavailable", false), CALLEE_2);
        // No third target: the 503 goes back.
        assertThat(h.last(CALLER, response(503, "INVITE"))).isNotNull();
        assertCallGoneAndTransactionsEnd();
    }

    /**
     * A transport error on the INVITE (a TCP connect refused, say) is a 503 at once (RFC 3261
     * §17.1.4, §8.1.3.1), not a 408 after Timer B's 32 s: the next target is tried, and with none
     * left the caller gets the 503.
     */
    @Test
    void anInviteTheTransportCannotSendFailsOverAtOnceAndTheLastTargetGivesTheCaller503() {
        h.unreachable.add(CALLEE_1);
        h.unreachable.add(CALLEE_2);
        SipRequest first = call();
        // Both reports arrive at once (within Timer A's 500 ms): the second target was tried too.
        h.advance(Duration.ofMillis(1));
        SipRequest second = h.last(CALLEE_2, request("INVITE")).request();
        assertThat(second.topVia().branch()).isNotEqualTo(first.topVia().branch());
        assertThat(h.last(CALLER, response(503, "INVITE"))).isNotNull();
        assertThat(h.count(CALLER, m -> m instanceof SipResponse r && r.isFinal())).isOne();
        assertThat(h.count(CALLEE_1, request("INVITE"))).as("no retransmission after the error").isOne();
        CallRecord cdr = h.events.only();
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.FAILED);
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.EDGESBC);
        assertThat(cdr.uasCode()).isEqualTo(503);
        assertCallGoneAndTransactionsEnd();
    }

    /** The ACK of a non-2xx fails to go out: the caller has had its final response, nothing else happens. */
    @Test
    void aFailedAckAfterAFinalResponseChangesNothing() {
        SipRequest out = call();
        h.unreachable.add(CALLEE_1); // from now on: the ACK to the 486 fails
        h.fromCallee(calleeAnswers(out, 486, "Busy Here", false), CALLEE_1);
        h.advance(Duration.ofMillis(1));
        assertThat(h.count(CALLEE_1, request("ACK"))).isOne();
        assertThat(h.count(CALLEE_2, request("INVITE"))).as("a 486 is not failed over, nor is its ACK's error").isZero();
        assertThat(h.count(CALLER, m -> m instanceof SipResponse r && r.isFinal())).isOne();
        assertThat(h.last(CALLER, response(486, "INVITE"))).isNotNull();
        assertThat(h.events.only().uasCode()).isEqualTo(486);
        assertCallGoneAndTransactionsEnd();
    }

    @Test
    void aCallerThatNeverAcksThe2xxGetsAByeAndSoDoesTheCallee() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        h.advance(Duration.ofSeconds(40));
        // One BYE transaction each (retransmitted by Timer E, since nobody answers here).
        assertThat(h.sentTo(CALLER).stream().filter(s -> request("BYE").test(s.message()))
                .map(s -> s.request().topVia().branch()).distinct()).hasSize(1);
        assertThat(h.sentTo(CALLEE_1).stream().filter(s -> request("BYE").test(s.message()))
                .map(s -> s.request().topVia().branch()).distinct()).hasSize(1);
        assertThat(h.engine.activeCalls()).isZero();
    }

    @Test
    void aLate2xxRetransmissionIsAckedAgain() {
        SipRequest out = call();
        SipResponse ok = calleeAnswers(out, 200, "OK", true);
        h.fromCallee(ok, CALLEE_1);
        h.fromCaller(callerRequestInDialog("ACK", h.last(CALLER, response(200, "INVITE")).response(), 314159));
        h.advance(Duration.ofSeconds(40)); // Timer M ends the INVITE client transaction
        h.fromCallee(ok, CALLEE_1);
        assertThat(h.count(new InetSocketAddress("192.168.0.50", 5090), request("ACK"))).isEqualTo(2);
    }

    /**
     * RFC 6026 §8.4: the answered INVITE's client transaction waits in Accepted for Timer M after
     * the call ended. It must not keep the call (dialogs, messages, media session) alive for those
     * 32 s, and must still ACK the callee's 2xx retransmissions and hang up another fork's 2xx.
     */
    @Test
    void anEndedCallIsReleasedWhileItsTransactionsStillAckLate2xx() {
        SipRequest out = call();
        SipResponse calleeOk = calleeAnswers(out, 200, "OK", true);
        h.fromCallee(calleeOk, CALLEE_1);
        SipResponse ok = h.last(CALLER, response(200, "INVITE")).response();
        h.fromCaller(callerRequestInDialog("ACK", ok, 314159));
        java.lang.ref.WeakReference<Call> call = new java.lang.ref.WeakReference<>(h.engine.callById(out.callId()));
        assertThat(call.get()).isNotNull();
        h.fromCaller(callerRequestInDialog("BYE", ok, 314160));
        SipRequest bye = h.last(CALLEE_1, request("BYE")).request();
        h.fromCallee(calleeAnswers(bye, 200, "OK", false), CALLEE_1);
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(h.table.clientCount()).as("the UAC INVITE waits for Timer M").isPositive();
        assertThat(h.table.serverCount()).as("the caller's INVITE waits for Timer L").isPositive();

        for (int i = 0; i < 20 && call.get() != null; i++) {
            System.gc();
        }
        assertThat(call.get()).as("no transaction keeps the ended call").isNull();

        // The callee did not get our ACK: its 2xx comes again and gets the same ACK (§13.2.2.4).
        InetSocketAddress callee = new InetSocketAddress("192.168.0.50", 5090);
        SipRequest firstAck = h.last(callee, request("ACK")).request();
        h.fromCallee(calleeOk, CALLEE_1);
        assertThat(h.count(callee, request("ACK"))).isEqualTo(2);
        assertThat(h.last(callee, request("ACK")).wire()).isEqualTo(h.sentTo(callee).stream()
                .filter(s -> s.message() == firstAck).findFirst().orElseThrow().wire());
        // Another fork's 2xx: ACKed and hung up (§13.2.2.4), as while the call was up.
        SipResponse fork = UasResponses.to(out, 200, "OK", () -> "other-fork")
                .add(HeaderName.CONTACT, "<sip:carol@192.168.0.52:5090>").build();
        long byes = h.count(CALLEE_1, request("BYE"));
        h.fromCallee(fork, CALLEE_1);
        assertThat(h.last(new InetSocketAddress("192.168.0.52", 5090), request("ACK")).request().toTag())
                .isEqualTo("other-fork");
        assertThat(h.last(new InetSocketAddress("192.168.0.52", 5090), request("BYE")).request().toTag())
                .isEqualTo("other-fork");
        assertThat(h.count(CALLEE_1, request("BYE"))).isEqualTo(byes);
        assertCallGoneAndTransactionsEnd();
    }

    @Test
    void aRouterRejectionIsAnsweredOnTheUasLeg() {
        CallHarness rejecting = new CallHarness((realm, source, inv) -> new RouteDecision.Reject(403, "Forbidden",
                List.of(io.edgesbc.sip.message.Header.of("Reason", "Q.850;cause=21"))));
        rejecting.fromCaller(callerInvite(70));
        SipResponse forbidden = rejecting.last(CALLER, response(403, "INVITE")).response();
        assertThat(forbidden.headers().first(HeaderName.REASON)).isEqualTo("Q.850;cause=21");
        assertThat(rejecting.engine.activeCalls()).isZero();
        CallRecord cdr = rejecting.events.only();
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.REJECTED);
        assertThat(cdr.uasCode()).isEqualTo(403);
        assertThat(cdr.call().uasCallId()).isEqualTo(callerInvite(70).callId());
        assertThat(rejecting.events.kinds).containsExactly("ended");
    }

    @Test
    void theOperatorHangsUpAnAnsweredCallWithAByeOnEachLeg() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        SipResponse ok = h.last(CALLER, response(200, "INVITE")).response();
        h.fromCaller(callerRequestInDialog("ACK", ok, 314159));
        assertThat(h.engine.snapshots()).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo("confirmed"));
        assertThat(h.engine.hangUp("no-such-call")).isFalse();

        assertThat(h.engine.hangUp(out.callId())).isTrue();
        assertThat(h.last(CALLER, request("BYE")).request().callId()).isEqualTo(invite.callId());
        assertThat(h.last(new InetSocketAddress("192.168.0.50", 5090), request("BYE")).request().callId())
                .isEqualTo(out.callId());
        assertThat(h.engine.snapshots()).isEmpty();
        CallRecord cdr = h.events.only();
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.EDGESBC);
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.ANSWERED);
    }

    @Test
    void theOperatorHangsUpARingingCallWith480AndACancel() {
        SipRequest out = call();
        h.fromCallee(calleeAnswers(out, 180, "Ringing", false), CALLEE_1);
        assertThat(h.engine.hangUp(out.callId())).isTrue();
        assertThat(h.last(CALLER, response(480, "INVITE"))).isNotNull();
        SipRequest cancel = h.last(CALLEE_1, request("CANCEL")).request();
        h.fromCallee(calleeAnswers(cancel, 200, "OK", false), CALLEE_1);
        h.fromCallee(calleeAnswers(out, 487, "Request Terminated", false), CALLEE_1);
        assertCallGoneAndTransactionsEnd();
        CallRecord cdr = h.events.only();
        assertThat(cdr.endedBy()).isEqualTo(CallRecord.EndedBy.EDGESBC);
        assertThat(cdr.outcome()).isEqualTo(CallRecord.Outcome.CANCELLED);
        assertThat(cdr.uasCode()).isEqualTo(480);
    }

    @Test
    void inDialogRequestsOfNoCallAreNotTaken() {
        h.fromCaller((SipRequest) h.parse("""
                BYE sip:x@10.0.0.1 SIP/2.0
                Via: SIP/2.0/UDP 203.0.113.7:5099;branch=z9hG4bKnocall
                Max-Forwards: 70
                To: <sip:x@10.0.0.1>;tag=0-unknown
                From: <sip:a@203.0.113.7>;tag=1
                Call-ID: nocall
                CSeq: 1 BYE
                Content-Length: 0

                """));
        assertThat(h.last(CALLER, response(481, "BYE"))).isNotNull();
    }

    private SipRequest cancelOf(SipRequest inv) {
        SipRequest.Builder b = SipRequest.builder("CANCEL", inv.requestUri());
        b.add(HeaderName.VIA, inv.headers().lines(HeaderName.VIA).get(0));
        b.add(HeaderName.MAX_FORWARDS, "70")
                .add(HeaderName.FROM, inv.headers().first(HeaderName.FROM))
                .add(HeaderName.TO, inv.headers().first(HeaderName.TO))
                .add(HeaderName.CALL_ID, inv.callId())
                .add(HeaderName.CSEQ, inv.cseq().number() + " CANCEL");
        return b.build();
    }

    @SuppressWarnings("unused")
    private static boolean isFinal(SipMessage m) {
        return m instanceof SipResponse r && r.isFinal();
    }
}
