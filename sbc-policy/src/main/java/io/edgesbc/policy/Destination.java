package io.edgesbc.policy;

import io.edgesbc.policy.prefix.PrefixTable;
import io.edgesbc.policy.route.TargetOrder;
import java.util.Map;

/** Where a route rule sends a call. */
sealed interface Destination permits Destination.Fixed, Destination.ByPrefix {

  /** A trunk or an inline target list chosen at load time. */
  record Fixed(String trunk, TargetOrder order) implements Destination {}

  /**
   * The trunk is looked up per call by longest prefix of the (rewritten) request-URI user.
   *
   * @param orders target order per trunk that the table can return
   * @param noRoute decision when no prefix matches
   */
  record ByPrefix(String tableName, PrefixTable table, Map<String, TargetOrder> orders,
      PolicyDecision.Reject noRoute) implements Destination {
    public ByPrefix {
      orders = Map.copyOf(orders);
    }
  }
}
