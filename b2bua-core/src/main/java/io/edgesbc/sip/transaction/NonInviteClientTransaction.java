package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/**
 * The non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).
 *
 * <pre>
 *                      start(): send request, Timer E (unreliable only), Timer F
 *                                 |
 *   Timer E: resend,              v            Timer F: TU gets 408
 *   E = min(2E, T2)        +-------------+     transport error: TU gets 503
 *            +------------ |   TRYING    | ---------------------------------+
 *            +-----------> |             |                                  |
 *                          +-------------+                                  |
 *                     1xx: to TU |    | 200-699: to TU                      |
 *                                v    +-------------------+                 |
 *   Timer E: resend,       +-------------+                |                 |
 *   E = T2                 | PROCEEDING  |  Timer F: 408   |                 |
 *            +------------ |             | ----------------|---------------->+
 *            +-----------> |             |  transport: 503 |                 |
 *   1xx: to TU             +-------------+                |                 |
 *                                | 200-699: to TU         |                 |
 *                                v                        |                 |
 *                          +-------------+ &lt;--------------+                 |
 *   200-699: absorb        |  COMPLETED  |                                  |
 *            +------------ |  Timer K    |                                  |
 *            +-----------> |             |                                  |
 *                          +-------------+                                  |
 *                                | Timer K                                  |
 *                                v                                          |
 *                          +-------------+                                  |
 *                          | TERMINATED  | &lt;--------------------------------+
 *                          +-------------+
 * </pre>
 *
 * <p>Timers: E and F are started on entering TRYING and run on through PROCEEDING (Figure 6 has
 * them fire in both states); they are cancelled on leaving for COMPLETED or TERMINATED. K is
 * started on entering COMPLETED and cancelled on leaving it.
 *
 * <p>Not thread-safe: owned by one event loop (see the package documentation).
 */
public final class NonInviteClientTransaction extends TransactionBase<TransactionKey.Client> implements ClientTransaction {

    /** The states of Figure 6. */
    public enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private final ClientTransactionUser tu;
    private final TransactionTimer timerE;
    private final TransactionTimer timerF;
    private final TransactionTimer timerK;

    private State state;
    private Duration intervalE;

    /**
     * @param request any request but INVITE and ACK (ACK has no client transaction, §17.1)
     * @param reliable whether the transport is reliable (no Timer E; Timer K is zero)
     */
    public NonInviteClientTransaction(SipRequest request, boolean reliable, TimerConfig timers, Scheduler scheduler,
                                      TransportSink sink, ClientTransactionUser tu) {
        super(requireNonInvite(request), TransactionKey.forClient(request), reliable, timers, sink);
        this.tu = Objects.requireNonNull(tu, "tu");
        Objects.requireNonNull(scheduler, "scheduler");
        this.timerE = new TransactionTimer("E", scheduler);
        this.timerF = new TransactionTimer("F", scheduler);
        this.timerK = new TransactionTimer("K", scheduler);
    }

    /** The current state; null before {@link #start()}. */
    public State state() {
        return state;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    /** RFC 3261 §17.1.2.2: enter Trying and pass the request to the transport layer. */
    @Override
    public void start() {
        if (state != null) {
            throw new IllegalStateException("already started");
        }
        transition(State.TRYING);
        send();
        settle();
    }

    @Override
    public void receiveResponse(SipResponse response) {
        if (state == null) {
            throw new IllegalStateException("not started");
        }
        switch (state) {
            case TRYING, PROCEEDING -> {
                // RFC 3261 §17.1.2.2: 1xx -> Proceeding, 200-699 -> Completed; all go to the TU.
                transition(response.isProvisional() ? State.PROCEEDING : State.COMPLETED);
                tu.onResponse(this, response);
                if (state == State.COMPLETED) {
                    // Completed only absorbs retransmitted responses until Timer K: the request
                    // is not sent or read again (let go after the TU had the final response).
                    releaseRequest();
                }
            }
            case COMPLETED, TERMINATED -> {
                // RFC 3261 §17.1.2.2: retransmitted responses are absorbed in Completed.
            }
        }
        settle();
    }

    @Override
    public void transportError(Throwable cause) {
        onTransportError(cause);
        settle();
    }

    // ---- transitions -------------------------------------------------------------------------

    private void transition(State to) {
        State from = state;
        if (from == to) {
            return;
        }
        if (from != null) {
            leave(from, to);
        }
        state = to;
        enter(to);
    }

    private void leave(State from, State to) {
        switch (from) {
            case TRYING, PROCEEDING -> {
                // Figure 6: E and F keep running from Trying into Proceeding.
                if (to != State.PROCEEDING) {
                    timerE.cancel();
                    timerF.cancel();
                }
            }
            case COMPLETED -> timerK.cancel();
            default -> {
            }
        }
    }

    private void enter(State to) {
        switch (to) {
            case TRYING -> {
                // RFC 3261 §17.1.2.2: Timer E only on unreliable transports; Timer F always.
                timers.timerE(reliable).ifPresent(first -> {
                    intervalE = first;
                    timerE.start(first, this::onTimerE);
                });
                timerF.start(timers.timerF(), this::onTimerF);
            }
            case COMPLETED -> timerK.start(timers.timerK(reliable), this::onTimerK);
            case TERMINATED -> {
                hooks.runAll();
                tu.onTerminated(this);
            }
            default -> {
            }
        }
    }

    private void settle() {
        timerK.fireIfDue();
    }

    // ---- timers ------------------------------------------------------------------------------

    /**
     * RFC 3261 §17.1.2.2: retransmit; in Trying the interval doubles up to T2, in Proceeding it
     * is T2.
     */
    private void onTimerE() {
        if (send()) {
            intervalE = state == State.TRYING ? timers.doubledUpToT2(intervalE) : timers.t2();
            timerE.start(intervalE, this::onTimerE);
        }
    }

    /** RFC 3261 §17.1.2.2: Timer F in Trying or Proceeding; the TU sees a 408 (§8.1.3.1). */
    private void onTimerF() {
        tu.onTimeout(this, Messages.responseTo(request, 408, "Request Timeout"));
        transition(State.TERMINATED);
    }

    private void onTimerK() {
        transition(State.TERMINATED);
    }

    // ---- transport ---------------------------------------------------------------------------

    private boolean send() {
        return trySend(request);
    }

    /**
     * RFC 3261 §17.1.2.2 (Figure 6): a transport error in Trying or Proceeding informs the TU (a
     * 503, §8.1.3.1) and terminates. Nothing is sent in Completed.
     */
    @Override
    void onTransportError(Throwable cause) {
        if (state == State.TRYING || state == State.PROCEEDING) {
            tu.onTransportError(this, Messages.responseTo(request, 503, "Service Unavailable"), cause);
            transition(State.TERMINATED);
        }
    }

    @Override
    public String toString() {
        return "NonInviteClientTransaction[" + key + ", " + state + "]";
    }
}
