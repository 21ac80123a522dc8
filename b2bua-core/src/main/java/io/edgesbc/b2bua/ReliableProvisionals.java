package io.edgesbc.b2bua;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.TimerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import reactor.core.scheduler.Scheduler;

/**
 * The reliable provisional responses (RFC 3262) a call relays to a caller that supports 100rel:
 * each gets our own RSeq on the UAS leg (§3: the first random below 2**31, then +1), is
 * retransmitted until its PRACK, and stands for one reliable provisional of the callee whose RSeq
 * the caller's PRACK is mapped back to.
 *
 * <p>Threading: the call's shard thread.
 */
final class ReliableProvisionals {

    /** One reliable provisional relayed to the caller: the callee's RSeq it stands for, its retransmission. */
    private record Pending(long calleeRseq, long inviteSeq, Retransmission retransmission) {
    }

    private final Scheduler scheduler;
    private final TimerConfig timers;
    private final Map<Long, Pending> awaitingPrack = new HashMap<>(2);
    private long nextRseq = ThreadLocalRandom.current().nextLong(1, 1L << 31);

    ReliableProvisionals(Scheduler scheduler, TimerConfig timers) {
        this.scheduler = scheduler;
        this.timers = timers;
    }

    /**
     * The relayed provisional {@code relayed} made reliable (Require: 100rel, our RSeq) for the
     * callee's {@code original}; it is to be sent now, and {@code resend} sends it again until the
     * PRACK. {@code onNoPrack} runs when none came within 64*T1.
     */
    SipResponse makeReliable(SipResponse relayed, SipResponse original, Consumer<SipResponse> resend,
                             Runnable onNoPrack) {
        long rseq = nextRseq++;
        SipResponse reliable = relayed.toBuilder().add(HeaderName.REQUIRE, "100rel")
                .add(HeaderName.RSEQ, Long.toString(rseq)).build();
        Retransmission again = Retransmission.ofReliableProvisional(scheduler, timers, () -> resend.accept(reliable),
                () -> {
                    awaitingPrack.remove(rseq);
                    onNoPrack.run();
                });
        awaitingPrack.put(rseq, new Pending(Long.parseLong(original.headers().first(HeaderName.RSEQ).trim()),
                original.cseq().number(), again));
        return reliable;
    }

    /**
     * The RAck of the caller's PRACK (RFC 3262 §7.2: "RSeq CSeq-number method", ours) as the
     * callee's: its RSeq, our INVITE's CSeq. Stops retransmitting that provisional. Null when the
     * PRACK names no reliable provisional of ours (then answered 481, §4).
     */
    String mapRack(String rack) {
        if (rack == null) {
            return null;
        }
        String[] parts = rack.trim().split("\\s+");
        if (parts.length != 3) {
            return null;
        }
        long rseq;
        try {
            rseq = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        Pending pending = awaitingPrack.remove(rseq);
        if (pending == null) {
            return null;
        }
        pending.retransmission().stop();
        return pending.calleeRseq() + " " + pending.inviteSeq() + " INVITE";
    }

    /** A final response went out (§3: provisionals are no longer retransmitted), or the call ended. */
    void stopAll() {
        for (Pending pending : awaitingPrack.values()) {
            pending.retransmission().stop();
        }
        awaitingPrack.clear();
    }
}
