package io.edgesbc.sip.dialog;

import static io.edgesbc.sip.dialog.Msgs.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import org.junit.jupiter.api.Test;

/** RFC 3261 §12.2.2 dispatch by the dialog table. */
class DialogTableTest {

    private final DialogTable table = new DialogTable();

    private Dialog confirmedUasDialog() {
        SipRequest invite = request(DialogTest.INVITE);
        return table.add(Dialog.uas(invite, UasResponses.to(invite, 200, "OK", () -> "s1")
                .add(HeaderName.CONTACT, "<sip:sbc@198.51.100.1>").build(), false));
    }

    private static SipRequest bye(String toTag, int seq) {
        return request("""
                BYE sip:sbc@198.51.100.1 SIP/2.0
                Via: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bKbye%d
                Max-Forwards: 70
                To: <sips:bob@sbc.example.net>%s
                From: "Alice" <sips:alice@example.com>;tag=a1
                Call-ID: d1@192.0.2.10
                CSeq: %d BYE
                Content-Length: 0

                """.formatted(seq, toTag, seq));
    }

    @Test
    void noToTagMeansOutsideADialog() {
        confirmedUasDialog();
        assertThat(table.receive(bye("", 6))).isInstanceOf(DialogTable.Match.OutsideDialog.class);
    }

    @Test
    void aMatchingRequestIsAcceptedByItsDialog() {
        Dialog d = confirmedUasDialog();
        assertThat(table.receive(bye(";tag=s1", 6))).isEqualTo(new DialogTable.Match.InDialog(d));
        assertThat(d.remoteSeq()).isEqualTo(6);
    }

    @Test
    void anUnknownToTagGets481AndAnAckIsDropped() {
        confirmedUasDialog();
        DialogTable.Match m = table.receive(bye(";tag=other", 6));
        assertThat(m).isInstanceOfSatisfying(DialogTable.Match.Rejected.class, r -> {
            UasVerdict.Respond respond = (UasVerdict.Respond) r.verdict();
            assertThat(respond.statusCode()).isEqualTo(481);
            assertThat(respond.response().toTag()).isEqualTo("other");
        });
        SipRequest ack = request(SipRequestText.ack());
        assertThat(((DialogTable.Match.Rejected) table.receive(ack)).verdict()).isInstanceOf(UasVerdict.Drop.class);
    }

    @Test
    void aTerminatedDialogMatchesNothingAndAnOutOfOrderCSeqIs500() {
        Dialog d = confirmedUasDialog();
        DialogTable.Match late = table.receive(bye(";tag=s1", 4));
        assertThat(late).isInstanceOfSatisfying(DialogTable.Match.Rejected.class,
                r -> assertThat(((UasVerdict.Respond) r.verdict()).statusCode()).isEqualTo(500));
        d.terminate();
        DialogTable.Match m = table.receive(bye(";tag=s1", 7));
        assertThat(m).isInstanceOfSatisfying(DialogTable.Match.Rejected.class,
                r -> assertThat(((UasVerdict.Respond) r.verdict()).statusCode()).isEqualTo(481));
        assertThat(table.remove(d.id())).contains(d);
        assertThat(table.size()).isZero();
    }

    @Test
    void aDialogIdIsAddedOnce() {
        Dialog d = confirmedUasDialog();
        assertThatThrownBy(() -> table.add(d)).isInstanceOf(IllegalStateException.class);
        assertThat(table.find(new DialogId("d1@192.0.2.10", "s1", "a1"))).contains(d);
    }

    @Test
    void aUacDialogIsFoundFromAResponse() {
        Dialog d = table.add(Dialog.uac(Msgs.response(DialogTest.RINGING), null, false));
        assertThat(table.findForResponse(Msgs.response(DialogTest.RINGING.replace("180 Ringing", "200 OK")))).contains(d);
        assertThat(table.findForResponse(Msgs.response(DialogTest.RINGING.replace("tag=b7", "tag=fork2")))).isEmpty();
    }

    /** An ACK for a dialog that does not exist. */
    private static final class SipRequestText {
        static String ack() {
            return """
                    ACK sip:sbc@198.51.100.1 SIP/2.0
                    Via: SIP/2.0/TLS 192.0.2.10;branch=z9hG4bKack
                    Max-Forwards: 70
                    To: <sips:bob@sbc.example.net>;tag=nope
                    From: "Alice" <sips:alice@example.com>;tag=a1
                    Call-ID: d1@192.0.2.10
                    CSeq: 5 ACK
                    Content-Length: 0

                    """;
        }
    }
}
