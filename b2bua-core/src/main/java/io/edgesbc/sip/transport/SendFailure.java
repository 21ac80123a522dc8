package io.edgesbc.sip.transport;

/**
 * Told when a message handed to the transport could not be sent: no socket or listen point for
 * the realm, a connection that could not be opened (refused, timed out, TLS handshake failed, or
 * {@code transport.max_connections} already open), a connection whose send buffer is full, or a
 * write the kernel refused. Called at most once per message, on a transport event loop, never on
 * the caller's thread: whoever owns the sender (a transaction on its call shard) hops back to its
 * own thread. RFC 3261 §17.1.4 and §17.2.4 need this to reach the transaction.
 *
 * <p>UDP gives no delivery report: a datagram the kernel accepted counts as sent, even if it is
 * lost on the way or answered by an ICMP error (an unconnected socket does not see those).
 */
@FunctionalInterface
public interface SendFailure {

    /** For messages whose failure nobody acts on beyond the count and the log line. */
    SendFailure IGNORE = cause -> {
    };

    void failed(Throwable cause);
}
