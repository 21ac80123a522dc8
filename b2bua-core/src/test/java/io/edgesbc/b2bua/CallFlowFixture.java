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

/**
 * What the call flow tests share: one shard's B2BUA in virtual time ({@link CallHarness}), a
 * caller's INVITE full of identifiers of its side, the callee's answers full of its own, and the
 * checks that neither side sees the other's.
 */
abstract class CallFlowFixture {

    static final String SDP = "v=0\r\no=alice 1 1 IN IP4 203.0.113.7\r\ns=-\r\nc=IN IP4 203.0.113.7\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";

    /** What the caller's side knows and the callee's side must never see (and the other way round). */
    static final List<String> CALLER_SECRETS = List.of("a84b4c76e66710@pc33", "1928301774",
            "z9hG4bKnashds8", "z9hG4bK77ef4c2312983", "pc33.atlanta.example.com", "proxy.atlanta.example.com",
            "p1.example.com", "203.0.113.7:5099", "atlanta-only-header-host");
    static final String CALLEE_TAG = "callee-tag-314";
    static final List<String> CALLEE_SECRETS = List.of(CALLEE_TAG, "192.168.0.50:5090", "192.168.0.51",
            "z9hG4bKcalleeproxy", "rr.inside.example", "bob-phone.inside.example");

    CallHarness h = CallHarness.routingTo(CALLEE_1, CALLEE_2);

    SipRequest callerInvite(int maxForwards) {
        return (SipRequest) h.parse("""
                INVITE sip:+4930123456@10.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP pc33.atlanta.example.com:5099;branch=z9hG4bKnashds8;rport=5099;received=203.0.113.7
                Via: SIP/2.0/UDP proxy.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1
                Max-Forwards: %d
                Record-Route: <sip:p1.example.com;lr>
                To: Bob <sip:+4930123456@10.0.0.1:5060>
                From: Alice <sip:alice@pc33.atlanta.example.com:5099>;tag=1928301774
                Call-ID: a84b4c76e66710@pc33.atlanta.example.com
                CSeq: 314159 INVITE
                Contact: <sip:alice@203.0.113.7:5099>
                Path: <sip:atlanta-only-header-host;lr>
                Subject: lunch
                Supported: 100rel, timer
                Content-Type: application/sdp
                Content-Length: %d

                %s""".formatted(maxForwards, SDP.length(), SDP));
    }

    SipRequest invite;

    /** The caller calls; returns the INVITE the callee got. */
    SipRequest call() {
        invite = callerInvite(70);
        h.fromCaller(invite);
        return h.last(CALLEE_1, request("INVITE")).request();
    }

    /** The callee's response to a request EdgeSBC sent it (§8.2.6), with tag, Contact, Record-Route, Via of a proxy. */
    SipResponse calleeAnswers(SipRequest req, int code, String reason, boolean withSdp) {
        SipResponse.Builder b = UasResponses.to(req, code, reason, () -> CALLEE_TAG);
        if (code > 100 && code < 300) {
            b.add(HeaderName.CONTACT, "<sip:bob@bob-phone.inside.example:5090>")
                    .add(HeaderName.RECORD_ROUTE, "<sip:rr.inside.example;lr>");
        }
        if (withSdp) {
            b.body("application/sdp", SDP.replace("203.0.113.7", "192.168.0.50"));
        }
        return b.build();
    }

    void assertNoLeaks(InetSocketAddress side, List<String> secrets) {
        for (CallHarness.Sent s : h.sentTo(side)) {
            for (String secret : secrets) {
                assertThat(s.wire()).as("topology hiding: %s must not reach %s", secret, side)
                        .doesNotContain(secret);
            }
        }
    }

    void assertCallGoneAndTransactionsEnd() {
        assertThat(h.engine.activeCalls()).isZero();
        assertThat(h.engine.tableEntries()).isZero();
        h.advance(Duration.ofMinutes(2));
        assertThat(h.table.clientCount()).as("client transactions").isZero();
        assertThat(h.table.serverCount()).as("server transactions").isZero();
    }

    SipRequest callerRequestInDialog(String method, SipResponse ourFinal, int cseq) {
        return (SipRequest) h.parse("""
                %s sip:alice-said@10.0.0.1:5060 SIP/2.0
                Via: SIP/2.0/UDP pc33.atlanta.example.com:5099;branch=z9hG4bKcaller%s;rport=5099;received=203.0.113.7
                Max-Forwards: 70
                To: %s
                From: Alice <sip:alice@pc33.atlanta.example.com:5099>;tag=1928301774
                Call-ID: a84b4c76e66710@pc33.atlanta.example.com
                CSeq: %d %s
                Content-Length: 0

                """.formatted(method, method, ourFinal.headers().first(HeaderName.TO), cseq, method));
    }

    SipRequest calleeBye(SipRequest uacInvite) {
        return (SipRequest) h.parse("""
                BYE sip:whatever@192.168.0.1:5070 SIP/2.0
                Via: SIP/2.0/UDP 192.168.0.50:5090;branch=z9hG4bKcalleebye1
                Max-Forwards: 70
                From: %s;tag=%s
                To: %s
                Call-ID: %s
                CSeq: 1 BYE
                Content-Length: 0

                """.formatted(uacInvite.headers().first(HeaderName.TO), CALLEE_TAG,
                uacInvite.headers().first(HeaderName.FROM), uacInvite.callId()));
    }

}
