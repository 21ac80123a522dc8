package io.edgesbc.policy.admission;

import io.edgesbc.policy.PolicyDecision;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/** The outcome of {@link AdmissionController#admit}: a permit to hold, or a refusal to answer. */
public sealed interface Admission permits Admission.Admitted, Admission.Rejected {

  /** The call may proceed; it must release {@code permit} once it ends, however it ends. */
  record Admitted(CallPermit permit) implements Admission {
    public Admitted {
      Objects.requireNonNull(permit, "permit");
    }
  }

  /**
   * The call or request is refused and holds nothing.
   *
   * @param name the rule or trunk name, {@code "global"}, or the source address for {@link
   *     Scope#SOURCE}
   * @param sipCode final response code to answer with
   * @param sipPhrase its reason phrase
   * @param retryAfterSeconds {@code Retry-After} value, or -1 for none
   * @param detail a human explanation for logs, e.g. "trunk 'carrier' is at its limit of 30
   *     concurrent calls"
   */
  record Rejected(Reason reason, Scope scope, String name, int sipCode, String sipPhrase,
      int retryAfterSeconds, String detail) implements Admission {

    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sipPhrase, "sipPhrase");
      Objects.requireNonNull(detail, "detail");
    }

    static Rejected of(Reason reason, Scope scope, String name, RejectionResponse response,
        String detail) {
      return new Rejected(reason, scope, name, response.code(), response.phrase(),
          response.retryAfterSeconds(), detail);
    }

    public OptionalInt retryAfter() {
      return retryAfterSeconds >= 0 ? OptionalInt.of(retryAfterSeconds) : OptionalInt.empty();
    }

    /** As a policy rejection, so the B2BUA answers it like any other {@link PolicyDecision.Reject}. */
    public PolicyDecision.Reject toReject(String ruleName) {
      Map<String, String> headers = retryAfterSeconds >= 0
          ? Map.of("Retry-After", Integer.toString(retryAfterSeconds)) : Map.of();
      return new PolicyDecision.Reject(sipCode, sipPhrase, ruleName, headers);
    }
  }
}
