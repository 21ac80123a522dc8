package io.edgesbc.sip.transaction;

import static io.edgesbc.sip.transaction.Fixtures.request;
import static io.edgesbc.sip.transaction.Fixtures.responseTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.transaction.Fixtures.RecordingClientTu;
import io.edgesbc.sip.transaction.Fixtures.RecordingServerTu;
import io.edgesbc.sip.transaction.Fixtures.RecordingSink;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class TransactionTableTest {

    private final VirtualTimeScheduler clock = Fixtures.scheduler();
    private final RecordingSink sink = new RecordingSink(clock);
    private final TransactionTable table = new TransactionTable();
    private final SipRequest invite = Fixtures.invite();

    private static final String LEGACY_INVITE = """
            INVITE sip:bob@biloxi.example.com SIP/2.0
            Via: SIP/2.0/UDP old.example.com:5060
            Max-Forwards: 70
            To: <sip:bob@biloxi.example.com>
            From: <sip:carol@old.example.com>;tag=c1
            Call-ID: legacy-1
            CSeq: 9 INVITE
            Content-Length: 0

            """;

    private InviteServerTransaction serverInvite(SipRequest request) {
        InviteServerTransaction tx = new InviteServerTransaction(request, false, TimerConfig.DEFAULT, clock, sink,
                new RecordingServerTu());
        table.add(tx);
        tx.start();
        return tx;
    }

    private static SipRequest withMethod(SipRequest r, String method) {
        return r.toBuilder().method(method).set(io.edgesbc.sip.message.HeaderName.CSEQ,
                r.cseq().number() + " " + method).build();
    }

    @Test
    void serverKeyIsBranchSentByAndMethod() {
        assertThat(TransactionKey.forServer(invite)).isEqualTo(new TransactionKey.Server(Fixtures.BRANCH,
                "pc33.atlanta.example.com:5060", "INVITE"));
        // The same branch from another sent-by is another transaction (§17.2.3).
        SipRequest other = request("""
                INVITE sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP pc99.atlanta.example.com:5060;branch=z9hG4bKnashds8
                Max-Forwards: 70
                To: <sip:bob@biloxi.example.com>
                From: <sip:alice@atlanta.example.com>;tag=1928301774
                Call-ID: a84b4c76e66710
                CSeq: 314159 INVITE
                Content-Length: 0

                """);
        assertThat(TransactionKey.forServer(other)).isNotEqualTo(TransactionKey.forServer(invite));
    }

    @Test
    void retransmissionAndAckMatchTheInviteServerTransaction() {
        InviteServerTransaction tx = serverInvite(invite);
        assertThat(table.matchRequest(invite)).containsSame(tx);
        SipRequest ack = Messages.ackFor(invite, responseTo(invite, 486, "Busy Here", "bobtag"));
        assertThat(TransactionKey.forServer(ack)).isEqualTo(tx.key());
        assertThat(table.matchRequest(ack)).containsSame(tx);
    }

    @Test
    void cancelHasItsOwnKeyButFindsItsInvite() {
        InviteServerTransaction tx = serverInvite(invite);
        SipRequest cancel = withMethod(invite, "CANCEL");
        assertThat(TransactionKey.forServer(cancel)).isNotEqualTo(tx.key());
        assertThat(table.matchRequest(cancel)).isEmpty();
        assertThat(table.matchCancelTarget(cancel)).containsSame(tx);
        NonInviteServerTransaction cancelTx = new NonInviteServerTransaction(cancel, false, TimerConfig.DEFAULT,
                clock, sink, new RecordingServerTu());
        table.add(cancelTx);
        assertThat(table.matchRequest(cancel)).containsSame(cancelTx);
        assertThat(table.serverCount()).isEqualTo(2);
    }

    @Test
    void rfc2543RequestsAreMatchedByTheirHeaders() {
        SipRequest legacy = request(LEGACY_INVITE);
        assertThat(TransactionKey.forServer(legacy)).isInstanceOf(TransactionKey.Rfc2543.class);
        InviteServerTransaction tx = serverInvite(legacy);
        assertThat(table.matchRequest(request(LEGACY_INVITE))).containsSame(tx);
        // Another CSeq is another transaction.
        assertThat(table.matchRequest(request(LEGACY_INVITE.replace("CSeq: 9", "CSeq: 10")))).isEmpty();
        assertThat(table.matchRequest(request(LEGACY_INVITE.replace("tag=c1", "tag=c2")))).isEmpty();
    }

    @Test
    void rfc2543AckMatchesWhenItsToTagIsTheOneOfOurResponse() {
        SipRequest legacy = request(LEGACY_INVITE);
        InviteServerTransaction tx = serverInvite(legacy);
        tx.sendResponse(responseTo(legacy, 486, "Busy Here", "srv1"));
        SipRequest ack = request(LEGACY_INVITE.replace("INVITE sip", "ACK sip").replace("9 INVITE", "9 ACK")
                .replace("To: <sip:bob@biloxi.example.com>", "To: <sip:bob@biloxi.example.com>;tag=srv1"));
        assertThat(table.matchRequest(ack)).containsSame(tx);
        SipRequest wrongTag = request(LEGACY_INVITE.replace("INVITE sip", "ACK sip").replace("9 INVITE", "9 ACK")
                .replace("To: <sip:bob@biloxi.example.com>", "To: <sip:bob@biloxi.example.com>;tag=other"));
        assertThat(table.matchRequest(wrongTag)).isEmpty();
    }

    @Test
    void rfc2543CancelFindsItsInvite() {
        SipRequest legacy = request(LEGACY_INVITE);
        InviteServerTransaction tx = serverInvite(legacy);
        SipRequest cancel = request(LEGACY_INVITE.replace("INVITE sip", "CANCEL sip").replace("9 INVITE", "9 CANCEL"));
        assertThat(table.matchRequest(cancel)).isEmpty();
        assertThat(table.matchCancelTarget(cancel)).containsSame(tx);
    }

    @Test
    void responsesMatchClientTransactionsByBranchAndCSeqMethod() {
        InviteClientTransaction tx = new InviteClientTransaction(invite, false, TimerConfig.DEFAULT, clock, sink,
                new RecordingClientTu());
        table.add(tx);
        tx.start();
        assertThat(table.matchResponse(responseTo(invite, 180, "Ringing", "b"))).containsSame(tx);
        // The response to a CANCEL carries the INVITE's branch but is not the INVITE's (§17.1.3).
        SipRequest cancel = withMethod(invite, "CANCEL");
        assertThat(table.matchResponse(responseTo(cancel, 200, "OK", "b"))).isEmpty();
        SipRequest otherBranch = request("""
                OPTIONS sip:bob@biloxi.example.com SIP/2.0
                Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKsomethingelse
                Max-Forwards: 70
                To: <sip:bob@biloxi.example.com>
                From: <sip:alice@atlanta.example.com>;tag=1
                Call-ID: x
                CSeq: 1 INVITE
                Content-Length: 0

                """);
        assertThat(table.matchResponse(responseTo(otherBranch, 200, "OK", "b"))).isEmpty();
    }

    @Test
    void terminatedTransactionsLeaveTheTable() {
        InviteClientTransaction client = new InviteClientTransaction(invite, true, TimerConfig.DEFAULT, clock, sink,
                new RecordingClientTu());
        table.add(client);
        client.start();
        InviteServerTransaction server = serverInvite(invite);
        assertThat(table.clientCount()).isEqualTo(1);
        assertThat(table.serverCount()).isEqualTo(1);
        client.receiveResponse(responseTo(invite, 486, "Busy Here", "b")); // reliable: terminates at once
        assertThat(table.clientCount()).isZero();
        server.sendResponse(responseTo(invite, 200, "OK", "b"));
        clock.advanceTimeBy(Duration.ofSeconds(32)); // Timer L
        assertThat(table.serverCount()).isZero();
        assertThat(table.matchRequest(invite)).isEmpty();
    }

    @Test
    void aLiveKeyCannotBeAddedTwice() {
        serverInvite(invite);
        InviteServerTransaction again = new InviteServerTransaction(invite, false, TimerConfig.DEFAULT, clock, sink,
                new RecordingServerTu());
        assertThatThrownBy(() -> table.add(again)).isInstanceOf(IllegalStateException.class);
    }
}
