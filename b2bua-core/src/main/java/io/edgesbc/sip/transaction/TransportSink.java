package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipMessage;

/**
 * Where a transaction hands its messages to the transport layer (RFC 3261 §18). Requests go to
 * the destination the transport layer resolved for the transaction; responses follow the top Via
 * (§18.2.2), which is the transport layer's business.
 *
 * <p>A failure that is known at once is thrown as a {@link TransportException}; a failure known
 * later (an asynchronous write) is reported through {@link Transaction#transportError(Throwable)}
 * on the owning event loop.
 */
@FunctionalInterface
public interface TransportSink {
    void send(SipMessage message) throws TransportException;
}
