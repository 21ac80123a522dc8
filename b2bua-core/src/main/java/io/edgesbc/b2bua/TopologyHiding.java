package io.edgesbc.b2bua;

import io.edgesbc.sip.message.Header;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.HeaderValues;
import io.edgesbc.sip.message.SipMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which header lines of a message received on one leg are copied into the message EdgeSBC sends
 * on the other leg. The rule is "pass by default", except:
 * <ul>
 *   <li>the topology and identity headers, which each leg makes for itself and which never pass:
 *       Via, Route, Record-Route, Contact, Call-ID, From, To (their tags), CSeq, Max-Forwards,
 *       Content-Length, and RSeq/RAck (reliable provisionals are numbered per leg, RFC 3262);</li>
 *   <li>headers the call maps itself: Refer-To, Referred-By, Replaces (they name dialogs and
 *       hosts of one side; see {@link ReferMapping});</li>
 *   <li>the default removal list, headers that name hosts or paths of the other side's network:
 *       Path (RFC 3327), Service-Route (RFC 3608), History-Info (RFC 7044), P-Charging-Vector
 *       (RFC 7315), Warning (its warn-agent is a host, RFC 3261 §20.43) — an operator may let
 *       any of these pass, and may remove more (e.g. Server, User-Agent);</li>
 *   <li>the option tag 100rel in Supported and Require: each leg negotiates it for itself.</li>
 * </ul>
 */
final class TopologyHiding {

    private static final Set<HeaderName> OWN_PER_LEG = Set.of(HeaderName.VIA, HeaderName.ROUTE,
            HeaderName.RECORD_ROUTE, HeaderName.CONTACT, HeaderName.CALL_ID, HeaderName.FROM, HeaderName.TO,
            HeaderName.CSEQ, HeaderName.MAX_FORWARDS, HeaderName.CONTENT_LENGTH, HeaderName.RSEQ, HeaderName.RACK,
            HeaderName.REFER_TO, HeaderName.REFERRED_BY, HeaderName.REPLACES);

    /** The default removal list. */
    static final Set<HeaderName> DEFAULT_REMOVED = Set.of(HeaderName.PATH, HeaderName.SERVICE_ROUTE,
            HeaderName.WARNING, HeaderName.of("History-Info"), HeaderName.of("P-Charging-Vector"));

    private final Set<HeaderName> removed;

    /** The default policy. */
    TopologyHiding() {
        this(Set.of(), Set.of());
    }

    /**
     * @param alsoRemoved header names removed on top of the default list
     * @param passed      names of the default list that pass after all
     */
    TopologyHiding(Set<String> alsoRemoved, Set<String> passed) {
        Set<HeaderName> set = new HashSet<>(DEFAULT_REMOVED);
        for (String name : passed) {
            set.remove(HeaderName.of(name));
        }
        for (String name : alsoRemoved) {
            set.add(HeaderName.of(name));
        }
        this.removed = Set.copyOf(set);
    }

    boolean copied(HeaderName name) {
        return !OWN_PER_LEG.contains(name) && !removed.contains(name);
    }

    /** Appends the lines of {@code from} that pass to {@code to}, in their order. */
    void copyHeaders(SipMessage from, SipMessage.Builder<?, ?> to) {
        for (Header header : from.headers()) {
            HeaderName name = header.name();
            if (!copied(name)) {
                continue;
            }
            if (name.equals(HeaderName.SUPPORTED) || name.equals(HeaderName.REQUIRE)) {
                String kept = without100rel(header.value());
                if (!kept.isEmpty()) {
                    to.add(name, kept);
                }
                continue;
            }
            to.add(name, header.value());
        }
    }

    private static String without100rel(String list) {
        List<String> tags = HeaderValues.splitList(list);
        StringBuilder b = new StringBuilder(list.length());
        for (String tag : tags) {
            String t = tag.trim();
            if (t.isEmpty() || t.equalsIgnoreCase("100rel")) {
                continue;
            }
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(t);
        }
        return b.toString();
    }
}
