package io.edgesbc.b2bua;

/**
 * What the B2BUA tells the rest of the server about its calls (metrics, CDRs): every call that
 * starts is {@link #ended} exactly once, and so is every INVITE the router refused (a call that
 * never got a UAC leg).
 *
 * <p>Threading: called on the call's shard thread; implementations must not block (a CDR writer
 * queues the record and writes it elsewhere).
 */
public interface CallEvents {

    /** Nobody listens. */
    CallEvents NONE = new CallEvents() {
    };

    /** The UAC leg's first INVITE is about to go out. */
    default void started(CallSnapshot call) {
    }

    /** The first 18x reached the caller (post-dial delay ends here). */
    default void ringing(CallSnapshot call) {
    }

    /** The 2xx reached the caller. */
    default void answered(CallSnapshot call) {
    }

    /** The call is over on both legs (or was refused before it had a UAC leg). */
    default void ended(CallRecord record) {
    }
}
