package io.edgesbc.b2bua;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.TimerConfig;
import io.edgesbc.sip.transaction.TransactionTable;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.MessageSource;
import java.net.InetSocketAddress;
import java.util.Optional;
import reactor.core.scheduler.Scheduler;

/**
 * What the calls of one shard need from the server: the shard's thread (as a scheduler, also for
 * timers), its transaction table, identifiers that lead back to this shard, our listen points and
 * the transport. Unit tests give a fake with a virtual-time scheduler and a recording transport.
 *
 * <p>Threading: every method is called on the shard's thread; {@link #send} and
 * {@link #sendResponse} must not block (they hand the bytes to an event loop).
 */
public interface ShardContext {

    int index();

    Scheduler scheduler();

    TransactionTable transactions();

    TimerConfig timers();

    /** A tag (From-tag of a UAC leg, To-tag of a UAS leg) that names this shard. */
    String newTag();

    /** A branch (RFC 3261 §8.1.1.7, with the magic cookie) that names this shard. */
    String newBranch();

    /** A Call-ID for a UAC leg that names this shard. */
    String newCallId();

    /** Our UDP listen point in {@code realm}, as bound: its address is our Via and Contact there. */
    Optional<ListenPoint> udpListenPoint(String realm);

    /** Sends over UDP from the realm's socket. */
    void send(SipMessage message, String realm, InetSocketAddress destination);

    /** Our listen point of {@code transport} in {@code realm}, as bound. */
    default Optional<ListenPoint> listenPoint(String realm, io.edgesbc.sip.transport.TransportKind transport) {
        return transport == io.edgesbc.sip.transport.TransportKind.UDP ? udpListenPoint(realm) : Optional.empty();
    }

    /**
     * Sends from the realm over {@code transport}: UDP from its socket, TCP/TLS over an open
     * connection to the destination or a new one (RFC 3261 §18.1.1). Never blocks.
     */
    default void send(SipMessage message, String realm, InetSocketAddress destination,
                      io.edgesbc.sip.transport.TransportKind transport) {
        if (transport != io.edgesbc.sip.transport.TransportKind.UDP) {
            throw new UnsupportedOperationException("no " + transport + " here");
        }
        send(message, realm, destination);
    }

    /**
     * As {@link #send(SipMessage, String, InetSocketAddress, io.edgesbc.sip.transport.TransportKind)},
     * telling {@code onFailure} (on a transport event loop) when the message could not be sent.
     */
    default void send(SipMessage message, String realm, InetSocketAddress destination,
                      io.edgesbc.sip.transport.TransportKind transport, io.edgesbc.sip.transport.SendFailure onFailure) {
        send(message, realm, destination, transport);
    }

    /** Sends a response back to where its request came from (RFC 3261 §18.2.2). */
    void sendResponse(SipResponse response, MessageSource requestSource);

    /** Whether {@code branch} is one EdgeSBC makes (for loop detection); false when unknown. */
    default boolean isOurBranch(String branch) {
        return false;
    }

    /** Whether host:port is the sent-by of one of our listen points (for loop detection). */
    default boolean isOurSentBy(String host, int port) {
        return false;
    }

    /**
     * {@code callId} belongs with the message being handled (the UAC leg of the call its INVITE
     * starts), even if what carries it goes out later (after the media relay): for the SIP trace.
     */
    default void relatedCallId(String callId) {
    }
}
