package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.CSeq;
import io.edgesbc.sip.message.ContactList;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.NameAddr;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.message.Uri;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The state of one dialog (RFC 3261 §12.1): its id, state, route set, remote target, local and
 * remote CSeq, local and remote URI and the secure flag; and what follows from it: accepting a
 * request from the peer (§12.2.2) and building a request to it (§12.2.1.1).
 *
 * <p>Threading: single owner. A dialog belongs to the event loop of its call and is changed only
 * there ({@link #acceptRemoteRequest}, {@link #newRequest}, {@link #onRemoteResponse} ...); it is
 * not thread-safe by design. Messages it returns are immutable.
 */
public final class Dialog {

    /** Which side of the dialog-creating transaction we were. */
    public enum Role { UAC, UAS }

    /** Methods whose Contact replaces the remote target (§12.2, RFC 3311 UPDATE, RFC 6665, RFC 3515). */
    private static final Set<String> TARGET_REFRESH = Set.of("INVITE", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER");

    /** §8.1.1.6. */
    private static final int MAX_FORWARDS = 70;

    /** An empty sequence number (§12.1.1: the UAS's local, §12.1.2: the UAC's remote). */
    public static final long EMPTY = -1;

    private final DialogId id;
    private final Role role;
    private final NameAddr localUri;
    private final NameAddr remoteUri;
    private final boolean secure;
    private final Uri localTarget;
    private DialogState state;
    private List<NameAddr> routeSet;
    private Uri remoteTarget;
    private long localSeq;
    private long remoteSeq;

    private Dialog(DialogId id, Role role, DialogState state, List<NameAddr> routeSet, Uri remoteTarget,
                   Uri localTarget, long localSeq, long remoteSeq, NameAddr localUri, NameAddr remoteUri,
                   boolean secure) {
        this.id = id;
        this.role = role;
        this.state = state;
        this.routeSet = List.copyOf(routeSet);
        this.remoteTarget = Objects.requireNonNull(remoteTarget, "remote target (Contact)");
        this.localTarget = localTarget;
        this.localSeq = localSeq;
        this.remoteSeq = remoteSeq;
        this.localUri = localUri.withoutParameter("tag");
        this.remoteUri = remoteUri.withoutParameter("tag");
        this.secure = secure;
    }

    /**
     * The UAS side (§12.1.1): from the dialog-creating request and the response we send to it
     * (a 101-199 with To-tag makes an EARLY dialog, a 2xx a CONFIRMED one). The route set is the
     * request's Record-Route in order; the remote target its Contact; the remote CSeq its CSeq;
     * the local CSeq is empty.
     *
     * @param arrivedOverTls whether the request came over TLS; with a SIPS Request-URI that makes
     *        the dialog secure
     * @throws IllegalArgumentException when the response cannot create a dialog or the request has
     *         no Contact
     */
    public static Dialog uas(SipRequest request, SipResponse response, boolean arrivedOverTls) {
        DialogState state = creatingState(response);
        String localTag = response.toTag();
        if (localTag == null) {
            throw new IllegalArgumentException("the response has no To-tag (§12.1.1)");
        }
        DialogId id = new DialogId(request.callId(), localTag, request.fromTag());
        boolean secure = arrivedOverTls && "sips".equals(request.requestUri().scheme());
        return new Dialog(id, Role.UAS, state, request.recordRoute(), contactUri(request, "request"),
                optionalContactUri(response), EMPTY, request.cseq().number(), request.to(), request.from(), secure);
    }

    /**
     * The UAC side (§12.1.2): from a response to our dialog-creating request (1xx with To-tag:
     * EARLY; 2xx: CONFIRMED). The route set is the response's Record-Route in reverse order; the
     * remote target its Contact; the local CSeq the request's (the response's CSeq); the remote
     * CSeq is empty. A response without To-tag (RFC 2543) gives an empty remote tag.
     *
     * @param localTarget our Contact in the request, sent again in target refresh requests; null
     *        when we send none
     * @param secure the request was sent over TLS with a SIPS Request-URI (§12.1.2)
     */
    public static Dialog uac(SipResponse response, Uri localTarget, boolean secure) {
        DialogState state = creatingState(response);
        List<NameAddr> routes = new ArrayList<>(response.recordRoute());
        Collections.reverse(routes);
        return new Dialog(DialogId.ofReceivedResponse(response), Role.UAC, state, routes,
                contactUri(response, "response"), localTarget, response.cseq().number(), EMPTY, response.from(),
                response.to(), secure);
    }

    private static DialogState creatingState(SipResponse response) {
        int code = response.statusCode();
        if (code > 100 && code < 200) {
            return DialogState.EARLY;
        }
        if (code >= 200 && code < 300) {
            return DialogState.CONFIRMED;
        }
        throw new IllegalArgumentException("a " + code + " does not create a dialog (§12.1)");
    }

    private static Uri contactUri(SipMessage m, String what) {
        Uri uri = m instanceof SipResponse r ? optionalContactUri(r) : firstContact(m.contact());
        if (uri == null) {
            throw new IllegalArgumentException("the " + what + " has no Contact to be the remote target (§12.1)");
        }
        return uri;
    }

    private static Uri optionalContactUri(SipResponse response) {
        return firstContact(response.contact());
    }

    private static Uri firstContact(ContactList contacts) {
        if (contacts == null || contacts.isWildcard() || contacts.contacts().isEmpty()) {
            return null;
        }
        return contacts.contacts().get(0).uri();
    }

    // ---- the peer's requests (§12.2.2) -------------------------------------------------------

    /**
     * Accepts a request the peer sent within this dialog (§12.2.2): a CSeq lower than the remote
     * CSeq is out of order and gets 500 (an ACK is dropped instead); otherwise the remote CSeq
     * becomes the request's and a target refresh request's Contact becomes the remote target.
     * An equal CSeq passes (ACK and CANCEL repeat the INVITE's; retransmissions are the
     * transaction layer's).
     *
     * <p>Simplification: the remote target is replaced when the request is accepted here, not
     * only once the TU accepted a re-INVITE (RFC 6141 refines this; not done).
     */
    public UasVerdict acceptRemoteRequest(SipRequest request) {
        long seq = request.cseq().number();
        if (remoteSeq != EMPTY && seq < remoteSeq) {
            String why = "CSeq " + seq + " lower than the remote CSeq " + remoteSeq;
            if ("ACK".equals(request.method())) {
                return new UasVerdict.Drop(why);
            }
            return new UasVerdict.Respond(
                    UasResponses.to(request, 500, "Server Internal Error", null).build(), why);
        }
        if (!"ACK".equals(request.method()) && !"CANCEL".equals(request.method())) {
            remoteSeq = seq;
        } else if (remoteSeq == EMPTY) {
            remoteSeq = seq;
        }
        if (TARGET_REFRESH.contains(request.method())) {
            Uri target = firstContact(request.contact());
            if (target != null) {
                remoteTarget = target;
            }
        }
        return UasVerdict.pass();
    }

    // ---- responses -------------------------------------------------------------------------

    /**
     * A response the peer sent to our request within this dialog (UAC role of that transaction):
     * a 2xx to INVITE confirms an early dialog and recomputes the route set from its Record-Route
     * (§12.1.2, §13.2.2.4); a 2xx to a target refresh replaces the remote target (§12.2.1.2); a
     * non-2xx final to INVITE ends an early dialog; 481 and 408 end the dialog (§12.2.1.2).
     */
    public void onRemoteResponse(SipResponse response) {
        int code = response.statusCode();
        String method = response.method();
        if (code == 481 || code == 408) {
            state = DialogState.TERMINATED;
            return;
        }
        if (code >= 200 && code < 300) {
            if (state == DialogState.EARLY && "INVITE".equals(method) && role == Role.UAC) {
                List<NameAddr> routes = new ArrayList<>(response.recordRoute());
                Collections.reverse(routes);
                routeSet = List.copyOf(routes);
                state = DialogState.CONFIRMED;
            }
            if (TARGET_REFRESH.contains(method)) {
                Uri target = firstContact(response.contact());
                if (target != null) {
                    remoteTarget = target;
                }
            }
        } else if (code >= 300 && state == DialogState.EARLY && "INVITE".equals(method)) {
            state = DialogState.TERMINATED;
        }
    }

    /**
     * A response we send to the dialog-creating INVITE (UAS role): a 2xx confirms an early dialog,
     * a non-2xx final ends it (§12.1.1, §13.3.1.4).
     */
    public void onLocalResponse(SipResponse response) {
        if (state != DialogState.EARLY || !"INVITE".equals(response.method())) {
            return;
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            state = DialogState.CONFIRMED;
        } else if (code >= 300) {
            state = DialogState.TERMINATED;
        }
    }

    /** The dialog ends (BYE sent or received, §15). */
    public void terminate() {
        state = DialogState.TERMINATED;
    }

    // ---- our requests (§12.2.1.1) -----------------------------------------------------------

    /**
     * A request within this dialog (§12.2.1.1): To is the remote URI with the remote tag, From the
     * local URI with the local tag, the dialog's Call-ID, the local CSeq plus one (an empty local
     * CSeq starts at 1, an arbitrary value §8.1.1.5 allows), Max-Forwards 70, our Contact for a
     * target refresh request. Request-URI and Route follow the route set: with no route set the
     * Request-URI is the remote target; when the first route is a loose router (";lr") the
     * Request-URI is the remote target and Route is the route set; otherwise (strict router) the
     * Request-URI is the first route's URI without the parameters a Request-URI may not carry
     * (§19.1.1: method, headers) and Route is the rest of the route set followed by the remote
     * target. The transaction layer adds the Via (§8.1.1.7).
     *
     * @throws IllegalArgumentException for ACK (use {@link #ack}) and CANCEL (built from the
     *         request it cancels, §9.1)
     * @throws IllegalStateException when the dialog is terminated
     */
    public SipRequest newRequest(String method) {
        if ("ACK".equals(method) || "CANCEL".equals(method)) {
            throw new IllegalArgumentException(method + " is not built from the dialog's CSeq (§9.1, §13.2.2.4)");
        }
        if (state == DialogState.TERMINATED) {
            throw new IllegalStateException("dialog " + id + " is terminated");
        }
        localSeq = localSeq == EMPTY ? 1 : localSeq + 1;
        return build(method, localSeq);
    }

    /** The ACK for a 2xx to the INVITE with CSeq number {@code inviteSeq} (§13.2.2.4). */
    public SipRequest ack(long inviteSeq) {
        return build("ACK", inviteSeq);
    }

    private SipRequest build(String method, long seq) {
        Uri requestUri;
        List<String> routes = new ArrayList<>(routeSet.size() + 1);
        if (routeSet.isEmpty()) {
            requestUri = remoteTarget;
        } else if (routeSet.get(0).uri() instanceof SipUri first && !first.looseRouting()) {
            // §12.2.1.1 strict routing: the first route becomes the Request-URI.
            requestUri = first.toBuilder().removeParam("method").build();
            if (!first.headers().isEmpty()) {
                SipUri.Builder b = ((SipUri) requestUri).toBuilder();
                for (String h : first.headers().keySet()) {
                    b.removeHeader(h);
                }
                requestUri = b.build();
            }
            for (int i = 1; i < routeSet.size(); i++) {
                routes.add(routeSet.get(i).toString());
            }
            routes.add("<" + remoteTarget + ">");
        } else {
            requestUri = remoteTarget;
            for (NameAddr route : routeSet) {
                routes.add(route.toString());
            }
        }
        SipRequest.Builder b = SipRequest.builder(method, requestUri);
        for (String route : routes) {
            b.add(HeaderName.ROUTE, route);
        }
        b.add(HeaderName.MAX_FORWARDS, Integer.toString(MAX_FORWARDS))
                .add(HeaderName.TO, tagged(remoteUri, id.remoteTag()))
                .add(HeaderName.FROM, tagged(localUri, id.localTag()))
                .add(HeaderName.CALL_ID, id.callId())
                .add(HeaderName.CSEQ, new CSeq(seq, method).toString());
        if (localTarget != null && TARGET_REFRESH.contains(method)) {
            b.add(HeaderName.CONTACT, "<" + localTarget + ">");
        }
        return b.build();
    }

    private static String tagged(NameAddr uri, String tag) {
        return (tag.isEmpty() ? uri : uri.withParameter("tag", tag)).toString();
    }

    // ---- state -------------------------------------------------------------------------------

    public DialogId id() {
        return id;
    }

    public Role role() {
        return role;
    }

    public DialogState state() {
        return state;
    }

    /** Route set in the order Route headers are sent (§12.1.1 as received by a UAS, §12.1.2 reversed at a UAC). */
    public List<NameAddr> routeSet() {
        return routeSet;
    }

    public Uri remoteTarget() {
        return remoteTarget;
    }

    /** Our Contact, or null. */
    public Uri localTarget() {
        return localTarget;
    }

    /** The local CSeq number, or {@link #EMPTY}. */
    public long localSeq() {
        return localSeq;
    }

    /** The remote CSeq number, or {@link #EMPTY}. */
    public long remoteSeq() {
        return remoteSeq;
    }

    /** Our URI (From of our requests), without tag. */
    public NameAddr localUri() {
        return localUri;
    }

    /** The peer's URI (To of our requests), without tag. */
    public NameAddr remoteUri() {
        return remoteUri;
    }

    public boolean secure() {
        return secure;
    }

    @Override
    public String toString() {
        return "Dialog[" + id + ", " + role + ", " + state + ", local " + localSeq + ", remote " + remoteSeq + "]";
    }
}
