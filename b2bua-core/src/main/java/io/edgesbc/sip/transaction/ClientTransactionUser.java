package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipResponse;

/** What a client transaction tells its transaction user (the UAC core or the B2BUA leg). */
public interface ClientTransactionUser {

    /** A response from the network that the state machine passes up. */
    void onResponse(ClientTransaction transaction, SipResponse response);

    /**
     * Timer B or Timer F fired. RFC 3261 §8.1.3.1 says to treat this as a 408; {@code timeout} is
     * that 408, made from the request.
     */
    void onTimeout(ClientTransaction transaction, SipResponse timeout);

    /**
     * The transport failed. RFC 3261 §8.1.3.1 says to treat this as a 503; {@code unavailable} is
     * that 503, made from the request.
     */
    void onTransportError(ClientTransaction transaction, SipResponse unavailable, Throwable cause);

    /** The transaction reached Terminated; it sends and reports nothing more. */
    void onTerminated(ClientTransaction transaction);
}
