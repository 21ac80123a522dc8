package io.edgesbc.policy.admission;

import io.edgesbc.policy.LimitsRef;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.policy.match.CidrBlock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Policies and requests for the admission tests. */
final class AdmissionFixtures {

  private AdmissionFixtures() {}

  static Policy policy(Path dir, String yaml) {
    try {
      Path p = dir.resolve("policy.yaml");
      Files.writeString(p, yaml);
      return PolicyLoader.load(List.of(p)).policyOrThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static InetAddress ip(String literal) {
    return CidrBlock.parseAddress(literal);
  }

  static AdmissionRequest call(String source, String trunk, LimitsRef rule) {
    return new AdmissionRequest(ip(source), trunk, rule);
  }

  static CallPermit permit(Admission a) {
    if (a instanceof Admission.Admitted ok) {
      return ok.permit();
    }
    throw new AssertionError("expected admission, got " + a);
  }

  static Admission.Rejected rejected(Admission a) {
    if (a instanceof Admission.Rejected r) {
      return r;
    }
    throw new AssertionError("expected rejection, got " + a);
  }

  /** A trunk with limits, a global limit and no flood guard. */
  static final String LIMITED = """
      limits: {concurrent_calls: 5, calls_per_second: 100, burst: 100}
      trunks:
        - name: carrier
          from: [203.0.113.0/24]
          targets: ["sip:203.0.113.1"]
          limits: {concurrent_calls: 3}
        - name: pbx
          from: [10.0.0.5]
          targets: ["sip:10.0.0.5"]
          limits: {calls_per_second: 2, burst: 2}
        - name: free
          targets: ["sip:192.0.2.9"]
      rules:
        - name: all
          route: {trunk: carrier}
      """;
}
