package io.edgesbc.policy.admission;

/** What {@link FloodGuard#check} decided for one request. */
public enum FloodVerdict {
  /** Within the source's rate. */
  ALLOWED,
  /** The source is exempt and was not counted. */
  EXEMPT,
  /** This request exceeded the rate; the source is banned from now on. */
  RATE_EXCEEDED,
  /** The source is serving a ban. */
  BANNED;

  public boolean allowed() {
    return this == ALLOWED || this == EXEMPT;
  }
}
