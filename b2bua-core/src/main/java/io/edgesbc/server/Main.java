package io.edgesbc.server;

import io.edgesbc.policy.CheckPolicy;
import io.edgesbc.sip.parse.SipParser;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code edgesbc} command line: {@code edgesbc SUBCOMMAND [ARGS...]}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            usage(err);
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "lint":
                return new LintCommand(new SipParser(), out, err).run(rest);
            case "run":
                return RunCommand.run(rest, out, err);
            case "check-policy":
                return CheckPolicy.run(rest, out, err);
            case "help":
            case "-h":
            case "--help":
                usage(out);
                return 0;
            default:
                err.println("edgesbc: unknown subcommand '" + args.get(0) + "'");
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream to) {
        to.println("usage: edgesbc SUBCOMMAND [ARGS...]");
        to.println("subcommands:");
        to.println("  run [--config FILE]     start the SBC (default: the embedded loopback demo)");
        to.println("  lint [--json] FILE...   parse SIP messages as datagrams and report ok/invalid");
        to.println("  check-policy FILE...    validate policy rule files (exit 0 ok, 1 errors, 2 usage)");
        to.println("  help                    this text");
    }
}
