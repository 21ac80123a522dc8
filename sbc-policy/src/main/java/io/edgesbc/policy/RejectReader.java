package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.Values;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code {code, reason, retry_after}} for {@code reject} actions, the {@code no_match}
 * default and a route's {@code no_route}.
 */
final class RejectReader {

  private static final List<String> KEYS = List.of("code", "reason", "retry_after");
  private static final Map<Integer, String> STANDARD_REASONS = Map.of(
      403, "Forbidden", 404, "Not Found", 480, "Temporarily Unavailable", 484, "Address Incomplete",
      486, "Busy Here", 488, "Not Acceptable Here", 503, "Service Unavailable", 603, "Decline");

  private RejectReader() {}

  static Optional<PolicyDecision.Reject> read(Node node, String context, String ruleName,
      Problems problems) {
    Optional<Fields> fo = Fields.of(node, context, KEYS, problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    int before = problems.count();
    Optional<Integer> code = f.required("code").flatMap(n -> finalErrorCode(n, "reject code", problems));
    Optional<String> reason = f.text("reason");
    reason.filter(r -> r.indexOf('\r') >= 0 || r.indexOf('\n') >= 0)
        .ifPresent(r -> problems.add(f.node("reason").orElseThrow(), "'reason' must be a single line"));
    Optional<Integer> retryAfter = f.integer("retry_after", 0, 86_400);
    if (code.isEmpty() || problems.count() != before) {
      return Optional.empty();
    }
    Map<String, String> headers = retryAfter.map(s -> Map.of("Retry-After", Integer.toString(s)))
        .orElse(Map.of());
    String text = reason.orElse(STANDARD_REASONS.getOrDefault(code.get(), "Rejected by policy"));
    return Optional.of(new PolicyDecision.Reject(code.get(), text, ruleName, headers));
  }

  /** A SIP final error status: 4xx, 5xx or 6xx. */
  static Optional<Integer> finalErrorCode(Node node, String what, Problems problems) {
    return Values.integer(node, what, Integer.MIN_VALUE, Integer.MAX_VALUE, problems).flatMap(c -> {
      if (c < 400 || c > 699) {
        problems.add(node, what + " must be 4xx-6xx, got " + c);
        return Optional.empty();
      }
      return Optional.of(c);
    });
  }
}
