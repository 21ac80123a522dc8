package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;

/**
 * A SIP transaction (RFC 3261 §17). Not thread-safe: owned by one event loop (see the package
 * documentation).
 */
public sealed interface Transaction permits ClientTransaction, ServerTransaction {

    /** The key this transaction is found by (RFC 3261 §17.1.3, §17.2.3). */
    TransactionKey key();

    /**
     * The request that created the transaction. Null once the transaction only waits out its
     * last timer (Accepted, Confirmed, a non-INVITE Completed), where nothing needs it and where
     * it would otherwise be kept for up to 64*T1 after the final response.
     */
    SipRequest request();

    /** Whether the transport is reliable (TCP, TLS, SCTP, WS ...), which turns retransmissions off. */
    boolean isReliable();

    boolean isTerminated();

    /**
     * The transport layer reports that a message this transaction sent could not be delivered
     * (RFC 3261 §17.1.4, §17.2.4). Must be called on the owning event loop.
     */
    void transportError(Throwable cause);

    /**
     * Runs {@code hook} once when the transaction reaches Terminated (at once if it already has).
     * The {@link TransactionTable} uses this to forget the transaction.
     */
    void whenTerminated(Runnable hook);
}
