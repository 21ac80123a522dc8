package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.CSeq;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.Via;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers recent requests outside a dialog to detect merged requests (RFC 3261 §8.2.2.2): a
 * request without To-tag whose From-tag, Call-ID and CSeq equal those of an ongoing transaction
 * which it does not match by the §17.2.3 rules (another top Via branch or sent-by) reached us twice
 * over different paths, typically a forking proxy upstream, and is answered with 482.
 *
 * <p>An entry lives as long as the server transaction it stands for could: {@link #DEFAULT_LIFETIME}
 * is 64*T1 (32 s), the longest of Timer H and Timer J (§17.2.1, §17.2.2) with the default T1.
 * Expired entries are forgotten on the next call; the oldest entries are evicted beyond
 * {@code maxEntries} so that a flood cannot grow the table without bound.
 *
 * <p>Requests that cannot be keyed are ignored: ACK (never answered), requests with a To-tag (in a
 * dialog) and RFC 2543 requests without From-tag.
 *
 * <p>Threading: owned by one event-loop thread, not thread-safe by design. Time comes from the
 * injected {@link Clock}.
 */
public final class MergedRequestDetector {

    /** 64*T1 with T1 = 500 ms (RFC 3261 §17.1.1.1, Table 4). */
    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(32);
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private record Key(String callId, String fromTag, long seq, String method) {
    }

    /** Identity of the transaction that owns a key (§17.2.3), and when it expires. */
    private record Entry(String transaction, Instant expires) {
    }

    private final Clock clock;
    private final Duration lifetime;
    private final int maxEntries;
    /** Insertion order; with one lifetime for all entries that is also expiry order. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>();

    public MergedRequestDetector(Clock clock, Duration lifetime, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive: " + lifetime);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    public MergedRequestDetector(Clock clock) {
        this(clock, DEFAULT_LIFETIME, DEFAULT_MAX_ENTRIES);
    }

    /**
     * Whether {@code request} is merged with a request recorded earlier: same From-tag, Call-ID and
     * CSeq, another transaction. A retransmission (same transaction) is not merged.
     */
    public boolean isMerged(SipRequest request) {
        Key key = key(request);
        if (key == null) {
            return false;
        }
        expire();
        Entry entry = entries.get(key);
        return entry != null && !entry.transaction.equals(transaction(request));
    }

    /**
     * Records {@code request} as an ongoing transaction; call it when a server transaction is
     * created for a request outside a dialog. A key already recorded keeps its first transaction
     * and expiry (a merged request must not take over).
     */
    public void record(SipRequest request) {
        Key key = key(request);
        if (key == null) {
            return;
        }
        expire();
        if (entries.containsKey(key)) {
            return;
        }
        entries.put(key, new Entry(transaction(request), clock.instant().plus(lifetime)));
        if (entries.size() > maxEntries) {
            Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
            it.next();
            it.remove();
        }
    }

    /** {@link #isMerged} and, when it is not merged, {@link #record}. */
    public boolean observe(SipRequest request) {
        if (isMerged(request)) {
            return true;
        }
        record(request);
        return false;
    }

    /** Entries not yet expired (after forgetting the expired ones). */
    public int size() {
        expire();
        return entries.size();
    }

    private void expire() {
        Instant now = clock.instant();
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (it.next().expires.isAfter(now)) {
                return;
            }
            it.remove();
        }
    }

    private static Key key(SipRequest request) {
        if ("ACK".equals(request.method())) {
            return null;
        }
        String fromTag = request.fromTag();
        CSeq cseq = request.cseq();
        String callId = request.callId();
        if (request.toTag() != null || fromTag == null || cseq == null || callId == null) {
            return null;
        }
        return new Key(callId, fromTag, cseq.number(), cseq.method());
    }

    /**
     * §17.2.3: with the magic cookie a transaction is its branch and sent-by (the method is in the
     * key); an RFC 2543 request is matched on its whole top Via and Request-URI.
     */
    private static String transaction(SipRequest request) {
        Via top = request.topVia();
        if (top == null) {
            return "|" + request.requestUri();
        }
        if (top.hasMagicCookie()) {
            return top.branch() + '|' + top.host() + ':' + top.port();
        }
        return top + "|" + request.requestUri();
    }
}
