package io.edgesbc.sip.dialog;

import static io.edgesbc.sip.dialog.Msgs.request;
import static io.edgesbc.sip.dialog.Msgs.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.Uri;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12: creating dialogs on both sides, §12.2.2 accepting requests, §12.2.1.1 building them. */
class DialogTest {

    static final String INVITE = """
            INVITE sips:bob@sbc.example.net SIP/2.0
            Via: SIP/2.0/TLS p2.example.com;branch=z9hG4bKp2
            Via: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bKa
            Record-Route: <sip:p2.example.com;lr>
            Record-Route: <sip:p1.example.com;lr>
            Max-Forwards: 69
            To: <sips:bob@sbc.example.net>
            From: "Alice" <sips:alice@example.com>;tag=a1
            Call-ID: d1@192.0.2.10
            CSeq: 5 INVITE
            Contact: <sips:alice@192.0.2.10>
            Content-Length: 0

            """;

    static final String RINGING = """
            SIP/2.0 180 Ringing
            Via: SIP/2.0/UDP 198.51.100.1;branch=z9hG4bKus
            Record-Route: <sip:p1.example.com;lr>
            Record-Route: <sip:p2.example.com;lr>
            To: <sip:bob@example.net>;tag=b7
            From: <sip:edgesbc@sbc.example.net>;tag=u1
            Call-ID: uac-1@sbc
            CSeq: 100 INVITE
            Contact: <sip:bob@203.0.113.5>
            Content-Length: 0

            """;

    private static SipResponse ourAnswer(SipRequest invite, int code) {
        return UasResponses.to(invite, code, "X", () -> "s1").add(HeaderName.CONTACT, "<sip:sbc@198.51.100.1>").build();
    }

    @Test
    void uasDialogTakesRecordRouteInOrderAndTheRequestsContactAndCSeq() {
        SipRequest invite = request(INVITE);
        Dialog d = Dialog.uas(invite, ourAnswer(invite, 180), true);
        assertThat(d.id()).isEqualTo(new DialogId("d1@192.0.2.10", "s1", "a1"));
        assertThat(d.state()).isEqualTo(DialogState.EARLY);
        assertThat(d.routeSet()).extracting(Object::toString)
                .containsExactly("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>");
        assertThat(d.remoteTarget().toString()).isEqualTo("sips:alice@192.0.2.10");
        assertThat(d.remoteSeq()).isEqualTo(5);
        assertThat(d.localSeq()).isEqualTo(Dialog.EMPTY);
        assertThat(d.secure()).as("TLS and a SIPS Request-URI").isTrue();
        assertThat(Dialog.uas(invite, ourAnswer(invite, 200), false).secure()).isFalse();
        assertThat(Dialog.uas(invite, ourAnswer(invite, 200), true).state()).isEqualTo(DialogState.CONFIRMED);
    }

    @Test
    void onlyProvisionalsWithTagAnd2xxCreateDialogs() {
        SipRequest invite = request(INVITE);
        assertThatThrownBy(() -> Dialog.uas(invite, ourAnswer(invite, 486), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dialog.uas(invite, ourAnswer(invite, 100), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void uacDialogReversesRecordRouteAndTakesTheResponsesContact() {
        Dialog d = Dialog.uac(response(RINGING), Uri.parse("sip:edgesbc@198.51.100.1"), false);
        assertThat(d.id()).isEqualTo(new DialogId("uac-1@sbc", "u1", "b7"));
        assertThat(d.role()).isEqualTo(Dialog.Role.UAC);
        assertThat(d.routeSet()).extracting(Object::toString)
                .containsExactly("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>");
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:bob@203.0.113.5");
        assertThat(d.localSeq()).isEqualTo(100);
        assertThat(d.remoteSeq()).isEqualTo(Dialog.EMPTY);
    }

    @Test
    void twoHundredToInviteConfirmsAnEarlyUacDialogAndRecomputesTheRouteSet() {
        Dialog d = Dialog.uac(response(RINGING), null, false);
        d.onRemoteResponse(response(RINGING.replace("180 Ringing", "200 OK")
                .replace("Record-Route: <sip:p2.example.com;lr>\n", "").replace("<sip:bob@203.0.113.5>", "<sip:bob@203.0.113.6>")));
        assertThat(d.state()).isEqualTo(DialogState.CONFIRMED);
        assertThat(d.routeSet()).extracting(Object::toString).containsExactly("<sip:p1.example.com;lr>");
        assertThat(d.remoteTarget().toString()).isEqualTo("sip:bob@203.0.113.6");
        d.onRemoteResponse(response(RINGING.replace("180 Ringing", "481 Call Does Not Exist").replace("100 INVITE", "101 BYE")));
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
    }

    @Test
    void aFailureEndsAnEarlyDialog() {
        Dialog d = Dialog.uac(response(RINGING), null, false);
        d.onRemoteResponse(response(RINGING.replace("180 Ringing", "486 Busy Here")));
        assertThat(d.state()).isEqualTo(DialogState.TERMINATED);
        SipRequest invite = request(INVITE);
        Dialog uas = Dialog.uas(invite, ourAnswer(invite, 180), false);
        uas.onLocalResponse(ourAnswer(invite, 200));
        assertThat(uas.state()).isEqualTo(DialogState.CONFIRMED);
    }

    private static String inDialog(String method, int seq) {
        return """
                %s sip:sbc@198.51.100.1 SIP/2.0
                Via: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bK%s%d
                Max-Forwards: 70
                To: <sips:bob@sbc.example.net>;tag=s1
                From: "Alice" <sips:alice@example.com>;tag=a1
                Call-ID: d1@192.0.2.10
                CSeq: %d %s
                Contact: <sips:alice@192.0.2.99>
                Content-Length: 0

                """.formatted(method, method, seq, seq, method);
    }

    @Test
    void remoteRequestsWithLowerCSeqGet500AndHigherOnesMoveTheRemoteCSeq() {
        SipRequest invite = request(INVITE);
        Dialog d = Dialog.uas(invite, ourAnswer(invite, 200), true);
        assertThat(d.acceptRemoteRequest(request(inDialog("ACK", 5)))).isEqualTo(UasVerdict.pass());
        assertThat(d.acceptRemoteRequest(request(inDialog("INFO", 7)))).isEqualTo(UasVerdict.pass());
        assertThat(d.remoteSeq()).isEqualTo(7);
        UasVerdict late = d.acceptRemoteRequest(request(inDialog("INFO", 6)));
        assertThat(late).isInstanceOfSatisfying(UasVerdict.Respond.class, r -> {
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.response().toTag()).isEqualTo("s1");
        });
        assertThat(d.remoteSeq()).isEqualTo(7);
        assertThat(d.acceptRemoteRequest(request(inDialog("ACK", 6)))).isInstanceOf(UasVerdict.Drop.class);
    }

    @Test
    void aTargetRefreshReplacesTheRemoteTargetAndOtherRequestsDoNot() {
        SipRequest invite = request(INVITE);
        Dialog d = Dialog.uas(invite, ourAnswer(invite, 200), false);
        d.acceptRemoteRequest(request(inDialog("INFO", 6)));
        assertThat(d.remoteTarget().toString()).isEqualTo("sips:alice@192.0.2.10");
        d.acceptRemoteRequest(request(inDialog("INVITE", 7)));
        assertThat(d.remoteTarget().toString()).isEqualTo("sips:alice@192.0.2.99");
    }

    @Test
    void newRequestWithLooseRoutesUsesTheRemoteTargetAndTheRouteSet() {
        Dialog d = Dialog.uac(response(RINGING), Uri.parse("sip:edgesbc@198.51.100.1"), false);
        SipRequest update = d.newRequest("UPDATE");
        assertThat(update.requestUri().toString()).isEqualTo("sip:bob@203.0.113.5");
        assertThat(update.headers().lines(HeaderName.ROUTE))
                .containsExactly("<sip:p2.example.com;lr>", "<sip:p1.example.com;lr>");
        assertThat(update.cseq().toString()).isEqualTo("101 UPDATE");
        assertThat(update.headers().first(HeaderName.FROM)).isEqualTo("<sip:edgesbc@sbc.example.net>;tag=u1");
        assertThat(update.headers().first(HeaderName.TO)).isEqualTo("<sip:bob@example.net>;tag=b7");
        assertThat(update.callId()).isEqualTo("uac-1@sbc");
        assertThat(update.maxForwards()).isEqualTo(70);
        assertThat(update.headers().first(HeaderName.CONTACT)).as("target refresh").isEqualTo("<sip:edgesbc@198.51.100.1>");
        SipRequest bye = d.newRequest("BYE");
        assertThat(bye.cseq().number()).isEqualTo(102);
        assertThat(bye.headers().contains(HeaderName.CONTACT)).isFalse();
        assertThat(d.ack(100).cseq().toString()).isEqualTo("100 ACK");
        assertThat(d.localSeq()).as("ACK does not count").isEqualTo(102);
    }

    @Test
    void newRequestThroughAStrictRouterPutsTheFirstRouteInTheRequestUri() {
        Dialog d = Dialog.uac(response(RINGING
                .replace("Record-Route: <sip:p1.example.com;lr>\nRecord-Route: <sip:p2.example.com;lr>",
                        "Record-Route: <sip:p1.example.com;lr>, <sip:strict.example.com;method=INVITE>")), null, false);
        SipRequest bye = d.newRequest("BYE");
        assertThat(bye.requestUri().toString()).isEqualTo("sip:strict.example.com");
        assertThat(bye.headers().values(HeaderName.ROUTE))
                .containsExactly("<sip:p1.example.com;lr>", "<sip:bob@203.0.113.5>");
    }

    @Test
    void newRequestWithoutRouteSetGoesToTheRemoteTargetAndStartsTheUasCSeq() {
        SipRequest invite = request(INVITE.replace("Record-Route: <sip:p2.example.com;lr>\nRecord-Route: <sip:p1.example.com;lr>\n", ""));
        Dialog d = Dialog.uas(invite, ourAnswer(invite, 200), false);
        SipRequest bye = d.newRequest("BYE");
        assertThat(bye.requestUri().toString()).isEqualTo("sips:alice@192.0.2.10");
        assertThat(bye.headers().contains(HeaderName.ROUTE)).isFalse();
        assertThat(bye.cseq().number()).isEqualTo(1);
        assertThat(bye.headers().first(HeaderName.FROM)).isEqualTo("<sips:bob@sbc.example.net>;tag=s1");
        assertThat(bye.headers().first(HeaderName.TO)).isEqualTo("\"Alice\" <sips:alice@example.com>;tag=a1");
        // The transaction layer adds the Via (§8.1.1.7); then it is a request a peer can read.
        assertThat(bye.headers().contains(HeaderName.VIA)).isFalse();
        SipRequest sent = bye.toBuilder().addFirst(HeaderName.VIA, "SIP/2.0/TLS 198.51.100.1;branch=z9hG4bKx").build();
        assertThat(Msgs.roundTrip(sent)).isEqualTo(sent);
    }

    @Test
    void ackAndCancelAreNotNewRequestsAndATerminatedDialogSendsNothing() {
        Dialog d = Dialog.uac(response(RINGING), null, false);
        assertThatThrownBy(() -> d.newRequest("CANCEL")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.newRequest("ACK")).isInstanceOf(IllegalArgumentException.class);
        d.terminate();
        assertThatThrownBy(() -> d.newRequest("BYE")).isInstanceOf(IllegalStateException.class);
    }
}
