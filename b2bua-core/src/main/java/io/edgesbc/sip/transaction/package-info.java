/**
 * SIP transactions (RFC 3261 §17, with the RFC 6026 corrections for 2xx responses to INVITE).
 *
 * <p>Four state machines, one class each: {@link io.edgesbc.sip.transaction.InviteClientTransaction}
 * (Figure 5), {@link io.edgesbc.sip.transaction.NonInviteClientTransaction} (Figure 6),
 * {@link io.edgesbc.sip.transaction.InviteServerTransaction} (Figure 7) and
 * {@link io.edgesbc.sip.transaction.NonInviteServerTransaction} (Figure 8). They talk to the
 * transport layer through a {@link io.edgesbc.sip.transaction.TransportSink} and to their
 * transaction user through {@link io.edgesbc.sip.transaction.ClientTransactionUser} /
 * {@link io.edgesbc.sip.transaction.ServerTransactionUser}. Timer values come from
 * {@link io.edgesbc.sip.transaction.TimerConfig}; time comes from an injected Reactor
 * {@link reactor.core.scheduler.Scheduler}.
 *
 * <p><b>Threading model.</b> Nothing in this package is thread-safe, by design. A transaction and
 * the {@link io.edgesbc.sip.transaction.TransactionTable} that holds it are owned by one event
 * loop thread: every message, every TU call and every timer task must run on that thread. The
 * scheduler given to a transaction must therefore run its tasks on the owning event loop (for
 * example {@code Schedulers.fromExecutor(eventLoop)}); a pool scheduler such as
 * {@code Schedulers.parallel()} would break this. Tests use a {@code VirtualTimeScheduler}, whose
 * tasks run on the thread that advances virtual time.
 */
package io.edgesbc.sip.transaction;
