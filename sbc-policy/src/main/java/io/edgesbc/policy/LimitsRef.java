package io.edgesbc.policy;

import java.util.Objects;

/**
 * Admission limits of a rule, a trunk or the whole policy, as data. The {@link
 * io.edgesbc.policy.admission.AdmissionController} keeps one counter set per {@code key}
 * ({@code rule:NAME}, {@code trunk:NAME} or {@code global}), so calls matching the same rule
 * share it. Zero means "no limit" for each field.
 */
public record LimitsRef(String key, int concurrentCalls, double callsPerSecond, int burst) {

  public static final LimitsRef NONE = new LimitsRef("", 0, 0, 0);

  /** Key of the policy-wide limits (top-level {@code limits:}). */
  public static final String GLOBAL_KEY = "global";

  public LimitsRef {
    Objects.requireNonNull(key, "key");
  }

  public boolean isUnlimited() {
    return concurrentCalls == 0 && callsPerSecond == 0;
  }
}
