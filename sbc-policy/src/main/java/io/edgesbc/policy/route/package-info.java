/**
 * Ordering of route targets: by priority, then by a weighted random draw within each priority.
 *
 * <p>The random source is injected ({@link java.util.random.RandomGenerator}) so tests can pin
 * the draw and production can use a per-thread generator without contention.
 */
package io.edgesbc.policy.route;
