package io.edgesbc.sip.dialog;

/**
 * The states of a dialog (RFC 3261 §12): created by a provisional response with a To-tag (EARLY)
 * or by a 2xx (CONFIRMED); ended by BYE, a non-2xx final answer to the creating INVITE, or a 481 /
 * 408 to a request within it (§12.2.1.2, §12.3).
 *
 * <pre>
 *   1xx with To-tag ──► EARLY ──2xx──► CONFIRMED ──BYE / 481 / 408──► TERMINATED
 *                         │                                               ▲
 *                         └──────────── non-2xx final ───────────────────┘
 * </pre>
 */
public enum DialogState {
    EARLY,
    CONFIRMED,
    TERMINATED
}
