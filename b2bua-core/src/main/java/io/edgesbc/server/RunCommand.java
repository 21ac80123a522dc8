package io.edgesbc.server;

import io.edgesbc.b2bua.CallRouter;
import io.edgesbc.b2bua.StaticRouter;
import io.edgesbc.policy.Policy;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.policy.PolicyFiles;
import io.edgesbc.server.policy.PolicyReloader;
import io.edgesbc.server.policy.PolicyRouter;
import java.util.Set;
import java.util.stream.Collectors;
import io.edgesbc.server.config.ConfigException;
import io.edgesbc.server.config.ConfigLoader;
import io.edgesbc.server.config.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code edgesbc run [--config FILE]}: starts the server in the foreground until SIGTERM/SIGINT,
 * which stop it gracefully. Without --config the embedded loopback demo is used. A bad
 * configuration stops start-up with one FILE:LINE:COLUMN line per problem (exit 2).
 */
final class RunCommand {

    private RunCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path configFile = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--config") && i + 1 < args.size()) {
                configFile = Path.of(args.get(++i));
            } else if (arg.startsWith("--config=")) {
                configFile = Path.of(arg.substring("--config=".length()));
            } else {
                err.println("usage: edgesbc run [--config FILE]");
                return 2;
            }
        }
        ServerConfig config;
        try {
            config = configFile == null ? ConfigLoader.loadDefault() : ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            err.println("edgesbc: not started: the configuration has " + e.errors().size() + " problem(s)");
            return 2;
        }
        try {
            // The token file is read at start-up (AdminToken); a problem with it is a configuration
            // problem like any other: exit 2, FILE:LINE:COLUMN, nothing bound.
            config.adminToken().secret();
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
            err.println("edgesbc: not started: the admin token cannot be used");
            return 2;
        }
        CallRouter router = router(config, configFile == null, err);
        if (router == null) {
            return 2;
        }
        EdgeSbcServer server;
        try {
            server = new EdgeSbcServer(config, router).start();
        } catch (RuntimeException e) {
            err.println("edgesbc: not started: " + rootMessage(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("EdgeSBC stopping: new requests get 503 while open transactions finish; stopped within "
                    + config.shutdownTimeout() + " (shutdown_timeout) plus at most " + EdgeSbcServer.STOP_OVERRUN);
            server.stop();
            out.println("EdgeSBC stopped");
            out.flush();
            stopped.countDown();
        }, "edgesbc-shutdown"));
        // Announced only once the hooks are in place: whoever waits for this line (an operator, a
        // supervisor, a test) may signal at once, and SIGTERM/SIGHUP must then find their handlers.
        server.policyReloader().ifPresent(RunCommand::reloadOnSighup);
        out.println("EdgeSBC running (" + config.source() + "): SIP " + server.listenPoints()
                + ", admin http://" + config.admin().getAddress().getHostAddress() + ":" + server.adminPort()
                + "/health. Stop with Ctrl-C or SIGTERM.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The router of a configuration: the embedded demo routes calls with StaticRouter.demo(); a
     * configuration file routes them by its 'policy:' rule files, or not at all (its realms answer
     * INVITEs with 480). Null when the policy is refused (its problems printed to {@code err}).
     */
    static CallRouter router(ServerConfig config, boolean embedded, PrintStream err) {
        if (config.policyFiles().isEmpty()) {
            return embedded ? StaticRouter.demo() : CallRouter.none();
        }
        PolicyFiles.Outcome outcome = PolicyFiles.load(config.policyFiles(),
                config.realms().stream().map(RealmConfig::name).collect(Collectors.toSet()));
        if (outcome instanceof PolicyFiles.Outcome.Invalid invalid) {
            invalid.errors().forEach(err::println);
            err.println("edgesbc: not started: the policy has " + invalid.errors().size() + " problem(s)");
            return null;
        }
        Policy policy = ((PolicyFiles.Outcome.Loaded) outcome).policy();
        PolicyFiles.warnings(policy, realm -> config.realms().stream().filter(r -> r.name().equals(realm))
                        .findFirst().map(RealmConfig::transports).orElse(Set.of()))
                .forEach(w -> err.println("edgesbc: warning: " + w));
        return new PolicyRouter(policy);
    }

    /**
     * SIGHUP reloads the policy files. The JVM runs signal handlers on its own dispatcher thread;
     * the handler only subscribes (the reload runs on boundedElastic), so it returns at once.
     * {@code sun.misc.Signal} is not a supported API; where it is missing (or HUP is reserved,
     * e.g. with -Xrs) the admin API's POST /policy/reload remains.
     */
    private static void reloadOnSighup(PolicyReloader reloader) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloader.reload("SIGHUP").subscribe());
        } catch (RuntimeException | LinkageError e) {
            org.slf4j.LoggerFactory.getLogger(RunCommand.class)
                    .warn("SIGHUP cannot reload the policy here ({}); use POST /policy/reload", e.toString());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
