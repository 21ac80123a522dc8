package io.edgesbc.sip.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The value of a Contact header (RFC 3261 §20.10): either the wildcard "*" (only meaningful in a
 * REGISTER with Expires: 0, §10.2.2) or one or more contact-params.
 */
public final class ContactList {
    private static final ContactList WILDCARD = new ContactList(true, List.of());

    private final boolean wildcard;
    private final List<NameAddr> contacts;

    private ContactList(boolean wildcard, List<NameAddr> contacts) {
        this.wildcard = wildcard;
        this.contacts = contacts;
    }

    /** The wildcard value "*". */
    public static ContactList wildcard() {
        return WILDCARD;
    }

    /** A list of contacts (at least one). */
    public static ContactList of(List<NameAddr> contacts) {
        if (contacts.isEmpty()) {
            throw new SipSyntaxException("Contact needs at least one contact-param", -1);
        }
        return new ContactList(false, List.copyOf(contacts));
    }

    /**
     * Parses Contact = ( STAR / (contact-param *(COMMA contact-param)) ). The q and expires
     * contact-params are checked here (c-p-q = qvalue, c-p-expires = delta-seconds).
     *
     * @throws SipSyntaxException on an empty value or a malformed contact
     */
    public static ContactList parse(String headerValue) {
        Scanner s = new Scanner(headerValue);
        s.sws();
        if (s.accept('*')) {
            s.sws();
            if (s.atEnd()) {
                return WILDCARD;
            }
            s.pos = 0;
        }
        List<int[]> ranges = HeaderValues.ranges(headerValue);
        if (ranges.isEmpty()) {
            throw s.fail("empty Contact", 0);
        }
        List<NameAddr> out = new ArrayList<>(ranges.size());
        for (int[] r : ranges) {
            out.add(contactParam(headerValue, r[0], r[1]));
        }
        return new ContactList(false, Collections.unmodifiableList(out));
    }

    /** contact-param = (name-addr / addr-spec) *(SEMI contact-params). */
    private static NameAddr contactParam(String value, int from, int to) {
        try {
            NameAddr contact = NameAddr.parse(value.substring(from, to));
            contact.q();
            contact.expires();
            return contact;
        } catch (SipSyntaxException e) {
            throw new SipSyntaxException(e.reason(), from + Math.max(e.offset(), 0));
        }
    }

    public boolean isWildcard() {
        return wildcard;
    }

    /** The contacts in order; empty for the wildcard. */
    public List<NameAddr> contacts() {
        return contacts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContactList c && wildcard == c.wildcard && contacts.equals(c.contacts);
    }

    @Override
    public int hashCode() {
        return wildcard ? 1 : contacts.hashCode();
    }

    /** "*" or the contacts joined by ", ". */
    @Override
    public String toString() {
        if (wildcard) {
            return "*";
        }
        StringBuilder b = new StringBuilder();
        for (NameAddr c : contacts) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(c);
        }
        return b.toString();
    }
}
