package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.Via;
import java.util.Objects;

/**
 * What a message is matched to a transaction by. Three kinds, each a record with value equality:
 * <ul>
 *   <li>{@link Client}: RFC 3261 §17.1.3, a response to a client transaction;</li>
 *   <li>{@link Server}: RFC 3261 §17.2.3, a request whose branch carries the magic cookie;</li>
 *   <li>{@link Rfc2543}: RFC 3261 §17.2.3 (and §9.2 for CANCEL), a request from an RFC 2543
 *       element, whose branch lacks the cookie (or that has no branch).</li>
 * </ul>
 */
public sealed interface TransactionKey {

    /**
     * RFC 3261 §17.1.3: the branch of the top Via and the CSeq method. The method matters because
     * a CANCEL carries the branch of the INVITE it cancels.
     */
    record Client(String branch, String method) implements TransactionKey {
        public Client {
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(method, "method");
        }
    }

    /**
     * RFC 3261 §17.2.3: branch and sent-by of the top Via, and the method, where an ACK counts as
     * INVITE (it belongs to the INVITE server transaction). A CANCEL has its own key; its INVITE
     * is found with {@link #inviteKeyForCancel(SipRequest)}.
     */
    record Server(String branch, String sentBy, String method) implements TransactionKey {
        public Server {
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(sentBy, "sentBy");
            Objects.requireNonNull(method, "method");
        }
    }

    /**
     * RFC 3261 §17.2.3 for RFC 2543 peers: Request-URI, To tag, From tag, Call-ID, CSeq and the
     * whole top Via. {@code method} is the CSeq method, INVITE for an ACK.
     *
     * <p>DEVIATION: the Request-URI is compared as text, not by the §19.1.4 URI equality rules;
     * RFC 2543 peers retransmit byte-identical requests, and a hash key needs one canonical form.
     *
     * @param toTag the To tag, null when absent
     */
    record Rfc2543(String requestUri, String toTag, String fromTag, String callId, long cseqNumber,
                   String method, Via topVia) implements TransactionKey {
        public Rfc2543 {
            Objects.requireNonNull(requestUri, "requestUri");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(topVia, "topVia");
        }

        /** The same key with another To tag (an ACK carries the tag of the response, §17.2.3). */
        public Rfc2543 withToTag(String tag) {
            return new Rfc2543(requestUri, tag, fromTag, callId, cseqNumber, method, topVia);
        }
    }

    /** The key of the client transaction that sent {@code request} (RFC 3261 §17.1.3). */
    static Client forClient(SipRequest request) {
        return new Client(branchOf(request), request.method());
    }

    /** The key of the client transaction {@code response} belongs to (RFC 3261 §17.1.3). */
    static Client forResponse(SipResponse response) {
        if (response.cseq() == null) {
            throw new IllegalArgumentException("response without CSeq");
        }
        return new Client(branchOf(response), response.cseq().method());
    }

    /**
     * The key of the server transaction {@code request} belongs to (RFC 3261 §17.2.3): a
     * {@link Server} key when the top Via branch starts with the magic cookie, else an
     * {@link Rfc2543} key. An ACK gets the key of its INVITE (for RFC 2543, with the ACK's To tag,
     * which is the tag of the response; see {@link TransactionTable#matchRequest(SipRequest)}).
     */
    static TransactionKey forServer(SipRequest request) {
        Via via = topViaOf(request);
        String method = "ACK".equals(request.method()) ? "INVITE" : request.method();
        if (via.hasMagicCookie()) {
            return new Server(via.branch(), sentBy(via), method);
        }
        if (request.cseq() == null || request.callId() == null) {
            throw new IllegalArgumentException("request without CSeq or Call-ID");
        }
        return new Rfc2543(request.requestUri().toString(), request.toTag(), request.fromTag(), request.callId(),
                request.cseq().number(), method, via);
    }

    /**
     * The key of the INVITE server transaction a CANCEL refers to: same branch and sent-by, method
     * INVITE (RFC 3261 §9.2, §17.2.3); for RFC 2543 peers the §9.2 fields with method INVITE.
     */
    static TransactionKey inviteKeyForCancel(SipRequest cancel) {
        if (!"CANCEL".equals(cancel.method())) {
            throw new IllegalArgumentException("not a CANCEL: " + cancel.method());
        }
        TransactionKey own = forServer(cancel);
        if (own instanceof Server s) {
            return new Server(s.branch(), s.sentBy(), "INVITE");
        }
        Rfc2543 r = (Rfc2543) own;
        return new Rfc2543(r.requestUri(), r.toTag(), r.fromTag(), r.callId(), r.cseqNumber(), "INVITE", r.topVia());
    }

    /** sent-by = host [ ":" port ] of a Via (RFC 3261 §20.42), host lower-cased. */
    static String sentBy(Via via) {
        return via.port() < 0 ? via.host() : via.host() + ':' + via.port();
    }

    private static Via topViaOf(SipMessage message) {
        Via via = message.topVia();
        if (via == null) {
            throw new IllegalArgumentException("message without Via");
        }
        return via;
    }

    private static String branchOf(SipMessage message) {
        String branch = topViaOf(message).branch();
        if (branch == null) {
            throw new IllegalArgumentException("top Via without branch");
        }
        return branch;
    }
}
