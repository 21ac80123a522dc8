package io.edgesbc.sip.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the transport did with its input, read by the metrics exporter. Written from
 * every event loop, hence adders.
 */
public final class TransportStats {
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder malformedAnswered = new LongAdder();
    final LongAdder malformedDropped = new LongAdder();
    final LongAdder responsesNotOurs = new LongAdder();
    final LongAdder framingErrors = new LongAdder();
    final LongAdder keepAlives = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder sendBufferFull = new LongAdder();
    final LongAdder handlerFailures = new LongAdder();

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    /** Malformed requests answered with 400 (RFC 3261 §21.4.1). */
    public long malformedAnswered() {
        return malformedAnswered.sum();
    }

    /** Malformed messages that could not be answered: dropped. */
    public long malformedDropped() {
        return malformedDropped.sum();
    }

    /** Responses whose top Via is not one of ours (RFC 3261 §18.1.2): dropped. */
    public long responsesNotOurs() {
        return responsesNotOurs.sum();
    }

    /** Stream connections closed because framing was lost. */
    public long framingErrors() {
        return framingErrors.sum();
    }

    public long keepAlives() {
        return keepAlives.sum();
    }

    public long sendFailures() {
        return sendFailures.sum();
    }

    /** Messages whose handling failed with an unexpected exception (a bug; logged). */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    /**
     * TCP/TLS connections refused (accepted and closed at once) or not opened by us because
     * {@code transport.max_connections} were open.
     */
    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    /**
     * Messages not sent because their TCP/TLS connection already buffered
     * {@code transport.max_send_buffer} bytes the peer had not read; also in {@link #sendFailures()}.
     */
    public long sendBufferFull() {
        return sendBufferFull.sum();
    }
}
