package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;

/** The server side of a transaction: receives the request, sends the TU's responses (RFC 3261 §17.2). */
public sealed interface ServerTransaction extends Transaction
        permits InviteServerTransaction, NonInviteServerTransaction {

    /** Enters the initial state and passes the request to the TU. Callable once. */
    void start();

    /**
     * A request the transport layer matched to this transaction (§17.2.3): a retransmission of
     * the original request, or, for INVITE, the ACK.
     */
    void receiveRequest(SipRequest request);

    /**
     * A response from the TU.
     *
     * @return true when it was passed to the transport layer, false when the current state
     *         discards it (e.g. a second final response, §17.2.2)
     */
    boolean sendResponse(SipResponse response);

    /**
     * The last response passed to the transport layer while the transaction may still need it,
     * or null. An INVITE transaction that has sent its final response and only waits (Accepted
     * after a 2xx, Confirmed after the ACK) keeps just its status and To-tag
     * ({@link #lastResponseStatus}, {@link #lastResponseToTag}): for 64*T1 after a call it would
     * otherwise hold the whole 2xx, SDP and all (RFC 6026 §8.7 has the TU, not the transaction,
     * resend the 2xx).
     */
    SipResponse lastResponse();

    /** The status code of the last response passed to the transport layer; 0 before any. */
    int lastResponseStatus();

    /** The To-tag of the last response passed to the transport layer; null before any or without one. */
    String lastResponseToTag();
}
