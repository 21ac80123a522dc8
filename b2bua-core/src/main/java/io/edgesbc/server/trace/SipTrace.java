package io.edgesbc.server.trace;

import io.edgesbc.policy.match.CidrBlock;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.parse.SipWriter;
import io.edgesbc.sip.transport.InboundMessage;
import io.edgesbc.sip.transport.MessageObserver;
import io.edgesbc.sip.transport.MessageSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SIP trace: full messages, in and out, of the calls an operator asked for, written to the
 * logger {@value #LOGGER} (its own appender and file in logback.xml). Off by default; switched
 * on and off at run time by the admin API ({@code POST/DELETE /trace}) for a Call-ID, a realm,
 * or remote addresses (a CIDR block, or a policy trunk's source blocks and targets).
 *
 * <p>One call, both legs: the legs have different Call-IDs (topology hiding), so a traced
 * message <em>links</em> the Call-IDs of what EdgeSBC sends while handling it. The SIP core marks
 * its shard while it handles a traced message ({@link #received}) and calls {@link #link} for
 * each request it sends then (the UAC leg's INVITE for a traced caller, a BYE relayed to the
 * other leg), before the message is handed to the transport; from then on that Call-ID is traced
 * too. Linked Call-IDs are bounded ({@link #MAX_CALL_IDS}) and forgotten by {@link #clear}.
 *
 * <p>Cost when off: one volatile read per message received (on the shard) and one per message
 * sent (on the event loop). Threading: {@link #received} runs on shards, {@link #sent} on event
 * loops, the switches on the admin event loop; the filter is an immutable value swapped whole,
 * except its Call-ID set, which is concurrent.
 */
public final class SipTrace implements MessageObserver {

    public static final String LOGGER = "edgesbc.sip.trace";
    /** The MDC key of the call a log line is about (the Call-ID of the message being handled). */
    public static final String MDC_CALL = "call";
    /** Linked and requested Call-IDs kept at most; beyond that no new Call-ID is linked. */
    static final int MAX_CALL_IDS = 10_000;

    private static final Logger trace = LoggerFactory.getLogger(LOGGER);
    private static final Logger log = LoggerFactory.getLogger(SipTrace.class);

    /** A remote address block to trace, with what the operator named (a CIDR or "trunk NAME"). */
    public record Block(CidrBlock cidr, String label) {
    }

    /** What is traced; null in {@link #filter} when nothing is. */
    private record Filter(Set<String> callIds, Set<String> requestedCallIds, Set<String> realms, List<Block> blocks,
                          Set<String> trunks) {
        boolean matches(String callId, String realm, InetAddress remote) {
            if (callId != null && callIds.contains(callId)) {
                return true;
            }
            if (realm != null && realms.contains(realm)) {
                return true;
            }
            if (remote != null) {
                for (Block b : blocks) {
                    if (b.cidr().contains(remote)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private volatile Filter filter;

    // ---- the message path ----

    /**
     * A message the SIP core is about to handle on its shard: logged when traced. Returns whether
     * it was, so that what is sent while handling it can be {@link #link linked}.
     */
    public boolean received(InboundMessage inbound) {
        Filter f = filter;
        if (f == null) {
            return false;
        }
        SipMessage message = inbound.message();
        MessageSource source = inbound.source();
        if (!f.matches(message.callId(), source.realm(), source.remote().getAddress())) {
            return false;
        }
        write("IN", message, source.realm() + " " + source.transport().name().toLowerCase(java.util.Locale.ROOT)
                + " from " + hostPort(source.remote()) + " on " + hostPort(source.listenPoint().address()));
        return true;
    }

    /** The transport sends a message (event loop): logged when traced. */
    @Override
    public void sent(SipMessage message, String realm, InetSocketAddress destination) {
        Filter f = filter;
        if (f == null) {
            return;
        }
        if (f.matches(message.callId(), realm, destination == null ? null : destination.getAddress())) {
            write("OUT", message, realm + " to " + (destination == null ? "?" : hostPort(destination)));
        }
    }

    @Override
    public void sent(SipMessage message, String realm) {
        sent(message, realm, null);
    }

    @Override
    public void received(SipMessage message, MessageSource source) {
        // Received messages are traced by the SIP core on the call's shard (see received(InboundMessage)),
        // where what they cause to be sent can be linked to them.
    }

    /**
     * Traces {@code callId} from now on because a traced message caused a message with it to be
     * sent (the other leg of a traced call). Call before handing that message to the transport.
     */
    public void link(String callId) {
        Filter f = filter;
        if (f == null || callId == null || f.callIds().contains(callId)) {
            return;
        }
        if (f.callIds().size() >= MAX_CALL_IDS) {
            return; // bounded: a trace left on for a busy trunk must not grow without end
        }
        f.callIds().add(callId);
    }

    private static void write(String direction, SipMessage message, String where) {
        String previous = MDC.get(MDC_CALL);
        MDC.put(MDC_CALL, message.callId());
        try {
            trace.info("{} {}\n{}", direction, where, new String(SipWriter.toBytes(message), StandardCharsets.UTF_8));
        } finally {
            if (previous == null) {
                MDC.remove(MDC_CALL);
            } else {
                MDC.put(MDC_CALL, previous);
            }
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    // ---- the switches (admin API) ----

    /** Traces these Call-IDs (a call's two legs, or one Call-ID that has not arrived yet). */
    public synchronized void addCallIds(List<String> callIds, String requested) {
        Filter f = current();
        f.callIds().addAll(callIds);
        f.requestedCallIds().add(requested);
        filter = f;
        log.info("SIP trace on for call {} (Call-IDs {})", requested, callIds);
    }

    public synchronized void addRealm(String realm) {
        Filter f = current();
        Set<String> realms = new LinkedHashSet<>(f.realms());
        realms.add(realm);
        filter = new Filter(f.callIds(), f.requestedCallIds(), Set.copyOf(realms), f.blocks(), f.trunks());
        log.info("SIP trace on for realm {}", realm);
    }

    /** Traces messages from and to these address blocks; {@code trunk} names the trunk they are, or null. */
    public synchronized void addBlocks(List<Block> blocks, String trunk) {
        Filter f = current();
        List<Block> all = new ArrayList<>(f.blocks());
        all.addAll(blocks);
        Set<String> trunks = new LinkedHashSet<>(f.trunks());
        if (trunk != null) {
            trunks.add(trunk);
        }
        filter = new Filter(f.callIds(), f.requestedCallIds(), f.realms(), List.copyOf(all), Set.copyOf(trunks));
        log.info("SIP trace on for {}", blocks.stream().map(Block::label).toList());
    }

    /** Switches the trace off and forgets every Call-ID, realm and address. */
    public synchronized void clear() {
        filter = null;
    }

    public boolean active() {
        return filter != null;
    }

    /** What is traced now, for the admin API. */
    public Map<String, Object> describe() {
        Filter f = filter;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", f != null);
        m.put("call_ids", f == null ? List.of() : List.copyOf(f.requestedCallIds()));
        m.put("linked_call_ids", f == null ? 0 : f.callIds().size());
        m.put("realms", f == null ? List.of() : List.copyOf(f.realms()));
        m.put("addresses", f == null ? List.of() : f.blocks().stream().map(Block::label).toList());
        m.put("trunks", f == null ? List.of() : List.copyOf(f.trunks()));
        m.put("logger", LOGGER);
        return m;
    }

    private Filter current() {
        Filter f = filter;
        return f != null ? f : new Filter(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), Set.of(),
                List.of(), Set.of());
    }
}
