package io.edgesbc.b2bua;

import static io.edgesbc.b2bua.CallHarness.CALLEE_1;
import static io.edgesbc.b2bua.CallHarness.CALLEE_2;
import static io.edgesbc.b2bua.CallHarness.CALLER;
import static io.edgesbc.b2bua.CallHarness.request;
import static io.edgesbc.b2bua.CallHarness.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.LoadResult;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.policy.admission.Reason;
import io.edgesbc.policy.admission.Scope;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipUri;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls routed by a {@link PolicyRouter} through one shard's B2BUA in virtual time: the request
 * view the rules see, rejections, routes with failover, number normalisation and header rules on
 * the UAC leg's INVITE, and the admission permit given back exactly once however the call ends.
 */
class PolicyRoutedCallTest {

    private static final String POLICY = """
            trunks:
              - name: carrier
                realm: outside
                from: [203.0.113.0/24]
              - name: pbx
                realm: inside
                targets: ["sip:192.168.0.50:5090", {uri: "sip:192.168.0.51:5090", priority: 2}]
                limits: {concurrent_calls: 2}
            rules:
              - name: scanner
                match:
                  headers: [{name: User-Agent, regex: "(?i).*sipvicious.*"}]
                reject: {code: 403, reason: Go Away}
              - name: busy-hour
                match: {trunk: carrier, ruri_user: {prefix: "+4999"}}
                reject: {code: 503, reason: Busy Hour, retry_after: 120}
              - name: by-from-domain
                match: {from_domain: other.example, to_user: {exact: "+4930999"}, method: INVITE}
                reject: {code: 488, reason: Wrong Domain}
              - name: inbound
                match: {trunk: carrier, realm: outside, method: INVITE, ruri_user: {prefix: "+4930"}}
                normalize:
                  ruri_user: [{strip_prefix: "+49"}, {add_prefix: "0"}]
                  from_user: [{add_prefix: "00"}]
                  to_user: [{strip_prefix: "+4930"}]
                route: {trunk: pbx, balance: ordered, failover_codes: [408, 486, 5xx]}
                headers:
                  remove: [Subject]
                  replace: {Supported: timer, X-Missing: nothing}
                  add: {X-Edge-Route: inbound}
            no_match: {code: 404, reason: Nobody Here}
            """;

    @TempDir
    Path dir;

    private PolicyRouter router(String yaml) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, yaml);
        LoadResult result = PolicyLoader.load(List.of(file));
        Policy policy = result.policyOrThrow();
        return new PolicyRouter(policy);
    }

    private static SipRequest invite(CallHarness h, String user, String fromHost, String extraHeader) {
        return (SipRequest) h.parse("""
                INVITE sip:%s@10.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP 203.0.113.7:5099;branch=z9hG4bKpolicy1;rport
                Max-Forwards: 70
                To: Bob <sip:%s@10.0.0.1:5060>
                From: Alice <sip:alice@%s>;tag=caller-tag
                Call-ID: policy-call-1@203.0.113.7
                CSeq: 1 INVITE
                Contact: <sip:alice@203.0.113.7:5099>
                Subject: lunch
                Supported: 100rel, timer, replaces
                %s
                Content-Length: 0

                """.formatted(user, user, fromHost, extraHeader));
    }

    @Test
    void normalisationAndHeaderRulesShapeTheUacInvite() throws IOException {
        PolicyRouter router = router(POLICY);
        CallHarness h = new CallHarness(router);
        h.fromCaller(invite(h, "+4930123456", "atlanta.example", "X-Keep: yes"));

        SipRequest out = h.last(CALLEE_1, request("INVITE")).request();
        assertThat(((SipUri) out.requestUri()).user()).as("R-URI user: +49 stripped, 0 added").isEqualTo("030123456");
        assertThat(out.requestUri().toString()).isEqualTo("sip:030123456@192.168.0.50:5090");
        assertThat(((SipUri) out.from().uri()).user()).isEqualTo("00alice");
        assertThat(out.from().displayName()).isEqualTo("Alice");
        assertThat(out.fromTag()).as("our From-tag survives the rewrite").isNotNull().isNotEqualTo("caller-tag");
        assertThat(((SipUri) out.to().uri()).user()).isEqualTo("123456");
        assertThat(out.headers().contains(HeaderName.SUBJECT)).as("removed").isFalse();
        assertThat(out.headers().first(HeaderName.SUPPORTED)).as("replaced").isEqualTo("timer");
        assertThat(out.headers().first(HeaderName.of("X-Missing"))).as("replace adds nothing").isNull();
        assertThat(out.headers().first(HeaderName.of("X-Edge-Route"))).isEqualTo("inbound");
        assertThat(out.headers().first(HeaderName.of("X-Keep"))).as("passes by default").isEqualTo("yes");
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).isOne();
    }

    @Test
    void failoverGoesToTheNextTrunkTargetAndTheRewritesApplyAgain() throws IOException {
        PolicyRouter router = router(POLICY);
        CallHarness h = new CallHarness(router);
        h.fromCaller(invite(h, "+4930123456", "atlanta.example", ""));
        SipRequest first = h.last(CALLEE_1, request("INVITE")).request();
        h.fromCallee(UasResponses.to(first, 486, "Busy Here", () -> "t1").build(), CALLEE_1);

        SipRequest second = h.last(CALLEE_2, request("INVITE")).request();
        assertThat(second.requestUri().toString()).isEqualTo("sip:030123456@192.168.0.51:5090");
        assertThat(second.headers().first(HeaderName.of("X-Edge-Route"))).isEqualTo("inbound");
        h.fromCallee(UasResponses.to(second, 486, "Busy Here", () -> "t2").build(), CALLEE_2);

        assertThat(h.last(CALLER, response(486, "INVITE"))).isNotNull();
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).as("permit released when the callee refused").isZero();
    }

    @Test
    void rejectRulesAnswerOnTheUasLegWithTheirCodeAndRetryAfter() throws IOException {
        PolicyRouter router = router(POLICY);
        CallHarness h = new CallHarness(router);

        h.fromCaller(invite(h, "+4999123", "atlanta.example", ""));
        SipResponse busy = h.last(CALLER, response(503, "INVITE")).response();
        assertThat(busy.reasonPhrase()).isEqualTo("Busy Hour");
        assertThat(busy.headers().first(HeaderName.RETRY_AFTER)).isEqualTo("120");

        SipRequest scanner = (SipRequest) h.parse(SipWriterText.of(invite(h, "+4930123456", "atlanta.example",
                "User-Agent: SIPVicious 0.3")).replace("policy-call-1", "policy-call-2")
                .replace("z9hG4bKpolicy1", "z9hG4bKpolicy2"));
        h.fromCaller(scanner);
        assertThat(h.last(CALLER, response(403, "INVITE")).response().reasonPhrase()).isEqualTo("Go Away");
        assertThat(h.count(CALLEE_1, request("INVITE"))).isZero();
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).isZero();
    }

    @Test
    void theRequestViewCarriesFromDomainToUserAndMethod() throws IOException {
        PolicyRouter router = router(POLICY);
        CallHarness h = new CallHarness(router);
        h.fromCaller(invite(h, "+4930999", "other.example", ""));
        assertThat(h.last(CALLER, response(488, "INVITE")).response().reasonPhrase()).isEqualTo("Wrong Domain");
    }

    @Test
    void noMatchingRuleGivesTheNoMatchAnswer() throws IOException {
        PolicyRouter router = router(POLICY);
        RouteDecision decision = router.decide("inside", new InetSocketAddress("192.168.7.7", 5060),
                invite(new CallHarness(router), "+4930123456", "atlanta.example", ""));
        assertThat(decision).isInstanceOfSatisfying(RouteDecision.Reject.class, r -> {
            assertThat(r.code()).isEqualTo(404);
            assertThat(r.reason()).isEqualTo("Nobody Here");
            assertThat(r.headers()).isEmpty();
            assertThat(r.labels().targetTrunk()).isNull();
        });
    }

    @Test
    void theTrunkLimitRefusesTheThirdCallWith503AndEveryEndGivesItsSlotBack() throws IOException {
        PolicyRouter router = router(POLICY);
        CallHarness h = new CallHarness(router);
        SipRequest a = invite(h, "+4930111", "atlanta.example", "");
        h.fromCaller(a);
        SipRequest b = withCallId(h, invite(h, "+4930222", "atlanta.example", ""), "b");
        h.fromCaller(b);
        SipRequest c = withCallId(h, invite(h, "+4930333", "atlanta.example", ""), "c");
        h.fromCaller(c);

        SipResponse refused = h.last(CALLER, response(503, "INVITE")).response();
        assertThat(refused.callId()).isEqualTo(c.callId());
        assertThat(refused.headers().first(HeaderName.RETRY_AFTER)).as("the default answer of a limit").isEqualTo("5");
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).isEqualTo(2);
        assertThat(router.rejections(Reason.CONCURRENT_CALLS, Scope.TRUNK)).isOne();

        // Call a: the callee never answers (Timer B, then the second target too).
        h.advance(Duration.ofMinutes(2));
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).as("Timer B on every target released both").isZero();
    }

    @Test
    void cancelledAnsweredAndByeEndedCallsReleaseOnce() throws IOException {
        PolicyRouter router = router(POLICY);
        CallHarness h = new CallHarness(router);
        // Answered, then the callee hangs up.
        h.fromCaller(invite(h, "+4930111", "atlanta.example", ""));
        SipRequest out = h.last(CALLEE_1, request("INVITE")).request();
        SipResponse ok = UasResponses.to(out, 200, "OK", () -> "callee-1")
                .add(HeaderName.CONTACT, "<sip:bob@192.168.0.50:5090>").build();
        h.fromCallee(ok, CALLEE_1);
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).isOne();
        SipRequest bye = SipRequest.builder("BYE", SipUri.parse("sip:10.0.0.1:5070"))
                .add(HeaderName.VIA, "SIP/2.0/UDP 192.168.0.50:5090;branch=z9hG4bKbye1")
                .add(HeaderName.MAX_FORWARDS, "70")
                .add(HeaderName.FROM, out.headers().first(HeaderName.TO) + ";tag=callee-1")
                .add(HeaderName.TO, out.headers().first(HeaderName.FROM))
                .add(HeaderName.CALL_ID, out.callId())
                .add(HeaderName.CSEQ, "1 BYE").build();
        h.fromCallee(bye, CALLEE_1);
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).isZero();

        // Cancelled while ringing.
        SipRequest second = withCallId(h, invite(h, "+4930222", "atlanta.example", ""), "x");
        h.fromCaller(second);
        SipRequest out2 = h.last(CALLEE_1, request("INVITE")).request();
        h.fromCallee(UasResponses.to(out2, 180, "Ringing", () -> "callee-2").build(), CALLEE_1);
        h.fromCaller((SipRequest) h.parse("""
                CANCEL %s SIP/2.0
                Via: %s
                Max-Forwards: 70
                To: %s
                From: %s
                Call-ID: %s
                CSeq: 1 CANCEL
                Content-Length: 0

                """.formatted(second.requestUri(), second.headers().first(HeaderName.VIA),
                second.headers().first(HeaderName.TO), second.headers().first(HeaderName.FROM), second.callId())));
        SipRequest cancel = h.last(CALLEE_1, request("CANCEL")).request();
        h.fromCallee(UasResponses.to(cancel, 200, "OK", () -> "callee-2").build(), CALLEE_1);
        h.fromCallee(UasResponses.to(out2, 487, "Request Terminated", () -> "callee-2").build(), CALLEE_1);
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(router.callsInUse(Scope.TRUNK, "pbx")).isZero();
    }

    private static SipRequest withCallId(CallHarness h, SipRequest invite, String suffix) {
        return (SipRequest) h.parse(SipWriterText.of(invite).replace("policy-call-1", "policy-call-" + suffix)
                .replace("z9hG4bKpolicy1", "z9hG4bKpolicy" + suffix));
    }

    /** The request as text, to derive variants. */
    private static final class SipWriterText {
        static String of(SipRequest r) {
            return new String(io.edgesbc.sip.parse.SipWriter.toBytes(r), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void theRoutesHooksCarryTheMediaAndCodecDecisionAndNameTheTrunksAndTheRule() throws IOException {
        PolicyRouter router = router("""
                trunks:
                  - name: carrier
                    realm: outside
                    from: [203.0.113.0/24]
                  - name: carrier-edge
                    realm: outside
                    from: [203.0.113.7]
                  - name: pbx
                    realm: inside
                    targets: ["sip:192.168.0.50:5090"]
                    media: {latching: strict, timeout: 45s}
                    codecs: {allow: [pcma, G722, telephone-event], order: [g722, PCMA]}
                rules:
                  - name: fax
                    match: {ruri_user: {prefix: "+4930555"}}
                    route: {targets: ["sip:192.168.0.60:5090"]}
                    media: {mode: bypass}
                  - name: to-pbx
                    match: {ruri_user: {prefix: "+4930"}}
                    route: {trunk: pbx}
                """);
        CallHarness h = new CallHarness(router);

        RouteDecision.Route toPbx = (RouteDecision.Route) router.decide("outside", CALLER,
                invite(h, "+4930123456", "atlanta.example", ""));
        assertThat(toPbx.hooks().media()).isEqualTo(new MediaPolicy(false, "strict", Duration.ofSeconds(45),
                java.util.Set.of("PCMA", "G722", "TELEPHONE-EVENT"), java.util.Set.of(), List.of("G722", "PCMA")));
        assertThat(toPbx.hooks().labels()).as("the /32 of carrier-edge beats the /24 of carrier")
                .isEqualTo(new CallLabels("carrier-edge", "pbx", "to-pbx"));
        toPbx.hooks().onCallEnded();

        RouteDecision.Route fromOther = (RouteDecision.Route) router.decide("outside",
                new InetSocketAddress("203.0.113.99", 5060), invite(h, "+4930123456", "atlanta.example", ""));
        assertThat(fromOther.hooks().labels()).isEqualTo(new CallLabels("carrier", "pbx", "to-pbx"));
        fromOther.hooks().onCallEnded();

        RouteDecision.Route fax = (RouteDecision.Route) router.decide("outside",
                new InetSocketAddress("198.51.100.1", 5060), invite(h, "+4930555123", "atlanta.example", ""));
        assertThat(fax.hooks().media()).as("bypass; latching and timeout left to the relay, every codec")
                .isEqualTo(new MediaPolicy(true, null, null, java.util.Set.of(), java.util.Set.of(), List.of()));
        assertThat(fax.hooks().labels()).as("unknown source, bare targets")
                .isEqualTo(new CallLabels(null, null, "fax"));
        fax.hooks().onCallEnded();
    }
}
