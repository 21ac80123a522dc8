package io.edgesbc.server.policy;

import io.edgesbc.policy.LoadResult;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyError;
import io.edgesbc.policy.Target;
import io.edgesbc.policy.Trunk;
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

    /** Targets the B2BUA cannot honour exactly yet (the UAC leg is UDP only), for a start-up warning. */
    public static List<String> warnings(Policy policy) {
        List<String> out = new ArrayList<>();
        for (Trunk trunk : policy.trunks().values()) {
            for (Target t : trunk.targets()) {
                String uri = t.uri().toLowerCase(java.util.Locale.ROOT);
                if (uri.startsWith("sips:") || uri.contains(";transport=tcp") || uri.contains(";transport=tls")) {
                    out.add("trunk '" + trunk.name() + "' target " + t.uri()
                            + " asks for TCP/TLS; the UAC leg sends over UDP only (not done yet)");
                }
            }
        }
        return out;
    }

}
