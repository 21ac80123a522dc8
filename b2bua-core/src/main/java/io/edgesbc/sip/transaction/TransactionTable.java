package io.edgesbc.sip.transaction;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The live transactions of one event loop, by {@link TransactionKey} (RFC 3261 §17.1.3, §17.2.3).
 * A transaction is forgotten when it reaches Terminated.
 *
 * <p><b>Not thread-safe, by design.</b> The table, the transactions in it and their timers are
 * owned by one event loop thread; every method must be called on that thread. Calls are spread
 * over event loops by Call-ID, so there is no lock on the message path.
 */
public final class TransactionTable {

    private final Map<TransactionKey, ClientTransaction> clients = new HashMap<>();
    private final Map<TransactionKey, ServerTransaction> servers = new HashMap<>();

    /**
     * Adds a client transaction under its key; it is removed when it terminates.
     *
     * @throws IllegalStateException when a live transaction has the same key (a branch reused)
     */
    public void add(ClientTransaction transaction) {
        put(clients, transaction);
    }

    /**
     * Adds a server transaction under its key; it is removed when it terminates.
     *
     * @throws IllegalStateException when a live transaction has the same key
     */
    public void add(ServerTransaction transaction) {
        put(servers, transaction);
    }

    private static <T extends Transaction> void put(Map<TransactionKey, T> map, T transaction) {
        Objects.requireNonNull(transaction, "transaction");
        if (transaction.isTerminated()) {
            throw new IllegalArgumentException("transaction is terminated: " + transaction);
        }
        TransactionKey key = transaction.key();
        if (map.putIfAbsent(key, transaction) != null) {
            throw new IllegalStateException("a transaction with this key exists: " + key);
        }
        transaction.whenTerminated(() -> map.remove(key, transaction));
    }

    /** RFC 3261 §17.1.3: the client transaction a response belongs to (branch and CSeq method). */
    public Optional<ClientTransaction> matchResponse(SipResponse response) {
        return Optional.ofNullable(clients.get(TransactionKey.forResponse(response)));
    }

    /**
     * RFC 3261 §17.2.3: the server transaction a request belongs to. An ACK finds its INVITE
     * transaction. For an RFC 2543 ACK the To tag must be the one of the response the transaction
     * sent (or of the INVITE, inside a dialog); an ACK for a 2xx of an RFC 3261 peer has its own
     * branch and finds nothing here (it belongs to the dialog, §13.3.1.4).
     */
    public Optional<ServerTransaction> matchRequest(SipRequest request) {
        TransactionKey key = TransactionKey.forServer(request);
        ServerTransaction found = servers.get(key);
        if (found == null && "ACK".equals(request.method()) && key instanceof TransactionKey.Rfc2543 legacy) {
            // The INVITE had no To tag; the ACK carries the tag of our response (§17.2.3).
            ServerTransaction invite = servers.get(legacy.withToTag(null));
            if (invite != null && invite.lastResponseStatus() != 0
                    && Objects.equals(invite.lastResponseToTag(), request.toTag())) {
                found = invite;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * RFC 3261 §9.2: the INVITE server transaction a CANCEL refers to, which is not the CANCEL's
     * own transaction.
     */
    public Optional<InviteServerTransaction> matchCancelTarget(SipRequest cancel) {
        ServerTransaction found = servers.get(TransactionKey.inviteKeyForCancel(cancel));
        return found instanceof InviteServerTransaction invite ? Optional.of(invite) : Optional.empty();
    }

    public Optional<ClientTransaction> client(TransactionKey key) {
        return Optional.ofNullable(clients.get(key));
    }

    public Optional<ServerTransaction> server(TransactionKey key) {
        return Optional.ofNullable(servers.get(key));
    }

    public int clientCount() {
        return clients.size();
    }

    public int serverCount() {
        return servers.size();
    }
}
