/**
 * Call-routing policy of EdgeSBC, independent of the SIP stack.
 *
 * <p>The B2BUA describes each new request as a {@link io.edgesbc.policy.RequestView} and asks an
 * immutable {@link io.edgesbc.policy.Policy} to {@link io.edgesbc.policy.Policy#decide decide}.
 * The answer is a {@link io.edgesbc.policy.PolicyDecision}: a rejection, or a route carrying
 * ordered targets, failover codes, already-rewritten user parts and header, codec, media and
 * limit settings as plain data. Rules are evaluated in order and the first match wins.
 *
 * <p>Policies come from YAML rule files read by {@link io.edgesbc.policy.PolicyLoader}, which
 * validates the whole file set and reports every problem as
 * {@code FILE:LINE:COLUMN: message} ({@link io.edgesbc.policy.PolicyError}); {@link
 * io.edgesbc.policy.CheckPolicy} exposes that check on the command line.
 *
 * <p>Limits of rules, trunks and the whole policy ({@link io.edgesbc.policy.LimitsRef}) and the
 * per-source {@link io.edgesbc.policy.FloodGuardSettings} are data here; {@link
 * io.edgesbc.policy.admission} enforces them.
 *
 * <p>Seams for later work: the loader is side-effect free and a policy is immutable, so hot
 * reload is "load, then swap a reference" (an admission controller for the new policy takes over
 * the old one's concurrent-call counters); {@link io.edgesbc.policy.Trunk#optionsPing()} is
 * parsed for the OPTIONS pinger.
 */
package io.edgesbc.policy;
