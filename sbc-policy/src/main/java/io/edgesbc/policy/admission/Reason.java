package io.edgesbc.policy.admission;

/** Why a request or call was refused. */
public enum Reason {
  /** A concurrent-call limit is reached. */
  CONCURRENT_CALLS,
  /** A calls-per-second limit (with its burst) is exhausted. */
  CALLS_PER_SECOND,
  /** The source just exceeded the flood guard's request rate; it is banned from now on. */
  FLOOD_RATE,
  /** The source is serving a flood-guard ban. */
  FLOOD_BANNED
}
