package io.edgesbc.sip.transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Transaction#whenTerminated(Runnable)} hooks of one transaction. Event-loop owned.
 *
 * <p>Nearly every transaction has exactly one hook (its {@link TransactionTable} entry), and
 * many live on for 64*T1 after their final response: the first hook is kept in a field, a list
 * is made only for more.
 */
final class TerminationHooks {
    private Runnable first;
    private List<Runnable> more;

    void add(Runnable hook, boolean alreadyTerminated) {
        if (alreadyTerminated) {
            hook.run();
        } else if (first == null) {
            first = hook;
        } else {
            if (more == null) {
                more = new ArrayList<>(2);
            }
            more.add(hook);
        }
    }

    void runAll() {
        Runnable one = first;
        List<Runnable> rest = more;
        first = null;
        more = null;
        if (one != null) {
            one.run();
        }
        if (rest != null) {
            for (Runnable hook : rest) {
                hook.run();
            }
        }
    }
}
