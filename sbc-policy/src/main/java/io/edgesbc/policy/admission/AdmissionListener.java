package io.edgesbc.policy.admission;

import java.net.InetAddress;
import java.time.Duration;

/**
 * Hears about refusals and bans, e.g. to log them or feed metrics. Called on the event-loop
 * thread that made the decision, so implementations must be quick and must not block.
 */
public interface AdmissionListener {

  AdmissionListener NONE = new AdmissionListener() {};

  default void onRejected(Admission.Rejected rejected) {}

  /** {@code source} exceeded the flood guard's rate and is refused for {@code banFor}. */
  default void onBanned(InetAddress source, Duration banFor) {}
}
