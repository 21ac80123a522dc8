package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.time.Duration;
import java.util.Objects;
import reactor.core.scheduler.Scheduler;

/**
 * The INVITE client transaction: RFC 3261 §17.1.1 (Figure 5) with the Accepted state and Timer M
 * of RFC 6026 §8.4.
 *
 * <pre>
 *                       start(): send INVITE, Timer A (unreliable only), Timer B
 *                                   |
 *   Timer A: resend INVITE,         v            Timer B: TU gets 408
 *   A = 2 * A                +-------------+     transport error: TU gets 503
 *            +-------------- |   CALLING   | -----------------------------------+
 *            +-------------> |             |                                    |
 *                            +-------------+                                    |
 *                   1xx: to TU |    |    | 2xx: to TU                           |
 *                              |    |    +------------------------+             |
 *                              v    | 300-699: to TU, send ACK    |             |
 *   1xx: to TU               +-------------+                      |             |
 *            +-------------- | PROCEEDING  | 2xx: to TU           |             |
 *            +-------------> |             | ---------------------+             |
 *                            +-------------+                      |             |
 *               300-699: to TU,   |   |                           v             |
 *               send ACK          v   v                    +-------------+      |
 *   300-699: resend ACK      +-------------+               |  ACCEPTED   |      |
 *   (not passed to the TU)   |  COMPLETED  |               | (RFC 6026)  |      |
 *            +-------------- |  Timer D    |               |  Timer M    |      |
 *            +-------------> |             |               +-------------+      |
 *                            +-------------+       2xx: to TU (loop)            |
 *                 Timer D, or    |                         | Timer M            |
 *                 transport error|                         |                    |
 *                 (TU gets 503)  v                         v                    |
 *                            +----------------------------------------+         |
 *                            |               TERMINATED               | &lt;-------+
 *                            +----------------------------------------+
 * </pre>
 *
 * <p>Timers: A and B belong to CALLING (§17.1.1.2: B only times out a transaction still in
 * Calling; Proceeding waits for the TU or a proxy's Timer C), D to COMPLETED, M to ACCEPTED.
 * Each is started on entering its state and cancelled on leaving it.
 *
 * <p>The ACK for a 2xx is the TU's (§13.2.2.4); this transaction never sends it.
 *
 * <p>Not thread-safe: owned by one event loop (see the package documentation).
 */
public final class InviteClientTransaction extends TransactionBase<TransactionKey.Client> implements ClientTransaction {

    /** The states of Figure 5, plus ACCEPTED from RFC 6026. */
    public enum State { CALLING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    /** Replaceable by {@link #handOver}: a TU may leave before its transaction's timers run out. */
    private ClientTransactionUser tu;
    private final TransactionTimer timerA;
    private final TransactionTimer timerB;
    private final TransactionTimer timerD;
    private final TransactionTimer timerM;

    /** Null until {@link #start()}. */
    private State state;
    private Duration intervalA;
    /** The ACK sent for the non-2xx final response, resent for its retransmissions. */
    private SipRequest ack;

    /**
     * @param request the INVITE as it goes on the wire: its top Via carries our branch
     * @param reliable whether the transport is reliable (no Timer A; Timer D is zero)
     */
    public InviteClientTransaction(SipRequest request, boolean reliable, TimerConfig timers, Scheduler scheduler,
                                   TransportSink sink, ClientTransactionUser tu) {
        super(requireMethod(request, "INVITE", true), TransactionKey.forClient(request), reliable, timers, sink);
        this.tu = Objects.requireNonNull(tu, "tu");
        Objects.requireNonNull(scheduler, "scheduler");
        this.timerA = new TransactionTimer("A", scheduler);
        this.timerB = new TransactionTimer("B", scheduler);
        this.timerD = new TransactionTimer("D", scheduler);
        this.timerM = new TransactionTimer("M", scheduler);
    }

    /** The current state; null before {@link #start()}. */
    public State state() {
        return state;
    }

    @Override
    public boolean isTerminated() {
        return state == State.TERMINATED;
    }

    /** The ACK this transaction generated for a non-2xx final response, or null. */
    public SipRequest ack() {
        return ack;
    }

    /**
     * Gives this transaction's events to {@code next} from now on. For a TU whose own work is
     * over while the transaction still runs its course, typically in Accepted, where RFC 6026
     * §8.4 keeps it for Timer M (64*T1) to pass on 2xx retransmissions: a small TU that keeps
     * only what those need takes over, and the old one (a whole B2BUA call) can be collected.
     */
    public void handOver(ClientTransactionUser next) {
        this.tu = Objects.requireNonNull(next, "next");
    }

    /** RFC 3261 §17.1.1.2: enter Calling and pass the INVITE to the transport layer. */
    @Override
    public void start() {
        if (state != null) {
            throw new IllegalStateException("already started");
        }
        transition(State.CALLING);
        send(request);
        settle();
    }

    @Override
    public void receiveResponse(SipResponse response) {
        if (state == null) {
            throw new IllegalStateException("not started");
        }
        switch (state) {
            case CALLING, PROCEEDING -> {
                if (response.isProvisional()) {
                    // RFC 3261 §17.1.1.2: 1xx moves Calling to Proceeding; every 1xx goes to the TU.
                    transition(State.PROCEEDING);
                    tu.onResponse(this, response);
                } else if (response.statusClass() == 2) {
                    // RFC 6026 §8.4: a 2xx moves to Accepted and goes to the TU.
                    transition(State.ACCEPTED);
                    tu.onResponse(this, response);
                    // Accepted only passes 2xx on until Timer M: the INVITE is not sent or read
                    // again (let go after the TU had this response, which it may handle with it).
                    if (state == State.ACCEPTED) {
                        releaseRequest();
                    }
                } else {
                    // RFC 3261 §17.1.1.2: 300-699 -> Completed, response to the TU, ACK (§17.1.1.3).
                    ack = Messages.ackFor(request, response);
                    transition(State.COMPLETED);
                    tu.onResponse(this, response);
                    send(ack);
                }
            }
            case COMPLETED -> {
                // RFC 3261 §17.1.1.2: a retransmitted final is answered with the ACK, not passed up.
                if (response.statusCode() >= 300) {
                    send(ack);
                }
            }
            case ACCEPTED -> {
                // RFC 6026 §8.4: every 2xx (retransmission or another fork) goes to the TU.
                if (response.statusClass() == 2) {
                    tu.onResponse(this, response);
                }
            }
            case TERMINATED -> {
                // Nothing is matched to a terminated transaction.
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
            leave(from);
        }
        state = to;
        enter(to);
    }

    private void leave(State from) {
        switch (from) {
            case CALLING -> {
                timerA.cancel();
                timerB.cancel();
            }
            case COMPLETED -> timerD.cancel();
            case ACCEPTED -> timerM.cancel();
            default -> {
            }
        }
    }

    private void enter(State to) {
        switch (to) {
            case CALLING -> {
                // RFC 3261 §17.1.1.2: Timer A only on unreliable transports; Timer B always.
                timers.timerA(reliable).ifPresent(first -> {
                    intervalA = first;
                    timerA.start(first, this::onTimerA);
                });
                timerB.start(timers.timerB(), this::onTimerB);
            }
            case COMPLETED -> timerD.start(timers.timerD(reliable), this::onTimerD);
            case ACCEPTED -> timerM.start(timers.timerM(), this::onTimerM);
            case TERMINATED -> {
                hooks.runAll();
                tu.onTerminated(this);
            }
            default -> {
            }
        }
    }

    /** Fires the zero-length timers (reliable transports) started while handling this event. */
    private void settle() {
        timerD.fireIfDue();
    }

    // ---- timers ------------------------------------------------------------------------------

    /** RFC 3261 §17.1.1.2: retransmit and double the interval (no T2 cap for INVITE). */
    private void onTimerA() {
        if (send(request)) {
            intervalA = intervalA.multipliedBy(2);
            timerA.start(intervalA, this::onTimerA);
        }
    }

    /** RFC 3261 §17.1.1.2: still Calling after 64*T1; the TU sees a 408 (§8.1.3.1). */
    private void onTimerB() {
        tu.onTimeout(this, Messages.responseTo(request, 408, "Request Timeout"));
        transition(State.TERMINATED);
    }

    private void onTimerD() {
        transition(State.TERMINATED);
    }

    /** RFC 6026 §8.4. */
    private void onTimerM() {
        transition(State.TERMINATED);
    }

    // ---- transport ---------------------------------------------------------------------------

    private boolean send(SipRequest request) {
        return trySend(request);
    }

    /**
     * RFC 3261 §17.1.1.2 (Figure 5): a transport error in Calling or Completed informs the TU and
     * terminates; §8.1.3.1 has the TU see it as a 503. Nothing is sent in Proceeding or Accepted,
     * so a late report there is ignored.
     */
    @Override
    void onTransportError(Throwable cause) {
        if (state == State.CALLING || state == State.COMPLETED) {
            tu.onTransportError(this, Messages.responseTo(request, 503, "Service Unavailable"), cause);
            transition(State.TERMINATED);
        }
    }

    @Override
    public String toString() {
        return "InviteClientTransaction[" + key + ", " + state + "]";
    }
}
