package io.edgesbc.server;

import java.net.InetAddress;

/**
 * The first check of every request, before transactions, dialogs or calls see it: the policy's
 * flood guard (per-source request rate with a temporary ban). Runs on the shard thread of the
 * request; must not block.
 */
@FunctionalInterface
interface RequestScreen {

    RequestScreen NONE = (source, realm) -> null;

    /** A refused request is answered with this, statelessly (an ACK is dropped). */
    record Refusal(int code, String reason, int retryAfterSeconds) {
    }

    /** Null to process the request from {@code source} on {@code realm}, else how to refuse it. */
    Refusal screen(InetAddress source, String realm);
}
