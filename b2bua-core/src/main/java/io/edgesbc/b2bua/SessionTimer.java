package io.edgesbc.b2bua;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipResponse;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A call's session timer (RFC 4028) as a B2BUA that relays the refreshes: every 2xx that sets or
 * refreshes the session (to the INVITE, a re-INVITE or an UPDATE) restarts it from its
 * Session-Expires; a 2xx without one stops it. When it fires, the session was not refreshed in
 * time and the call is to be ended.
 *
 * <p>Threading: the call's shard thread.
 */
final class SessionTimer {

    private final Scheduler scheduler;
    private final Runnable onExpired;
    private Disposable pending;

    SessionTimer(Scheduler scheduler, Runnable onExpired) {
        this.scheduler = scheduler;
        this.onExpired = onExpired;
    }

    /** A 2xx that sets or refreshes the session. */
    void refreshed(SipResponse ok) {
        stop();
        long interval = interval(ok);
        if (interval <= 0) {
            return;
        }
        // RFC 4028 §10: the side that is not the refresher sends a BYE "before the session
        // expiration", at expiry minus the smaller of 32 s and a third of the interval.
        long byeAt = interval - Math.min(32, interval / 3);
        pending = scheduler.schedule(() -> {
            pending = null;
            onExpired.run();
        }, byeAt, TimeUnit.SECONDS);
    }

    void stop() {
        if (pending != null) {
            pending.dispose();
            pending = null;
        }
    }

    /** The delta-seconds of Session-Expires (RFC 4028 §4), or 0 when absent or unreadable. */
    static long interval(SipResponse ok) {
        String value = ok.headers().first(HeaderName.SESSION_EXPIRES);
        if (value == null) {
            return 0;
        }
        int semi = value.indexOf(';');
        try {
            return Long.parseLong((semi < 0 ? value : value.substring(0, semi)).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
