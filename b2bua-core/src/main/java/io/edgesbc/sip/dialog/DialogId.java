package io.edgesbc.sip.dialog;

import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import java.util.Objects;

/**
 * A dialog's identity (RFC 3261 §12): Call-ID, local tag, remote tag, seen from our side.
 * An RFC 2543 peer may send no tag (§12.1.2, §12.2.2: "considered to have a value of null"); such
 * an absent tag is the empty string here, which no real tag can be.
 */
public record DialogId(String callId, String localTag, String remoteTag) {

    public DialogId {
        Objects.requireNonNull(callId, "callId");
        localTag = localTag == null ? "" : localTag;
        remoteTag = remoteTag == null ? "" : remoteTag;
    }

    /** §12.2.2: for a request we receive, the local tag is its To-tag and the remote tag its From-tag. */
    public static DialogId ofReceivedRequest(SipRequest request) {
        return new DialogId(request.callId(), request.toTag(), request.fromTag());
    }

    /** §12.1.2: for a response we receive as UAC, the local tag is its From-tag, the remote its To-tag. */
    public static DialogId ofReceivedResponse(SipResponse response) {
        return new DialogId(response.callId(), response.fromTag(), response.toTag());
    }
}
