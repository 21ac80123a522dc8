package io.edgesbc.b2bua;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.transaction.ClientTransaction;
import io.edgesbc.sip.transaction.ClientTransactionUser;
import io.edgesbc.sip.transport.ListenPoint;
import java.net.InetSocketAddress;

/**
 * The user of an answered call's UAC INVITE transaction after the call has ended. RFC 6026 §8.4
 * keeps that transaction in Accepted for Timer M (64*T1, 32 s) and passes it every 2xx; what the
 * {@link Call} did with those then needs none of the call itself, so the call hands the
 * transaction over to this (see {@link Call#end}) and can be collected at once instead of 32 s
 * later. The same answers as the call gave:
 * <ul>
 *   <li>a retransmission of the callee's 2xx (its To-tag is the UAC dialog's remote tag) gets
 *       our ACK again (RFC 3261 §13.2.2.4), when there was one;</li>
 *   <li>a 2xx of another fork is ACKed and hung up with a BYE (§13.2.2.4, §15).</li>
 * </ul>
 * Only 2xx reach a transaction's user in Accepted; the other events do nothing, as for an ended call.
 *
 * <p>Immutable; used on the shard's thread like the transaction.
 */
final class EndedUacInvite implements ClientTransactionUser {

    private final ShardContext ctx;
    private final ClientTransactionUser quiet;
    /** Our listen point on the UAC leg. */
    private final ListenPoint point;
    /** Where a fork's dialog goes without a usable route or target: the call's last target. */
    private final InetSocketAddress fallback;
    /** The callee's To-tag of the answered dialog. */
    private final String remoteTag;
    /** Our ACK of the callee's 2xx, or null when none was sent (a late offer whose answer never came). */
    private final SipRequest ack;
    /** Where that ACK went: the dialog's next hop, fixed since the call ended. */
    private final InetSocketAddress ackHop;

    EndedUacInvite(ShardContext ctx, ClientTransactionUser quiet, ListenPoint point, InetSocketAddress fallback,
                   String remoteTag, SipRequest ack, InetSocketAddress ackHop) {
        this.ctx = ctx;
        this.quiet = quiet;
        this.point = point;
        this.fallback = fallback;
        this.remoteTag = remoteTag;
        this.ack = ack;
        this.ackHop = ackHop;
    }

    @Override
    public void onResponse(ClientTransaction transaction, SipResponse response) {
        if (response.statusClass() != 2) {
            return;
        }
        if (response.toTag() != null && response.toTag().equals(remoteTag)) {
            if (ack != null) {
                ctx.send(ack, point.realm(), ackHop, point.transport()); // §13.2.2.4: ACK the retransmission
            }
        } else {
            Call.hangUpStray(ctx, quiet, point, fallback, response);
        }
    }

    @Override
    public void onTimeout(ClientTransaction transaction, SipResponse timeout) {
    }

    @Override
    public void onTransportError(ClientTransaction transaction, SipResponse unavailable, Throwable cause) {
    }

    @Override
    public void onTerminated(ClientTransaction transaction) {
    }
}
