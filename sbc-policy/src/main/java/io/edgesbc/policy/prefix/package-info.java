/**
 * Longest-prefix routing tables ({@code prefix_tables} in rule files).
 *
 * <p>A {@link io.edgesbc.policy.prefix.PrefixTable} is a digit trie flattened into int arrays: a
 * lookup walks at most one node per digit of the number, whatever the table size, and 100,000
 * prefixes cost a few megabytes rather than one object per node.
 */
package io.edgesbc.policy.prefix;
