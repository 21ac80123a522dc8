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

    /** The last response passed to the transport layer, or null. */
    SipResponse lastResponse();
}
