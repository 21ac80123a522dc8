package io.edgesbc.server.policy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which route targets are out of rotation because they stopped answering the OPTIONS keep-alive
 * ({@link OptionsPinger}); the policy router skips them. A target is in rotation until a ping
 * goes unanswered, and back as soon as one is answered. Targets of trunks without pings are
 * never taken out.
 *
 * <p>Threading: written by the pinger's callbacks, read by the call shards; lock-free.
 */
public final class TargetHealth {

    private static final Logger log = LoggerFactory.getLogger(TargetHealth.class);

    private final Set<String> down = ConcurrentHashMap.newKeySet();

    /** Whether calls may go to the target with this URI (as written in the policy). */
    public boolean inRotation(String targetUri) {
        return down.isEmpty() || !down.contains(targetUri);
    }

    /** It answered: back in rotation (logged once when it comes back). */
    public void answered(String targetUri) {
        if (down.remove(targetUri)) {
            log.info("target {} answers OPTIONS again: back in rotation", targetUri);
        }
    }

    /** It did not answer: out of rotation (logged once when it goes). */
    public void silent(String targetUri) {
        if (down.add(targetUri)) {
            log.warn("target {} does not answer OPTIONS: out of rotation until it does", targetUri);
        }
    }

    /** The targets out of rotation now. */
    public Set<String> down() {
        return Set.copyOf(down);
    }
}
