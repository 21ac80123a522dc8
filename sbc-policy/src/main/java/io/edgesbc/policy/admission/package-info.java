/**
 * Admission control: whether a new call (or, for the flood guard, any request) may proceed, given
 * concurrent-call and call-rate limits per rule, per trunk and over the whole policy, and a
 * per-source request-rate guard that bans flooding addresses for a while.
 *
 * <p>One {@link io.edgesbc.policy.admission.AdmissionController} belongs to one loaded {@link
 * io.edgesbc.policy.Policy} generation. The B2BUA calls {@link
 * io.edgesbc.policy.admission.AdmissionController#screen screen} for every request, and {@link
 * io.edgesbc.policy.admission.AdmissionController#admit admit} for each new call that a rule
 * routes. An admitted call carries a {@link io.edgesbc.policy.admission.CallPermit} that the call
 * must release once, however it ends; releasing again is harmless.
 *
 * <p>Everything here is called from several event-loop threads at once and never blocks: counters
 * are atomics updated with compare-and-set loops, rate limits keep their whole state in one
 * {@code long} (the "theoretical arrival time" of the generic cell rate algorithm), and the
 * flood guard's per-source state lives in Caffeine caches that expire idle entries. Time comes
 * from an injected Caffeine {@link com.github.benmanes.caffeine.cache.Ticker}, so tests move a
 * fake clock instead of sleeping.
 *
 * <p>Metrics need no dependency: {@link
 * io.edgesbc.policy.admission.AdmissionController#usage()} reports the current use of each
 * concurrent-call limit, {@link io.edgesbc.policy.admission.AdmissionController#rejections
 * rejections} counts refusals by reason and scope, and an {@link
 * io.edgesbc.policy.admission.AdmissionListener} hears about each refusal and ban.
 */
package io.edgesbc.policy.admission;
