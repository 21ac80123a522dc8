package io.edgesbc.server.policy;

import io.edgesbc.policy.LoadResult;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyError;
import io.edgesbc.policy.Trunk;
import io.edgesbc.sip.transport.TransportKind;
import io.edgesbc.b2bua.RouteTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Loads the rule files of the server configuration's {@code policy:} key and checks them whole
 * against the configuration: besides the policy's own validation (FILE:LINE:COLUMN errors), every
 * trunk's realm must be a realm the server listens in, since calls to a trunk leave through its
 * realm. File I/O: call it at start-up or on a worker thread, never on an event loop or shard.
 */
public final class PolicyFiles {

    /** A usable policy, or every problem found (one line each, FILE:LINE:COLUMN: message). */
    public sealed interface Outcome {
        record Loaded(Policy policy) implements Outcome {
        }

        record Invalid(List<String> errors) implements Outcome {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }
    }

    private PolicyFiles() {
    }

    /**
     * @param files the rule files, in order
     * @param realms the names of the server's realms
     */
    public static Outcome load(List<Path> files, Set<String> realms) {
        LoadResult result = io.edgesbc.policy.PolicyLoader.load(files);
        if (result instanceof LoadResult.Failed failed) {
            return new Outcome.Invalid(failed.errors().stream().map(PolicyError::toString).toList());
        }
        Policy policy = ((LoadResult.Ok) result).policy();
        List<String> errors = new ArrayList<>();
        for (Trunk trunk : policy.trunks().values()) {
            if (trunk.realm() != null && !realms.contains(trunk.realm())) {
                errors.add(files.get(0) + ":1:1: trunk '" + trunk.name() + "' is in realm '" + trunk.realm()
                        + "', which is not a realm of the server configuration " + realms);
            }
        }
        if (!errors.isEmpty()) {
            return new Outcome.Invalid(errors);
        }
        return new Outcome.Loaded(policy);
    }

    /**
     * Targets whose transport their trunk's realm has no listener for (a {@code transport=tcp}
     * target in a realm with {@code udp:} only): calls to them get a transport error (failover,
     * else 503), which an operator wants to hear of at start-up, not from the first caller.
     *
     * @param transports the transports each realm listens on
     */
    public static List<String> warnings(Policy policy,
                                        java.util.function.Function<String, Set<TransportKind>> transports) {
        List<String> out = new ArrayList<>();
        for (Trunk trunk : policy.trunks().values()) {
            if (trunk.realm() == null) {
                continue; // leaves through the realm the call came in on: known per call only
            }
            for (io.edgesbc.policy.Target t : trunk.targets()) {
                TransportKind needed = RouteTarget.of(t.uri()).transport();
                if (!transports.apply(trunk.realm()).contains(needed)) {
                    out.add("trunk '" + trunk.name() + "' target " + t.uri() + " needs " + needed
                            + ", but realm '" + trunk.realm() + "' has no " + needed
                            + " listener: calls to it will fail over or get 503");
                }
            }
        }
        return out;
    }
}
