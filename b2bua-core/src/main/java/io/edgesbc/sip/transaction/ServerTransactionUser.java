package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;

/** What a server transaction tells its transaction user (the UAS core or the B2BUA leg). */
public interface ServerTransactionUser {

    /** The request that created the transaction (retransmissions are absorbed, never passed up). */
    void onRequest(ServerTransaction transaction, SipRequest request);

    /** RFC 6026 §8.7: an ACK matched the INVITE server transaction in the Accepted state. */
    void onAck(InviteServerTransaction transaction, SipRequest ack);

    /** Timer H fired: no ACK arrived for a non-2xx final response (RFC 3261 §17.2.1). */
    void onTimeout(ServerTransaction transaction);

    /** A response could not be sent (RFC 3261 §17.2.4). */
    void onTransportError(ServerTransaction transaction, Throwable cause);

    /** The transaction reached Terminated. */
    void onTerminated(ServerTransaction transaction);
}
