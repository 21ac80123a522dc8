package io.edgesbc.policy.rewrite;

import java.util.List;

/** Ordered rewrite steps for one user part. */
public record RewriteChain(List<RewriteStep> steps) {

  public static final RewriteChain NONE = new RewriteChain(List.of());

  public RewriteChain {
    steps = List.copyOf(steps);
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /**
   * Applies all steps; returns null when there is nothing to rewrite or the result equals the
   * input, so the decision says "unchanged" and the B2BUA does not touch the header.
   */
  public String applyOrNull(String user) {
    if (user == null || steps.isEmpty()) {
      return null;
    }
    String out = user;
    for (RewriteStep step : steps) {
      out = step.apply(out);
    }
    return out.equals(user) ? null : out;
  }
}
