package io.edgesbc.policy.admission;

import java.util.Objects;

/**
 * The SIP answer to send for one {@link Reason}.
 *
 * @param retryAfterSeconds value of a {@code Retry-After} header, or -1 for none
 */
public record RejectionResponse(int code, String phrase, int retryAfterSeconds) {

  public RejectionResponse {
    if (code < 400 || code > 699) {
      throw new IllegalArgumentException("rejection code must be 4xx-6xx: " + code);
    }
    Objects.requireNonNull(phrase, "phrase");
    if (retryAfterSeconds < -1) {
      throw new IllegalArgumentException("retryAfterSeconds must be -1 (none) or >= 0");
    }
  }

  public static RejectionResponse of(int code, String phrase) {
    return new RejectionResponse(code, phrase, -1);
  }

  public boolean hasRetryAfter() {
    return retryAfterSeconds >= 0;
  }
}
