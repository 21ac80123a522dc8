package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/**
 * The non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
 *
 * <pre>
 *                        start(): request to TU
 *                                 |
 *                                 v
 *   request: absorb        +-------------+
 *            +------------ |   TRYING    |
 *            +-----------> |             |
 *                          +-------------+
 *           1xx from TU: send |     | 200-699 from TU: send
 *                             v     +---------------------+
 *   request: resend 1xx    +-------------+               |
 *   1xx from TU: send      | PROCEEDING  |  transport error: inform TU
 *            +------------ |             | ------------------------------+
 *            +-----------> +-------------+               |               |
 *                                 | 200-699 from TU: send |               |
 *                                 v                       |               |
 *   request: resend final  +-------------+ &lt;-------------+               |
 *   finals from TU:        |  COMPLETED  |  transport error: inform TU   |
 *   discarded              |  Timer J    | ----------------------------->+
 *                          +-------------+                               |
 *                                 | Timer J                              |
 *                                 v                                      |
 *                          +-------------+                               |
 *                          | TERMINATED  | &lt;-----------------------------+
 *                          +-------------+
 * </pre>
 *
 * <p>Timer J is started on entering COMPLETED and cancelled on leaving it; it is zero on reliable
 * transports, so the transaction terminates right after sending its final response.
 *
 * <p>Not thread-safe: owned by one event loop (see the package documentation).
 */
public final class NonInviteServerTransaction extends TransactionBase<TransactionKey> implements ServerTransaction {

    /** The states of Figure 8. */
    public enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private final ServerTransactionUser tu;
    private final TransactionTimer timerJ;

    private State state;
    private SipResponse lastProvisional;
    private SipResponse finalResponse;
    private SipResponse lastResponse;

    /**
     * @param request any request but INVITE and ACK
     * @param reliable whether it came over a reliable transport (Timer J is zero)
     */
    public NonInviteServerTransaction(SipRequest request, boolean reliable, TimerConfig timers, Scheduler scheduler,
                                      TransportSink sink, ServerTransactionUser tu) {
        super(requireNonInvite(request), TransactionKey.forServer(request), reliable, timers, sink);
        this.tu = Objects.requireNonNull(tu, "tu");
        this.timerJ = new TransactionTimer("J", Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** The current state; null before {@link #start()}. */
    public State state() {
        return state;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    @Override
    public SipResponse lastResponse() {
        return lastResponse;
    }

    @Override
    public int lastResponseStatus() {
        return lastResponse == null ? 0 : lastResponse.statusCode();
    }

    @Override
    public String lastResponseToTag() {
        return lastResponse == null ? null : lastResponse.toTag();
    }

    /** RFC 3261 §17.2.2: enter Trying and pass the request to the TU. */
    @Override
    public void start() {
        if (state != null) {
            throw new IllegalStateException("already started");
        }
        transition(State.TRYING);
        tu.onRequest(this, request);
        settle();
    }

    @Override
    public boolean sendResponse(SipResponse response) {
        if (state == null) {
            throw new IllegalStateException("not started");
        }
        boolean sent = false;
        switch (state) {
            case TRYING, PROCEEDING -> {
                if (response.isProvisional()) {
                    // RFC 3261 §17.2.2: a 1xx from the TU moves Trying to Proceeding.
                    lastProvisional = response;
                    transition(State.PROCEEDING);
                } else {
                    // RFC 3261 §17.2.2: 200-699 from the TU moves to Completed.
                    finalResponse = response;
                    transition(State.COMPLETED);
                }
                sent = send(response);
            }
            case COMPLETED, TERMINATED -> {
                // RFC 3261 §17.2.2: further final responses from the TU are discarded.
            }
        }
        settle();
        return sent;
    }

    @Override
    public void receiveRequest(SipRequest retransmission) {
        if (state == null) {
            throw new IllegalStateException("not started");
        }
        switch (state) {
            // RFC 3261 §17.2.2: absorbed in Trying; answered with the last response after.
            case PROCEEDING -> send(lastProvisional);
            case COMPLETED -> send(finalResponse);
            case TRYING, TERMINATED -> {
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
        if (from == State.COMPLETED) {
            timerJ.cancel();
        }
        state = to;
        switch (to) {
            case COMPLETED -> {
                // RFC 3261 §17.2.2: Completed only resends the final response until Timer J
                // (64*T1 over UDP): the request and the provisional are not used again.
                lastProvisional = null;
                releaseRequest();
                timerJ.start(timers.timerJ(reliable), this::onTimerJ);
            }
            case TERMINATED -> {
                hooks.runAll();
                tu.onTerminated(this);
            }
            default -> {
            }
        }
    }

    private void settle() {
        timerJ.fireIfDue();
    }

    private void onTimerJ() {
        transition(State.TERMINATED);
    }

    // ---- transport ---------------------------------------------------------------------------

    private boolean send(SipResponse response) {
        boolean sent = trySend(response);
        if (sent) {
            lastResponse = response;
        }
        return sent;
    }

    /** RFC 3261 §17.2.2 (Figure 8): in Proceeding or Completed, inform the TU and terminate. */
    @Override
    void onTransportError(Throwable cause) {
        if (state == State.PROCEEDING || state == State.COMPLETED) {
            tu.onTransportError(this, cause);
            transition(State.TERMINATED);
        }
    }

    @Override
    public String toString() {
        return "NonInviteServerTransaction[" + key + ", " + state + "]";
    }
}
