package io.edgesbc.sip.transaction;

import java.util.ArrayList;
import java.util.List;

/** The {@link Transaction#whenTerminated(Runnable)} hooks of one transaction. Event-loop owned. */
final class TerminationHooks {
    private List<Runnable> hooks = new ArrayList<>(1);

    void add(Runnable hook, boolean alreadyTerminated) {
        if (alreadyTerminated) {
            hook.run();
        } else {
            hooks.add(hook);
        }
    }

    void runAll() {
        List<Runnable> run = hooks;
        hooks = List.of();
        for (Runnable hook : run) {
            hook.run();
        }
    }
}
