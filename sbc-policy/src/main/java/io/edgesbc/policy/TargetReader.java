package io.edgesbc.policy;

import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.ListNode;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a target list. Each item is a URI string (priority 1, weight 1) or a mapping
 * {@code {uri, priority, weight}}.
 */
final class TargetReader {

  static final int DEFAULT_PRIORITY = 1;
  static final int DEFAULT_WEIGHT = 1;
  private static final List<String> KEYS = List.of("uri", "priority", "weight");

  private TargetReader() {}

  static Optional<List<Target>> read(Node node, Problems problems) {
    Optional<ListNode> list = Values.list(node, "'targets'", problems);
    if (list.isEmpty()) {
      return Optional.empty();
    }
    if (list.get().items().isEmpty()) {
      problems.add(node, "'targets' must list at least one target");
      return Optional.empty();
    }
    List<Target> targets = new ArrayList<>();
    boolean ok = true;
    for (Node item : list.get().items()) {
      Optional<Target> t = item instanceof ScalarNode ? uri(item, problems)
          .map(u -> new Target(u, DEFAULT_PRIORITY, DEFAULT_WEIGHT)) : detailed(item, problems);
      t.ifPresent(targets::add);
      ok &= t.isPresent();
    }
    return ok ? Optional.of(targets) : Optional.empty();
  }

  private static Optional<Target> detailed(Node item, Problems problems) {
    Optional<Fields> f = Fields.of(item, "target", KEYS, problems);
    if (f.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> uri = f.get().required("uri").flatMap(n -> uri(n, problems));
    int before = problems.count();
    int priority = f.get().integer("priority", 0, 65535).orElse(DEFAULT_PRIORITY);
    int weight = f.get().integer("weight", 0, 65535).orElse(DEFAULT_WEIGHT);
    if (uri.isEmpty() || problems.count() != before) {
      return Optional.empty();
    }
    return Optional.of(new Target(uri.get(), priority, weight));
  }

  private static Optional<String> uri(Node node, Problems problems) {
    Optional<String> text = Values.text(node, "target URI", problems);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String why = SipUriSyntax.problem(text.get());
    if (why != null) {
      problems.add(node, "bad SIP URI target '" + text.get() + "': " + why);
      return Optional.empty();
    }
    return text;
  }
}
