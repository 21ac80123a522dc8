package io.edgesbc.policy;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Command-line check of a rule-file set: {@code check-policy FILE...}. Exit status 0 when the set
 * loads (a summary is printed), 1 when it has errors (one {@code FILE:LINE:COLUMN: message} per
 * line on the error stream), 2 on wrong usage. Meant for CI and for operators before a reload.
 */
public final class CheckPolicy {

  static final String USAGE = "usage: check-policy POLICY.yaml [MORE.yaml ...]";

  private CheckPolicy() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.stream().anyMatch(a -> a.startsWith("-"))) {
      boolean help = args.contains("-h") || args.contains("--help");
      (help ? out : err).println(USAGE);
      return help ? 0 : 2;
    }
    List<Path> files = args.stream().map(Path::of).toList();
    LoadResult result = PolicyLoader.load(files);
    if (result instanceof LoadResult.Ok ok) {
      out.println("OK " + ok.summary().describe());
      return 0;
    }
    List<PolicyError> errors = result.errors();
    errors.forEach(e -> err.println(e));
    err.println(errors.size() + (errors.size() == 1 ? " error" : " errors"));
    return 1;
  }
}
