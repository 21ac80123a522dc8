package io.edgesbc.server;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.Via;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the shard of a message from keys EdgeSBC generates itself, so that every message of a
 * call lands on the same thread without a global lookup:
 * <ul>
 *   <li>our To-tags start with the shard index ("3-9f2c..."), so in-dialog requests and the ACK
 *       of a 2xx find the shard of the dialog;</li>
 *   <li>our branches start with the magic cookie and the shard index ("z9hG4bK-3-..."), so
 *       responses find the shard of their client transaction;</li>
 *   <li>the Call-IDs of our UAC legs start with the shard index too ("3-9f2c..."), so a message
 *       of that leg without our tag or branch still finds the call's shard;</li>
 *   <li>a request from outside without our tag (a new INVITE, its retransmissions, its CANCEL
 *       and its non-2xx ACK) hashes its Call-ID, which all of those share, and which also brings
 *       a merged copy of a request (same Call-ID, another branch, §8.2.2.2) to the same shard.
 *       An outside Call-ID that happens to look like ours ("1-4711@host") maps to a fixed shard
 *       all the same: all that matters is that one Call-ID always maps to one shard.</li>
 * </ul>
 */
final class ShardKeys {
    static final String BRANCH_PREFIX = Via.MAGIC_COOKIE + "-";

    private final int shards;

    ShardKeys(int shards) {
        this.shards = shards;
    }

    int shardOf(SipMessage message) {
        if (message instanceof SipRequest) {
            int ourTag = indexPrefix(message.toTag(), 0);
            if (ourTag >= 0) {
                return ourTag;
            }
            return byCallId(message.callId());
        }
        int fromBranch = indexPrefix(message.topVia().branch(), BRANCH_PREFIX.length());
        return fromBranch >= 0 ? fromBranch : byCallId(message.callId());
    }

    private int byCallId(String callId) {
        int ours = indexPrefix(callId, 0);
        return ours >= 0 ? ours : Math.floorMod(callId.hashCode(), shards);
    }

    /** The shard a Call-ID of ours (a UAC leg's, i.e. a call's id) was made on, or -1 when it is not ours. */
    int shardOfOurCallId(String callId) {
        return indexPrefix(callId, 0);
    }

    /**
     * A Call-ID for a UAC leg created on {@code shard} (RFC 3261 §8.1.1.4: globally unique; 128
     * random bits, and no host name, which would tell the far side where we are).
     */
    String newCallId(int shard) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return shard + "-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    /** A To-tag for a dialog or response created on {@code shard}. */
    String newTag(int shard) {
        return shard + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** A branch for a client transaction created on {@code shard} (RFC 3261 §8.1.1.7). */
    String newBranch(int shard) {
        return BRANCH_PREFIX + shard + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** The shard index that {@code value} starts with at {@code from} ("12-..."), or -1. */
    private int indexPrefix(String value, int from) {
        if (value == null || (from > 0 && !value.startsWith(BRANCH_PREFIX))) {
            return -1;
        }
        int n = 0;
        int i = from;
        while (i < value.length() && i - from < 4 && Character.isDigit(value.charAt(i))) {
            n = n * 10 + (value.charAt(i) - '0');
            i++;
        }
        return i > from && i < value.length() && value.charAt(i) == '-' && n < shards ? n : -1;
    }
}
