/**
 * Location-preserving YAML tree used to validate rule files.
 *
 * <p>Jackson's data binding drops token positions, so rule files are read token by token with a
 * {@link com.fasterxml.jackson.dataformat.yaml.YAMLParser} into a small tree of {@link
 * io.edgesbc.policy.source.Node}s, each carrying the {@link io.edgesbc.policy.source.Position} of
 * the key or value it came from. Validators then report every problem through {@link
 * io.edgesbc.policy.source.Problems} at the exact offending position, and keep going so one run
 * shows all errors of a file set.
 *
 * <p>Internal to the policy module; not a stable API.
 */
package io.edgesbc.policy.source;
