package io.edgesbc.b2bua;

import static io.edgesbc.b2bua.CallHarness.CALLEE_1;
import static io.edgesbc.b2bua.CallHarness.CALLER;
import static io.edgesbc.b2bua.CallHarness.request;
import static io.edgesbc.b2bua.CallHarness.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Requests inside a call's dialogs, relayed between the legs in virtual time: re-INVITE both ways
 * with each leg's own ACK, glare (RFC 3261 §14.1), a failed re-INVITE, UPDATE in the early dialog
 * (RFC 3311), reliable provisionals (RFC 3262) relayed or PRACKed by us, INFO and REFER, session
 * timers (RFC 4028), the maximum call duration, 3xx, loops, and SDP through the media anchor.
 */
class InDialogFlowTest extends CallFlowFixture {

    private static final InetSocketAddress PHONE = new InetSocketAddress("192.168.0.50", 5090);

    private SipRequest uacInvite;
    private SipResponse ourOk;
    private int callerSeq = 314160;
    private int calleeSeq = 1;

    /** A call answered and ACKed on both legs. */
    private void answeredCall() {
        uacInvite = call();
        h.fromCallee(calleeAnswers(uacInvite, 200, "OK", true), CALLEE_1);
        ourOk = h.last(CALLER, response(200, "INVITE")).response();
        h.fromCaller(callerRequestInDialog("ACK", ourOk, 314159));
    }

    private SipRequest fromCallerInDialog(String method, String body) {
        SipRequest r = callerRequestInDialog(method, ourOk, callerSeq++);
        SipRequest.Builder b = r.toBuilder().add(HeaderName.CONTACT, "<sip:alice@203.0.113.7:5099>");
        if (body != null) {
            b.body("application/sdp", body.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    /** A request the callee sends in its dialog (its tag as From, ours as To). */
    private SipRequest fromCalleeInDialog(String method, String body) {
        SipRequest.Builder b = SipRequest.builder(method, io.edgesbc.sip.message.SipUri.parse("sip:192.168.0.1:5070"))
                .add(HeaderName.VIA, "SIP/2.0/UDP 192.168.0.50:5090;branch=z9hG4bKcallee" + method + calleeSeq)
                .add(HeaderName.MAX_FORWARDS, "70")
                .add(HeaderName.FROM, uacInvite.headers().first(HeaderName.TO) + ";tag=" + CALLEE_TAG)
                .add(HeaderName.TO, uacInvite.headers().first(HeaderName.FROM))
                .add(HeaderName.CALL_ID, uacInvite.callId())
                .add(HeaderName.CSEQ, (calleeSeq++) + " " + method)
                .add(HeaderName.CONTACT, "<sip:bob@bob-phone.inside.example:5090>");
        if (body != null) {
            b.body("application/sdp", body.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private static final String HOLD_SDP = "v=0\r\no=alice 1 2 IN IP4 203.0.113.7\r\ns=-\r\nc=IN IP4 203.0.113.7\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendonly\r\n";

    @Test
    void aReInviteFromTheCallerIsRelayedAndEachLegAcksItsOwn2xx() {
        answeredCall();
        SipRequest reinvite = fromCallerInDialog("INVITE", HOLD_SDP);
        h.fromCaller(reinvite);
        SipRequest out = h.last(PHONE, request("INVITE")).request();
        assertThat(out.callId()).isEqualTo(uacInvite.callId());
        assertThat(out.toTag()).isEqualTo(CALLEE_TAG);
        assertThat(out.cseq().number()).isEqualTo(2);
        assertThat(out.bodyText()).contains("a=sendonly");
        assertThat(out.requestUri().toString()).isEqualTo("sip:bob@bob-phone.inside.example:5090");
        assertThat(out.route()).hasSize(1);

        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        assertThat(h.count(PHONE, request("ACK"))).as("the first ACK and ours for the re-INVITE").isEqualTo(2);
        assertThat(h.last(PHONE, request("ACK")).request().cseq().number()).isEqualTo(2);
        SipResponse ok = h.last(CALLER, response(200, "INVITE")).response();
        assertThat(ok.cseq().number()).isEqualTo(reinvite.cseq().number());
        assertThat(ok.contact().contacts().get(0).uri().toString()).isEqualTo("sip:10.0.0.1:5060");

        // Our 2xx to the caller is retransmitted until its ACK (§13.3.1.4), not relayed further.
        h.advance(Duration.ofMillis(600));
        assertThat(h.count(CALLER, response(200, "INVITE"))).isEqualTo(3);
        SipRequest ack = callerRequestInDialog("ACK", ourOk, (int) reinvite.cseq().number());
        h.fromCaller(ack);
        h.advance(Duration.ofSeconds(10));
        assertThat(h.count(CALLER, response(200, "INVITE"))).isEqualTo(3);
        assertThat(h.count(PHONE, request("ACK"))).isEqualTo(2);
        assertNoLeaks(CALLER, CALLEE_SECRETS);
        assertNoLeaks(CALLEE_1, CALLER_SECRETS);
        assertNoLeaks(PHONE, CALLER_SECRETS);

        h.fromCaller(fromCallerInDialog("BYE", null));
        assertThat(h.last(PHONE, request("BYE")).request().cseq().number()).isEqualTo(3);
    }

    @Test
    void aReInviteFromTheCalleeReachesTheCallerInItsDialog() {
        answeredCall();
        SipRequest reinvite = fromCalleeInDialog("INVITE", SDP);
        h.fromCallee(reinvite, CALLEE_1);
        SipRequest out = h.last(CALLER, request("INVITE")).request();
        assertThat(out.callId()).isEqualTo(invite.callId());
        assertThat(out.toTag()).isEqualTo("1928301774");
        assertThat(out.fromTag()).isEqualTo(ourOk.toTag());
        assertThat(out.cseq().number()).isEqualTo(1);
        SipResponse callerOk = UasResponses.to(out, 200, "OK", null)
                .add(HeaderName.CONTACT, "<sip:alice@203.0.113.7:5099>").body("application/sdp", HOLD_SDP.getBytes())
                .build();
        h.fromCallerResponse(callerOk);
        assertThat(h.last(CALLER, request("ACK")).request().cseq().number()).isEqualTo(1);
        SipResponse ok = h.last(CALLEE_1, response(200, "INVITE")).response();
        assertThat(ok.cseq().number()).isEqualTo(reinvite.cseq().number());
        assertThat(ok.bodyText()).contains("sendonly");
        assertNoLeaks(CALLEE_1, CALLER_SECRETS);
        assertNoLeaks(CALLER, CALLEE_SECRETS);
    }

    @Test
    void crossingReInvitesGet491() {
        answeredCall();
        h.fromCallee(fromCalleeInDialog("INVITE", SDP), CALLEE_1); // pending towards the caller
        h.fromCaller(fromCallerInDialog("INVITE", HOLD_SDP));
        assertThat(h.last(CALLER, response(491, "INVITE"))).as("§14.1 glare").isNotNull();
        assertThat(h.count(PHONE, request("INVITE"))).as("not relayed: the first INVITE only").isOne();
    }

    @Test
    void aFailedReInviteLeavesTheCallAsItWas() {
        answeredCall();
        h.fromCaller(fromCallerInDialog("INVITE", HOLD_SDP));
        SipRequest out = h.last(PHONE, request("INVITE")).request();
        h.fromCallee(calleeAnswers(out, 488, "Not Acceptable Here", false), CALLEE_1);
        assertThat(h.last(CALLER, response(488, "INVITE"))).isNotNull();
        assertThat(h.engine.activeCalls()).isOne();
        h.fromCaller(fromCallerInDialog("BYE", null));
        assertThat(h.last(PHONE, request("BYE"))).isNotNull();
        assertThat(h.engine.activeCalls()).isZero();
    }

    @Test
    void infoAndMessageAreRelayedBothWays() {
        answeredCall();
        SipRequest info = fromCallerInDialog("INFO", null).toBuilder()
                .body("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n".getBytes()).build();
        h.fromCaller(info);
        SipRequest out = h.last(PHONE, request("INFO")).request();
        assertThat(out.bodyText()).contains("Signal=5");
        assertThat(out.headers().first(HeaderName.CONTENT_TYPE)).isEqualTo("application/dtmf-relay");
        h.fromCallee(calleeAnswers(out, 200, "OK", false), CALLEE_1);
        assertThat(h.last(CALLER, response(200, "INFO")).response().cseq().number())
                .isEqualTo(info.cseq().number());

        h.fromCallee(fromCalleeInDialog("MESSAGE", null), CALLEE_1);
        SipRequest message = h.last(CALLER, request("MESSAGE")).request();
        assertThat(message.callId()).isEqualTo(invite.callId());
        h.fromCallerResponse(UasResponses.to(message, 202, "Accepted", null).build());
        assertThat(h.last(CALLEE_1, response(202, "MESSAGE"))).isNotNull();
    }

    @Test
    void aTimeoutOfARelayedRequestEndsTheCallOnBothLegs() {
        answeredCall();
        h.fromCaller(fromCallerInDialog("INFO", null));
        h.advance(Duration.ofSeconds(33)); // Timer F on the UAC leg
        assertThat(h.last(CALLER, response(408, "INFO"))).isNotNull();
        assertThat(h.last(CALLER, request("BYE"))).as("§12.2.1.2: 408 ends the dialog").isNotNull();
        assertThat(h.engine.activeCalls()).isZero();
    }

    @Test
    void updateInTheEarlyDialogGoesToTheForkThatRang() {
        uacInvite = call();
        h.fromCallee(calleeAnswers(uacInvite, 183, "Session Progress", true), CALLEE_1);
        SipResponse progress = h.last(CALLER, response(183, "INVITE")).response();
        SipRequest update = callerRequestInDialog("UPDATE", progress, 314160).toBuilder()
                .add(HeaderName.CONTACT, "<sip:alice@203.0.113.7:5099>")
                .body("application/sdp", HOLD_SDP.getBytes()).build();
        h.fromCaller(update);
        SipRequest out = h.last(PHONE, request("UPDATE")).request();
        assertThat(out.toTag()).isEqualTo(CALLEE_TAG);
        assertThat(out.cseq().number()).isEqualTo(2);
        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        assertThat(h.last(CALLER, response(200, "UPDATE")).response().bodyText()).contains("192.168.0.50");
        // The 2xx to the INVITE confirms the same dialog: our next request there continues its CSeq.
        h.fromCallee(calleeAnswers(uacInvite, 200, "OK", false), CALLEE_1);
        ourOk = h.last(CALLER, response(200, "INVITE")).response();
        h.fromCaller(callerRequestInDialog("ACK", ourOk, 314159));
        h.fromCaller(callerRequestInDialog("BYE", ourOk, 314161));
        assertThat(h.last(PHONE, request("BYE")).request().cseq().number()).isEqualTo(3);
    }

    private SipResponse reliable183(SipRequest req, int rseq) {
        return calleeAnswers(req, 183, "Session Progress", true).toBuilder()
                .add(HeaderName.REQUIRE, "100rel").add(HeaderName.RSEQ, Integer.toString(rseq)).build();
    }

    @Test
    void reliableProvisionalsAreRelayedWithOurOwnRseqAndThePrackIsMapped() {
        uacInvite = call(); // the caller supports 100rel
        assertThat(uacInvite.supported()).contains("100rel");
        h.fromCallee(reliable183(uacInvite, 77), CALLEE_1);
        SipResponse progress = h.last(CALLER, response(183, "INVITE")).response();
        assertThat(progress.require()).contains("100rel");
        long ourRseq = Long.parseLong(progress.headers().first(HeaderName.RSEQ));
        assertThat(ourRseq).isNotEqualTo(77);
        assertThat(h.count(PHONE, request("PRACK"))).as("the caller PRACKs, not us").isZero();
        // RFC 3262 §3: retransmitted until the PRACK.
        h.advance(Duration.ofMillis(600));
        assertThat(h.count(CALLER, response(183, "INVITE"))).isGreaterThanOrEqualTo(2);

        SipRequest prack = callerRequestInDialog("PRACK", progress, 314160).toBuilder()
                .add(HeaderName.RACK, ourRseq + " 314159 INVITE").build();
        h.fromCaller(prack);
        SipRequest out = h.last(PHONE, request("PRACK")).request();
        assertThat(out.headers().first(HeaderName.RACK)).isEqualTo("77 1 INVITE");
        h.fromCallee(calleeAnswers(out, 200, "OK", false), CALLEE_1);
        assertThat(h.last(CALLER, response(200, "PRACK"))).isNotNull();
        long sent = h.count(CALLER, response(183, "INVITE"));
        h.advance(Duration.ofSeconds(5));
        assertThat(h.count(CALLER, response(183, "INVITE"))).as("no retransmission after the PRACK").isEqualTo(sent);

        SipRequest unknown = callerRequestInDialog("PRACK", progress, 314161).toBuilder()
                .set(HeaderName.VIA, "SIP/2.0/UDP pc33.atlanta.example.com:5099;branch=z9hG4bKcallerPRACK2")
                .add(HeaderName.RACK, (ourRseq + 5) + " 314159 INVITE").build();
        h.fromCaller(unknown);
        assertThat(h.last(CALLER, response(481, "PRACK"))).as("RFC 3262 §4").isNotNull();
    }

    @Test
    void whenOnlyTheCalleeDoes100relWePrackItOurselves() {
        SipRequest plain = callerInvite(70).toBuilder().remove(HeaderName.SUPPORTED).build();
        invite = plain;
        h.fromCaller(plain);
        uacInvite = h.last(CALLEE_1, request("INVITE")).request();
        assertThat(uacInvite.supported()).contains("100rel");
        h.fromCallee(reliable183(uacInvite, 9), CALLEE_1);
        SipRequest prack = h.last(PHONE, request("PRACK")).request();
        assertThat(prack.headers().first(HeaderName.RACK)).isEqualTo("9 1 INVITE");
        assertThat(prack.toTag()).isEqualTo(CALLEE_TAG);
        SipResponse progress = h.last(CALLER, response(183, "INVITE")).response();
        assertThat(progress.require()).doesNotContain("100rel");
        assertThat(progress.headers().contains(HeaderName.RSEQ)).isFalse();
    }

    @Test
    void referToPointsAtUsAndKeepsTheUser() {
        answeredCall();
        SipRequest refer = fromCallerInDialog("REFER", null).toBuilder()
                .add(HeaderName.REFER_TO, "<sip:carol@pc33.atlanta.example.com:5099>")
                .add(HeaderName.REFERRED_BY, "<sip:alice@pc33.atlanta.example.com>").build();
        h.fromCaller(refer);
        SipRequest out = h.last(PHONE, request("REFER")).request();
        assertThat(out.headers().first(HeaderName.REFER_TO)).isEqualTo("<sip:carol@192.168.0.1:5070>");
        assertThat(out.headers().first(HeaderName.REFERRED_BY)).isEqualTo("<sip:alice@192.168.0.1:5070>");
        assertNoLeaks(PHONE, CALLER_SECRETS);
    }

    @Test
    void aReplacesNamingTheCallersDialogIsMappedToTheCalleesDialog() {
        answeredCall();
        String replaces = invite.callId() + ";to-tag=" + ourOk.toTag() + ";from-tag=1928301774";
        assertThat(h.engine.mapReplaces(replaces))
                .isEqualTo(uacInvite.callId() + ";to-tag=" + CALLEE_TAG + ";from-tag=" + uacInvite.fromTag());
        assertThat(h.engine.mapReplaces("unknown@x;to-tag=a;from-tag=b")).isNull();
    }

    @Test
    void aSessionThatIsNotRefreshedEndsOnBothLegs() {
        uacInvite = call();
        SipResponse ok = calleeAnswers(uacInvite, 200, "OK", true).toBuilder()
                .add(HeaderName.SESSION_EXPIRES, "90;refresher=uac").build();
        h.fromCallee(ok, CALLEE_1);
        ourOk = h.last(CALLER, response(200, "INVITE")).response();
        assertThat(ourOk.headers().first(HeaderName.SESSION_EXPIRES)).isEqualTo("90;refresher=uac");
        h.fromCaller(callerRequestInDialog("ACK", ourOk, 314159));
        // A refresh at 45 s (RFC 4028 §10: half the interval) keeps it alive ...
        h.advance(Duration.ofSeconds(45));
        h.fromCaller(fromCallerInDialog("UPDATE", null));
        SipRequest refresh = h.last(PHONE, request("UPDATE")).request();
        h.fromCallee(calleeAnswers(refresh, 200, "OK", false).toBuilder()
                .add(HeaderName.SESSION_EXPIRES, "90;refresher=uac").build(), CALLEE_1);
        h.advance(Duration.ofSeconds(59));
        assertThat(h.engine.activeCalls()).isOne();
        // ... then nothing: at 90 - min(32, 90/3) = 60 s after the refresh, BYE on both legs.
        h.advance(Duration.ofSeconds(2));
        assertThat(h.last(CALLER, request("BYE"))).isNotNull();
        assertThat(h.last(PHONE, request("BYE"))).isNotNull();
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(h.events.only().outcome()).isEqualTo(CallRecord.Outcome.TIMED_OUT);
    }

    @Test
    void theMaximumCallDurationEndsTheCall() {
        h = CallHarness.with(MediaAnchor.PASS_THROUGH,
                new B2buaSettings(Duration.ofMinutes(5), true, Set.of(), Set.of()), CALLEE_1);
        answeredCall();
        h.advance(Duration.ofMinutes(4));
        assertThat(h.engine.activeCalls()).isOne();
        h.advance(Duration.ofMinutes(1));
        assertThat(h.last(CALLER, request("BYE"))).isNotNull();
        assertThat(h.last(PHONE, request("BYE"))).isNotNull();
        assertThat(h.events.only().endedBy()).isEqualTo(CallRecord.EndedBy.EDGESBC);
    }

    @Test
    void a302IsFollowedToItsContact() {
        uacInvite = call();
        SipResponse moved = UasResponses.to(uacInvite, 302, "Moved Temporarily", () -> CALLEE_TAG)
                .add(HeaderName.CONTACT, "<sip:carol@192.168.0.77:5090>").build();
        h.fromCallee(moved, CALLEE_1);
        InetSocketAddress carol = new InetSocketAddress("192.168.0.77", 5090);
        SipRequest next = h.last(carol, request("INVITE")).request();
        assertThat(next.requestUri().toString()).isEqualTo("sip:carol@192.168.0.77:5090");
        assertThat(next.callId()).isEqualTo(uacInvite.callId());
        assertThat(next.cseq().number()).isEqualTo(2);
        assertThat(h.count(CALLER, response(302, "INVITE"))).isZero();
    }

    @Test
    void a302IsRelayedWithOurContactWhenFollowingIsOff() {
        h = CallHarness.with(MediaAnchor.PASS_THROUGH,
                new B2buaSettings(Duration.ZERO, false, Set.of(), Set.of()), CALLEE_1);
        uacInvite = call();
        h.fromCallee(UasResponses.to(uacInvite, 302, "Moved Temporarily", () -> CALLEE_TAG)
                .add(HeaderName.CONTACT, "<sip:carol@192.168.0.77:5090>").build(), CALLEE_1);
        SipResponse moved = h.last(CALLER, response(302, "INVITE")).response();
        assertThat(moved.contact().contacts().get(0).uri().toString()).isEqualTo("sip:carol@10.0.0.1:5060");
    }

    @Test
    void anInviteThatComesBackThroughUsIsALoop() {
        SipRequest looped = callerInvite(70).toBuilder()
                .add(HeaderName.VIA, "SIP/2.0/UDP 192.168.0.1:5070;branch=z9hG4bK-0-old;rport").build();
        h.fromCaller(looped);
        assertThat(h.last(CALLER, response(482, "INVITE"))).isNotNull();
        assertThat(h.count(CALLEE_1, request("INVITE"))).isZero();
    }

    @Test
    void configuredHeadersAreRemovedAndDefaultRemovalsCanBeLifted() {
        h = CallHarness.with(MediaAnchor.PASS_THROUGH,
                new B2buaSettings(Duration.ZERO, true, Set.of("Subject"), Set.of("Path")), CALLEE_1);
        uacInvite = call();
        assertThat(uacInvite.headers().contains(HeaderName.SUBJECT)).isFalse();
        assertThat(uacInvite.headers().contains(HeaderName.PATH)).isTrue();
    }

    /** A media anchor that marks what it rewrote, and refuses offers containing "refuse". */
    private static final class MarkingAnchor implements MediaAnchor {
        final List<String> calls = new java.util.ArrayList<>();

        @Override
        public Mono<MediaOutcome> offer(MediaSession session, MediaSession.Side from, byte[] sdp) {
            calls.add("offer " + from);
            String text = new String(sdp, StandardCharsets.UTF_8);
            if (text.contains("refuse")) {
                return Mono.just(new MediaOutcome.Refused(503, "No Media Ports", Duration.ofSeconds(7)));
            }
            return Mono.just(new MediaOutcome.Rewritten(mark(text, from)));
        }

        @Override
        public Mono<MediaOutcome> answer(MediaSession session, MediaSession.Side from, byte[] sdp) {
            calls.add("answer " + from);
            return Mono.just(new MediaOutcome.Rewritten(mark(new String(sdp, StandardCharsets.UTF_8), from)));
        }

        @Override
        public Mono<MediaSummary> release(MediaSession session) {
            calls.add("release");
            return Mono.just(new MediaSummary(true, new MediaSummary.Side(10, 1720, 0, 0.5), MediaSummary.Side.ZERO));
        }

        private static byte[] mark(String sdp, MediaSession.Side from) {
            // The relay's address for the other side replaces the party's.
            return sdp.replace("203.0.113.7", "192.168.0.1").replace("192.168.0.50", "10.0.0.1")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void everySdpGoesThroughTheMediaAnchorAndTheCdrGetsItsStatistics() {
        MarkingAnchor anchor = new MarkingAnchor();
        h = CallHarness.with(anchor, B2buaSettings.DEFAULT, CALLEE_1);
        answeredCall();
        assertThat(uacInvite.bodyText()).contains("c=IN IP4 192.168.0.1").doesNotContain("203.0.113.7");
        assertThat(ourOk.bodyText()).contains("c=IN IP4 10.0.0.1").doesNotContain("192.168.0.50");
        h.fromCaller(fromCallerInDialog("INVITE", HOLD_SDP));
        SipRequest out = h.last(PHONE, request("INVITE")).request();
        assertThat(out.bodyText()).contains("192.168.0.1").contains("sendonly");
        h.fromCallee(calleeAnswers(out, 200, "OK", true), CALLEE_1);
        assertThat(anchor.calls).containsExactly("offer CALLER", "answer CALLEE", "offer CALLER", "answer CALLEE");
        h.fromCaller(fromCallerInDialog("BYE", null));
        assertThat(anchor.calls).endsWith("release");
        CallRecord cdr = h.events.only();
        assertThat(cdr.media().anchored()).isTrue();
        assertThat(cdr.media().caller().packets()).isEqualTo(10);
    }

    @Test
    void anOfferTheRelayRefusesIsAnsweredWith503AndRetryAfter() {
        MarkingAnchor anchor = new MarkingAnchor();
        h = CallHarness.with(anchor, B2buaSettings.DEFAULT, CALLEE_1);
        SipRequest refused = callerInvite(70).toBuilder()
                .body("application/sdp", (SDP + "a=refuse\r\n").getBytes(StandardCharsets.UTF_8)).build();
        h.fromCaller(refused);
        SipResponse busy = h.last(CALLER, response(503, "INVITE")).response();
        assertThat(busy.headers().first(HeaderName.RETRY_AFTER)).isEqualTo("7");
        assertThat(h.count(CALLEE_1, request("INVITE"))).isZero();
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(anchor.calls).containsExactly("offer CALLER", "release");
    }

    @Test
    void aLateOfferIsAnsweredInTheCallersAck() {
        MarkingAnchor anchor = new MarkingAnchor();
        h = CallHarness.with(anchor, B2buaSettings.DEFAULT, CALLEE_1);
        SipRequest offerless = callerInvite(70).toBuilder().remove(HeaderName.CONTENT_TYPE).body(new byte[0]).build();
        invite = offerless;
        h.fromCaller(offerless);
        uacInvite = h.last(CALLEE_1, request("INVITE")).request();
        assertThat(uacInvite.hasBody()).isFalse();
        h.fromCallee(calleeAnswers(uacInvite, 200, "OK", true), CALLEE_1);
        assertThat(h.count(PHONE, request("ACK"))).as("the ACK waits for the caller's answer").isZero();
        ourOk = h.last(CALLER, response(200, "INVITE")).response();
        SipRequest ack = callerRequestInDialog("ACK", ourOk, 314159).toBuilder()
                .body("application/sdp", SDP.getBytes(StandardCharsets.UTF_8)).build();
        h.fromCaller(ack);
        SipRequest ourAck = h.last(PHONE, request("ACK")).request();
        assertThat(ourAck.bodyText()).contains("192.168.0.1");
        assertThat(anchor.calls).containsExactly("offer CALLEE", "answer CALLER");
    }

    @Test
    void aTargetWithTransportTcpIsCalledOverTcpWithoutRetransmissions() {
        h = new CallHarness(StaticRouter.empty().with("outside", "inside",
                List.of(RouteTarget.of("sip:192.168.0.50:5090;transport=tcp"))));
        uacInvite = call();
        assertThat(uacInvite.topVia().transport()).isEqualTo("TCP");
        assertThat(uacInvite.contact().contacts().get(0).uri().toString())
                .isEqualTo("sip:192.168.0.1:5070;transport=tcp");
        assertThat(h.transports.get(h.sent.indexOf(h.last(PHONE, request("INVITE")))))
                .isEqualTo(io.edgesbc.sip.transport.TransportKind.TCP);
        h.advance(Duration.ofSeconds(5));
        assertThat(h.count(PHONE, request("INVITE"))).as("§17.1.1.2: no Timer A over TCP").isOne();
        h.fromCallee(calleeAnswers(uacInvite, 200, "OK", true), CALLEE_1);
        SipRequest ack = h.last(PHONE, request("ACK")).request();
        assertThat(ack.topVia().transport()).isEqualTo("TCP");
        assertThat(h.transports.get(h.sent.indexOf(h.last(PHONE, request("ACK")))))
                .isEqualTo(io.edgesbc.sip.transport.TransportKind.TCP);
    }

    @Test
    void stoppingHangsUpEveryCallAndEachGetsItsCdr() {
        answeredCall();
        assertThat(h.engine.hangUpAll("EdgeSBC is stopping", false)).isOne();
        assertThat(h.last(CALLER, request("BYE"))).isNotNull();
        assertThat(h.last(PHONE, request("BYE"))).isNotNull();
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(h.events.only().endedBy()).isEqualTo(CallRecord.EndedBy.EDGESBC);
    }

    @Test
    void aForcedStopEndsARingingCallAtOnce() {
        uacInvite = call();
        h.fromCallee(calleeAnswers(uacInvite, 180, "Ringing", false), CALLEE_1);
        assertThat(h.engine.hangUpAll("EdgeSBC stopped", true)).isOne();
        assertThat(h.last(CALLER, response(480, "INVITE"))).isNotNull();
        assertThat(h.last(PHONE, request("CANCEL"))).isNotNull();
        assertThat(h.engine.activeCalls()).as("not waiting for the 487").isZero();
        assertThat(h.events.only().outcome()).isEqualTo(CallRecord.Outcome.CANCELLED);
    }
}
