package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipResponse;

/** The client side of a transaction: sends the request, receives responses (RFC 3261 §17.1). */
public sealed interface ClientTransaction extends Transaction
        permits InviteClientTransaction, NonInviteClientTransaction {

    /** Sends the request and enters the initial state. Callable once. */
    void start();

    /** A response the transport layer matched to this transaction (§17.1.3). */
    void receiveResponse(SipResponse response);
}
