/**
 * Request conditions of a rule's {@code match} section, compiled once at load time.
 *
 * <p>Every {@link io.edgesbc.policy.match.RequestMatcher} is immutable and side-effect free;
 * regular expressions are precompiled and address blocks are pre-parsed into bytes, so matching a
 * request performs no I/O and no DNS lookups.
 */
package io.edgesbc.policy.match;
