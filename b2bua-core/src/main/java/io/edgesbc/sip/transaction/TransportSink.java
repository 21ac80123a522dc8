package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipMessage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import reactor.core.scheduler.Scheduler;

/**
 * Where a transaction hands its messages to the transport layer (RFC 3261 §18). Requests go to
 * the destination the transport layer resolved for the transaction; responses follow the top Via
 * (§18.2.2), which is the transport layer's business.
 *
 * <p>A failure that is known at once may be thrown as a {@link TransportException}; a failure
 * known later (a connect refused, an asynchronous write) must be reported to {@code owner}
 * through {@link Transaction#transportError(Throwable)} on the owner's event loop, which
 * {@link #reportingTo} does. Either way the transaction acts on it as its figure says
 * (§17.1.4, §17.2.4): a client tells its TU with a 503, a server tells its TU and terminates.
 */
@FunctionalInterface
public interface TransportSink {

    void send(SipMessage message, Transaction owner) throws TransportException;

    /**
     * A failure callback for transport code that runs on other threads: it hops to {@code loop},
     * the owner's event loop, and reports there. A loop that is already shut down (the server is
     * stopping) drops the report: nothing would act on it.
     */
    static Consumer<Throwable> reportingTo(Transaction owner, Scheduler loop) {
        return cause -> {
            try {
                loop.schedule(() -> owner.transportError(cause));
            } catch (RejectedExecutionException stopped) {
                // The owner's loop is gone, and the transaction with it.
            }
        };
    }
}
