package io.edgesbc.b2bua;

import io.edgesbc.sip.transaction.TransactionKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The calls of one shard, found by the identifiers EdgeSBC owns in each leg's dialog (RFC 3261
 * §12): on the UAS leg the caller's Call-ID with our To-tag, on the UAC leg our Call-ID with our
 * From-tag; the remote tag is checked by the call. A new call is also found by the key of the
 * caller's INVITE server transaction, for its CANCEL (§9.2).
 *
 * <p>Threading: owned by the shard's thread, <b>not thread-safe by design</b>.
 */
final class CallTable {

    /** The part of a dialog id that EdgeSBC generated: Call-ID and our (local) tag. */
    record LegKey(String callId, String localTag) {
        LegKey {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(localTag, "localTag");
        }
    }

    private final Map<LegKey, Call> byLeg = new HashMap<>();
    private final Map<TransactionKey, Call> byInvite = new HashMap<>();
    private int size;

    void add(Call call) {
        if (byLeg.putIfAbsent(call.uasKey(), call) != null || byLeg.putIfAbsent(call.uacKey(), call) != null) {
            throw new IllegalStateException("a call with these leg identifiers exists: " + call);
        }
        byInvite.put(call.uasInviteKey(), call);
        size++;
    }

    Call find(LegKey key) {
        return byLeg.get(key);
    }

    Call findByInvite(TransactionKey key) {
        return byInvite.get(key);
    }

    /** Forgets the call under all its keys; false when it was already gone. */
    boolean remove(Call call) {
        boolean removed = byLeg.remove(call.uasKey(), call);
        byLeg.remove(call.uacKey(), call);
        byInvite.remove(call.uasInviteKey(), call);
        if (removed) {
            size--;
        }
        return removed;
    }

    /** The call whose id ({@link Call#id()}) is {@code id}, or null; a scan, for the admin API only. */
    Call findById(String id) {
        for (Call call : byInvite.values()) {
            if (call.id().equals(id)) {
                return call;
            }
        }
        return null;
    }

    /** Every call of the shard, for a snapshot; not to be kept. */
    java.util.Collection<Call> all() {
        return byInvite.values();
    }

    int size() {
        return size;
    }

    /** Index entries of all kinds: 3 per call when nothing leaked. */
    int entries() {
        return byLeg.size() + byInvite.size();
    }
}
