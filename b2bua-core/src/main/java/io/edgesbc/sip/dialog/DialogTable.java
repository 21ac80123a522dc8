package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dialogs of one event loop, by {@link DialogId}, and the §12.2.2 dispatch of requests that
 * arrive with a To-tag.
 *
 * <p>Threading: owned by one event-loop thread and <b>not thread-safe by design</b>: every call
 * whose dialogs live here runs on that thread, so there are no locks. Another thread must hand its
 * work to the owner instead of calling in.
 */
public final class DialogTable {

    /** Where a received request belongs. */
    public sealed interface Match {
        /** No To-tag: a request outside any dialog; run {@link UasChecks} on it. */
        record OutsideDialog() implements Match {
        }

        /** In this dialog, and accepted by it (§12.2.2). */
        record InDialog(Dialog dialog) implements Match {
        }

        /** Answered (481 no such dialog, 500 CSeq out of order) or, for ACK, dropped. */
        record Rejected(UasVerdict verdict) implements Match {
        }
    }

    private final Map<DialogId, Dialog> dialogs = new HashMap<>();

    /**
     * Adds a new dialog.
     *
     * @throws IllegalStateException if a dialog with its id is already there
     */
    public Dialog add(Dialog dialog) {
        Dialog previous = dialogs.putIfAbsent(dialog.id(), Objects.requireNonNull(dialog));
        if (previous != null) {
            throw new IllegalStateException("dialog " + dialog.id() + " exists");
        }
        return dialog;
    }

    public Optional<Dialog> find(DialogId id) {
        return Optional.ofNullable(dialogs.get(id));
    }

    /** The UAC dialog a response we received belongs to (§12.1.2: From-tag local, To-tag remote). */
    public Optional<Dialog> findForResponse(SipResponse response) {
        return find(DialogId.ofReceivedResponse(response));
    }

    public Optional<Dialog> remove(DialogId id) {
        return Optional.ofNullable(dialogs.remove(id));
    }

    public int size() {
        return dialogs.size();
    }

    /**
     * Where {@code request} belongs (§12.2.2). Without To-tag it is outside any dialog. With one it
     * must match a dialog that is not terminated, else 481 Call/Transaction Does Not Exist (an ACK
     * is dropped instead); a match is then accepted by the dialog, which may answer 500 for a CSeq
     * out of order ({@link Dialog#acceptRemoteRequest}).
     */
    public Match receive(SipRequest request) {
        if (request.toTag() == null) {
            return new Match.OutsideDialog();
        }
        Dialog dialog = dialogs.get(DialogId.ofReceivedRequest(request));
        if (dialog == null || dialog.state() == DialogState.TERMINATED) {
            String why = "no dialog " + DialogId.ofReceivedRequest(request);
            if ("ACK".equals(request.method())) {
                return new Match.Rejected(new UasVerdict.Drop(why));
            }
            return new Match.Rejected(new UasVerdict.Respond(
                    UasResponses.to(request, 481, "Call/Transaction Does Not Exist", null).build(), why));
        }
        UasVerdict verdict = dialog.acceptRemoteRequest(request);
        return verdict.passed() ? new Match.InDialog(dialog) : new Match.Rejected(verdict);
    }
}
