package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/**
 * The INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) with the Accepted state and Timer L
 * of RFC 6026 §8.5-§8.7.
 *
 * <pre>
 *                     start(): INVITE to TU; 100 Trying if the TU is silent for tryingDelay
 *                                  |
 *   INVITE: resend last 1xx        v              transport error: inform TU
 *              +------------ +-------------+ ------------------------------------+
 *              +-----------> | PROCEEDING  |                                      |
 *   1xx from TU: send  +---- |             | ---+                                 |
 *                      +---> +-------------+    | 2xx from TU: send               |
 *                                  |            v                                 |
 *               300-699 from TU:   |      +-------------+  INVITE: absorb         |
 *               send               |      |  ACCEPTED   |  2xx from TU: send      |
 *                                  |      | (RFC 6026)  |  ACK: to TU             |
 *                                  |      |  Timer L    |  transport error:       |
 *                                  |      +-------------+    inform TU (stay)     |
 *                                  v            | Timer L                         |
 *   INVITE: resend final     +-------------+    |                                 |
 *   Timer G: resend final,   |  COMPLETED  |    |      Timer H: TU timeout        |
 *   G = min(2G, T2)          |  G (unrel.) | ---|------------------------------->+
 *                            |  H          |    |      transport error: inform TU |
 *                            +-------------+    |                                 |
 *                                  | ACK        |                                 |
 *                                  v            |                                 |
 *   ACK: absorb              +-------------+    |                                 |
 *                            |  CONFIRMED  |    |                                 |
 *                            |  Timer I    |    |                                 |
 *                            +-------------+    |                                 |
 *                                  | Timer I    |                                 |
 *                                  v            v                                 |
 *                            +------------------------+                           |
 *                            |       TERMINATED       | &lt;-------------------------+
 *                            +------------------------+
 * </pre>
 *
 * <p>Timers: the 100 Trying timer belongs to PROCEEDING (cancelled as soon as the TU responds),
 * G and H to COMPLETED, I to CONFIRMED, L to ACCEPTED; each is started on entering its state and
 * cancelled on leaving it.
 *
 * <p>Retransmitting a 2xx until the ACK arrives is the TU's job (§13.3.1.4); in ACCEPTED this
 * transaction only sends the 2xx retransmissions the TU hands it (RFC 6026 §8.7).
 *
 * <p>Not thread-safe: owned by one event loop (see the package documentation).
 */
public final class InviteServerTransaction extends TransactionBase<TransactionKey> implements ServerTransaction {

    /** The states of Figure 7, plus ACCEPTED from RFC 6026. */
    public enum State { PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private final ServerTransactionUser tu;
    private final TransactionTimer timerTrying;
    private final TransactionTimer timerG;
    private final TransactionTimer timerH;
    private final TransactionTimer timerI;
    private final TransactionTimer timerL;

    private State state;
    private Duration intervalG;
    /** The most recent provisional response sent, resent for INVITE retransmissions in Proceeding. */
    private SipResponse lastProvisional;
    /** The 300-699 response, resent in Completed. */
    private SipResponse finalResponse;
    /** The last response passed to the transport layer, while Proceeding or Completed may resend it. */
    private SipResponse lastResponse;
    /** Status and To-tag of the last response passed to the transport layer, kept in every state. */
    private int lastStatus;
    private String lastToTag;

    /**
     * @param request the INVITE as received
     * @param reliable whether it came over a reliable transport (no Timer G; Timer I is zero)
     */
    public InviteServerTransaction(SipRequest request, boolean reliable, TimerConfig timers, Scheduler scheduler,
                                   TransportSink sink, ServerTransactionUser tu) {
        super(requireMethod(request, "INVITE", true), TransactionKey.forServer(request), reliable, timers, sink);
        this.tu = Objects.requireNonNull(tu, "tu");
        Objects.requireNonNull(scheduler, "scheduler");
        this.timerTrying = new TransactionTimer("100 Trying", scheduler);
        this.timerG = new TransactionTimer("G", scheduler);
        this.timerH = new TransactionTimer("H", scheduler);
        this.timerI = new TransactionTimer("I", scheduler);
        this.timerL = new TransactionTimer("L", scheduler);
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
        return lastStatus;
    }

    @Override
    public String lastResponseToTag() {
        return lastToTag;
    }

    /** RFC 3261 §17.2.1: enter Proceeding and pass the INVITE to the TU. */
    @Override
    public void start() {
        if (state != null) {
            throw new IllegalStateException("already started");
        }
        transition(State.PROCEEDING);
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
            case PROCEEDING -> {
                timerTrying.cancel(); // the TU has spoken: no 100 Trying from us (§17.2.1)
                if (response.isProvisional()) {
                    // RFC 3261 §17.2.1: provisional responses are sent and do not change the state.
                    lastProvisional = response;
                    sent = send(response);
                } else if (response.statusClass() == 2) {
                    // RFC 6026 §8.5: a 2xx moves to Accepted.
                    transition(State.ACCEPTED);
                    sent = send(response);
                } else {
                    // RFC 3261 §17.2.1: 300-699 moves to Completed.
                    finalResponse = response;
                    transition(State.COMPLETED);
                    sent = send(response);
                }
            }
            case ACCEPTED -> {
                // RFC 6026 §8.7: the TU's 2xx retransmissions are passed to the transport layer.
                if (response.statusClass() == 2) {
                    sent = send(response);
                }
            }
            case COMPLETED, CONFIRMED, TERMINATED -> {
                // A final response was sent already; anything more from the TU is discarded.
            }
        }
        settle();
        return sent;
    }

    @Override
    public void receiveRequest(SipRequest request) {
        if (state == null) {
            throw new IllegalStateException("not started");
        }
        if ("ACK".equals(request.method())) {
            onAck(request);
        } else if ("INVITE".equals(request.method())) {
            onRetransmission();
        }
        settle();
    }

    private void onRetransmission() {
        switch (state) {
            case PROCEEDING -> {
                // RFC 3261 §17.2.1: resend the most recent provisional response, if any.
                if (lastProvisional != null) {
                    send(lastProvisional);
                }
            }
            // RFC 3261 §17.2.1: resend the final response.
            case COMPLETED -> send(finalResponse);
            // RFC 6026 §8.7: absorbed, not passed to the TU; Confirmed absorbs too.
            case ACCEPTED, CONFIRMED, TERMINATED -> {
            }
        }
    }

    private void onAck(SipRequest ack) {
        switch (state) {
            // RFC 3261 §17.2.1: the ACK for the non-2xx final confirms.
            case COMPLETED -> transition(State.CONFIRMED);
            // RFC 6026 §8.7: an ACK matched in Accepted goes to the TU.
            case ACCEPTED -> tu.onAck(this, ack);
            // Confirmed absorbs ACK retransmissions; an ACK before a final response is bogus.
            case PROCEEDING, CONFIRMED, TERMINATED -> {
            }
        }
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
            leave(from);
        }
        state = to;
        enter(to);
    }

    private void leave(State from) {
        switch (from) {
            case PROCEEDING -> {
                timerTrying.cancel();
                lastProvisional = null; // resent in Proceeding only
            }
            case COMPLETED -> {
                timerG.cancel();
                timerH.cancel();
            }
            case CONFIRMED -> timerI.cancel();
            case ACCEPTED -> timerL.cancel();
            default -> {
            }
        }
    }

    private void enter(State to) {
        switch (to) {
            // RFC 3261 §17.2.1: 100 Trying unless the TU answers within 200 ms (configurable).
            case PROCEEDING -> timerTrying.start(timers.tryingDelay(), this::onTryingTimer);
            case COMPLETED -> {
                // RFC 3261 §17.2.1: Timer G only on unreliable transports; Timer H always.
                timers.timerG(reliable).ifPresent(first -> {
                    intervalG = first;
                    timerG.start(first, this::onTimerG);
                });
                timerH.start(timers.timerH(), this::onTimerH);
            }
            case CONFIRMED -> {
                // Confirmed only absorbs ACKs until Timer I: neither the request nor the final is used again.
                finalResponse = null;
                lastResponse = null;
                releaseRequest();
                timerI.start(timers.timerI(reliable), this::onTimerI);
            }
            case ACCEPTED -> {
                // RFC 6026 §8.7: Accepted absorbs INVITEs, passes ACKs on and sends the TU's 2xx
                // until Timer L; the INVITE itself is not used again.
                releaseRequest();
                timerL.start(timers.timerL(), this::onTimerL);
            }
            case TERMINATED -> {
                hooks.runAll();
                tu.onTerminated(this);
            }
        }
    }

    private void settle() {
        timerTrying.fireIfDue();
        timerI.fireIfDue();
    }

    // ---- timers ------------------------------------------------------------------------------

    private void onTryingTimer() {
        SipResponse trying = Messages.responseTo(request, 100, "Trying");
        lastProvisional = trying;
        send(trying);
    }

    /** RFC 3261 §17.2.1: resend the final; the interval doubles up to T2. */
    private void onTimerG() {
        if (send(finalResponse)) {
            intervalG = timers.doubledUpToT2(intervalG);
            timerG.start(intervalG, this::onTimerG);
        }
    }

    /** RFC 3261 §17.2.1: no ACK within 64*T1; the TU is told. */
    private void onTimerH() {
        tu.onTimeout(this);
        transition(State.TERMINATED);
    }

    private void onTimerI() {
        transition(State.TERMINATED);
    }

    /** RFC 6026 §8.7. */
    private void onTimerL() {
        transition(State.TERMINATED);
    }

    // ---- transport ---------------------------------------------------------------------------

    private boolean send(SipResponse response) {
        boolean sent = trySend(response);
        if (sent) {
            lastStatus = response.statusCode();
            lastToTag = response.toTag();
            // In Accepted the TU owns the 2xx and resends it itself (RFC 6026 §8.7): not kept here.
            lastResponse = state == State.ACCEPTED ? null : response;
        }
        return sent;
    }

    /**
     * RFC 3261 §17.2.1 (Figure 7): a transport error in Proceeding or Completed informs the TU and
     * terminates. RFC 6026 §8.7: in Accepted the TU is informed and the transaction stays, since the
     * TU owns the 2xx. Nothing is sent in Confirmed.
     */
    @Override
    void onTransportError(Throwable cause) {
        switch (state) {
            case PROCEEDING, COMPLETED -> {
                tu.onTransportError(this, cause);
                transition(State.TERMINATED);
            }
            case ACCEPTED -> tu.onTransportError(this, cause);
            default -> {
            }
        }
    }

    @Override
    public String toString() {
        return "InviteServerTransaction[" + key + ", " + state + "]";
    }
}
