/**
 * Number normalisation steps ({@code normalize} in rule files) applied to a user part.
 *
 * <p>Steps are pure string functions compiled at load time; a {@link
 * io.edgesbc.policy.rewrite.RewriteChain} applies them in file order so an operator can, for
 * example, strip a trunk prefix and then convert to E.164.
 */
package io.edgesbc.policy.rewrite;
