package io.edgesbc.policy;

import io.edgesbc.policy.prefix.PrefixTable;
import io.edgesbc.policy.route.TargetOrder;
import io.edgesbc.policy.source.Fields;
import io.edgesbc.policy.source.Node;
import io.edgesbc.policy.source.Problems;
import io.edgesbc.policy.source.ScalarNode;
import io.edgesbc.policy.source.Values;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a {@code route} action: exactly one destination ({@code trunk}, {@code targets} or
 * {@code prefix_table}) plus {@code failover_codes}, {@code balance} and, for prefix tables,
 * {@code no_route}.
 */
final class RouteReader {

  /** What the B2BUA fails over on when a rule does not say: timeouts and server trouble. */
  static final Set<Integer> DEFAULT_FAILOVER_CODES = Set.of(408, 500, 502, 503, 504);

  /** Read result before the rule's other sections are combined with it. */
  record Route(Destination destination, Set<Integer> failoverCodes) {}

  private static final List<String> KEYS =
      List.of("trunk", "targets", "prefix_table", "failover_codes", "balance", "no_route");
  private static final List<String> DESTINATIONS = List.of("trunk", "targets", "prefix_table");

  private RouteReader() {}

  static Optional<Route> read(Node node, String ruleName, LoadContext ctx) {
    Problems problems = ctx.problems;
    Optional<Fields> fo = Fields.of(node, "'route'", KEYS, problems);
    if (fo.isEmpty()) {
      return Optional.empty();
    }
    Fields f = fo.get();
    int before = problems.count();
    TargetOrder.Balance balance =
        MediaRulesReader.choice(f, "balance", TargetOrder.Balance.class, TargetOrder.Balance.WEIGHTED);
    Set<Integer> failover = f.node("failover_codes").map(n -> failoverCodes(n, problems))
        .orElse(DEFAULT_FAILOVER_CODES);
    long destinations = DESTINATIONS.stream().filter(f::has).count();
    if (destinations != 1) {
      problems.add(f.map(), "'route' needs exactly one of 'trunk', 'targets' or 'prefix_table'");
      return Optional.empty();
    }
    if (f.has("no_route") && !f.has("prefix_table")) {
      problems.add(f.key("no_route").orElseThrow(), "'no_route' only applies with 'prefix_table'");
    }
    Optional<Destination> destination;
    if (f.has("trunk")) {
      destination = f.text("trunk").flatMap(t -> trunk(f.node("trunk").orElseThrow(), t, balance, ctx));
    } else if (f.has("targets")) {
      destination = TargetReader.read(f.node("targets").orElseThrow(), problems)
          .map(targets -> new Destination.Fixed(null, new TargetOrder(targets, balance)));
    } else {
      destination = prefixTable(f, ruleName, balance, ctx);
    }
    if (destination.isEmpty() || problems.count() != before) {
      return Optional.empty();
    }
    return Optional.of(new Route(destination.get(), failover));
  }

  private static Optional<Destination> trunk(Node at, String name, TargetOrder.Balance balance,
      LoadContext ctx) {
    return usableTrunk(at, name, ctx)
        .map(t -> new Destination.Fixed(t.name(), new TargetOrder(t.targets(), balance)));
  }

  private static Optional<Trunk> usableTrunk(Node at, String name, LoadContext ctx) {
    if (!ctx.trunkNames.contains(name)) {
      ctx.problems.add(at, "unknown trunk '" + name + "'");
      return Optional.empty();
    }
    Trunk t = ctx.trunks.get(name);
    if (t != null && t.targets().isEmpty()) {
      ctx.problems.add(at, "trunk '" + name + "' has no targets to route to");
      return Optional.empty();
    }
    return Optional.ofNullable(t); // null: the trunk itself was invalid and already reported
  }

  private static Optional<Destination> prefixTable(Fields f, String ruleName,
      TargetOrder.Balance balance, LoadContext ctx) {
    Node at = f.node("prefix_table").orElseThrow();
    Optional<String> name = f.text("prefix_table");
    Optional<PolicyDecision.Reject> noRoute = f.node("no_route")
        .map(n -> RejectReader.read(n, "'no_route'", ruleName, ctx.problems))
        .orElse(Optional.of(new PolicyDecision.Reject(404, "No Route", ruleName, Map.of())));
    if (name.isEmpty() || noRoute.isEmpty()) {
      return Optional.empty();
    }
    if (!ctx.tableNames.contains(name.get())) {
      ctx.problems.add(at, "unknown prefix table '" + name.get() + "'");
      return Optional.empty();
    }
    PrefixTable table = ctx.tables.get(name.get());
    if (table == null) {
      return Optional.empty(); // the table had errors, reported where it is defined
    }
    // Every trunk a table can return was checked to exist when the table was read; here each
    // also needs targets, or the route would have nowhere to go.
    Map<String, TargetOrder> orders = new HashMap<>();
    for (Trunk t : ctx.trunks.values()) {
      if (!t.targets().isEmpty()) {
        orders.put(t.name(), new TargetOrder(t.targets(), balance));
      }
    }
    List<String> unusable = tableTrunks(name.get(), ctx).stream().filter(t -> !orders.containsKey(t)).toList();
    if (!unusable.isEmpty()) {
      ctx.problems.add(at, "prefix table '" + name.get() + "' routes to trunk(s) without targets: "
          + String.join(", ", unusable));
      return Optional.empty();
    }
    orders.keySet().retainAll(new LinkedHashSet<>(tableTrunks(name.get(), ctx)));
    return Optional.of(new Destination.ByPrefix(name.get(), table, orders, noRoute.get()));
  }

  private static List<String> tableTrunks(String table, LoadContext ctx) {
    return ctx.tableTrunks.getOrDefault(table, List.of());
  }

  /** A list of 4xx-6xx codes and/or class wildcards {@code 4xx}, {@code 5xx}, {@code 6xx}. */
  private static Set<Integer> failoverCodes(Node node, Problems problems) {
    Set<Integer> codes = new TreeSet<>();
    Values.list(node, "'failover_codes'", problems).ifPresent(list -> {
      for (Node item : list.items()) {
        if (item instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING
            && s.text().matches("[4-6]xx")) {
          int base = (s.text().charAt(0) - '0') * 100;
          for (int c = base; c < base + 100; c++) {
            codes.add(c);
          }
        } else {
          RejectReader.finalErrorCode(item, "failover code", problems).ifPresent(codes::add);
        }
      }
    });
    return codes;
  }
}
