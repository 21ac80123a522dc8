/**
 * The policy module ({@code sbc-policy}) wired into the B2BUA: {@link
 * io.edgesbc.server.policy.PolicyRouter} answers the B2BUA's {@link io.edgesbc.b2bua.CallRouter}
 * question from the rule files, admits calls through the policy's admission controller, and
 * attaches to each routed call the edits of its rule (number normalisation, header rules) and the
 * release of its admission permit ({@link io.edgesbc.b2bua.CallHooks}). {@link
 * io.edgesbc.server.policy.PolicyFiles} loads the files named by the server configuration.
 *
 * <p>Threading: the policy and its admission controller are immutable or thread-safe and are
 * read on shard threads and event loops without locks; a reload builds a new generation off
 * those threads and swaps one reference.
 */
package io.edgesbc.server.policy;
