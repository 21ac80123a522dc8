package io.edgesbc.policy;

import java.util.List;
import java.util.Objects;

/** Outcome of loading a rule-file set: a usable policy, or every error found. */
public sealed interface LoadResult permits LoadResult.Ok, LoadResult.Failed {

  /** The policy loaded cleanly. */
  record Ok(Policy policy, PolicySummary summary) implements LoadResult {
    public Ok {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(summary, "summary");
    }
  }

  /** At least one error; the errors are sorted by file (in load order), line and column. */
  record Failed(List<PolicyError> errors) implements LoadResult {
    public Failed {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("a failed load has errors");
      }
    }
  }

  default boolean isOk() {
    return this instanceof Ok;
  }

  /** The errors, empty for {@link Ok}. */
  default List<PolicyError> errors() {
    return this instanceof Failed f ? f.errors() : List.of();
  }

  /** The policy; throws with the first errors listed if loading failed (handy in tests). */
  default Policy policyOrThrow() {
    if (this instanceof Ok ok) {
      return ok.policy();
    }
    throw new IllegalStateException("policy has errors:\n" + String.join("\n",
        errors().stream().map(PolicyError::toString).toList()));
  }
}
