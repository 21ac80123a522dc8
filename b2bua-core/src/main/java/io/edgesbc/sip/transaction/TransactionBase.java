package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import java.util.Objects;

/**
 * What the four RFC 3261 §17 state machines share: the request that created the transaction, the
 * key it is found by, whether the transport is reliable, the timer table, where it sends, and the
 * hooks run on termination. Each machine keeps its own states, timers and transaction user.
 *
 * <p>The request is let go ({@link #releaseRequest()}) when a machine enters a state that never
 * uses it again: Accepted (RFC 6026), Confirmed, and a non-INVITE Completed only wait out their
 * timer (64*T1 = 32 s for Accepted and for a non-INVITE server's Completed over UDP) with the key
 * and the response to resend. A parsed request with its memoised views is the largest thing a
 * transaction holds, and under load those states hold tens of thousands of transactions.
 *
 * @param <K> the key type (clients match responses on {@link TransactionKey.Client})
 */
abstract class TransactionBase<K extends TransactionKey> {

    /** Null once released (see the class comment). Owner's thread only. */
    SipRequest request;
    final K key;
    final boolean reliable;
    final TimerConfig timers;
    final TransportSink sink;
    final TerminationHooks hooks = new TerminationHooks();

    TransactionBase(SipRequest request, K key, boolean reliable, TimerConfig timers, TransportSink sink) {
        this.request = Objects.requireNonNull(request, "request");
        this.key = Objects.requireNonNull(key, "key");
        this.reliable = reliable;
        this.timers = Objects.requireNonNull(timers, "timers");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The key this transaction is found by (RFC 3261 §17.1.3, §17.2.3). */
    public K key() {
        return key;
    }

    /** The request that created the transaction; null once released (see the class comment). */
    public SipRequest request() {
        return request;
    }

    /** This machine is in a state that never sends or reads its request again: the request can go. */
    final void releaseRequest() {
        request = null;
    }

    /** Whether the transport is reliable, which turns retransmissions off (§17.1.1.2). */
    public boolean isReliable() {
        return reliable;
    }

    public abstract boolean isTerminated();

    /**
     * Hands {@code message} to the transport; a failure is this machine's transport error
     * (RFC 3261 §17.1.4, §17.2.4), dealt with by {@link #onTransportError} per its figure.
     *
     * @return whether the message was handed over
     */
    final boolean trySend(SipMessage message) {
        try {
            sink.send(message, (Transaction) this); // every machine is a Transaction
            return true;
        } catch (TransportException e) {
            onTransportError(e);
            return false;
        }
    }

    /** What this machine's figure does when the transport fails. */
    abstract void onTransportError(Throwable cause);

    /** Runs {@code hook} once when the transaction reaches Terminated (at once if it already has). */
    public void whenTerminated(Runnable hook) {
        hooks.add(hook, isTerminated());
    }

    /** {@code request} unless it is an INVITE or an ACK (neither has a non-INVITE transaction, §17). */
    static SipRequest requireNonInvite(SipRequest request) {
        Objects.requireNonNull(request, "request");
        if ("INVITE".equals(request.method()) || "ACK".equals(request.method())) {
            throw new IllegalArgumentException("not a non-INVITE transaction: " + request.method());
        }
        return request;
    }

    /** {@code request} if its method is {@code method}, else an IllegalArgumentException. */
    static SipRequest requireMethod(SipRequest request, String method, boolean equal) {
        Objects.requireNonNull(request, "request");
        if (method.equals(request.method()) != equal) {
            throw new IllegalArgumentException((equal ? "not an " : "not a non-") + method + " transaction: "
                    + request.method());
        }
        return request;
    }
}
