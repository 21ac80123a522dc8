package io.edgesbc.policy;

import io.edgesbc.policy.rewrite.RewriteChain;
import io.edgesbc.policy.route.TargetOrder;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/** A route rule: rewrite numbers, pick the destination, attach treatment data. */
record RouteAction(
    String ruleName,
    Destination destination,
    Set<Integer> failoverCodes,
    RewriteChain requestUriUser,
    RewriteChain fromUser,
    RewriteChain toUser,
    HeaderRules headerRules,
    CodecRules codecs,
    MediaRules media,
    LimitsRef limits,
    Map<String, Trunk> trunks)
    implements RuleAction {

  /**
   * @param codecs the rule's codec rules, or null when it has none (the destination trunk's apply)
   * @param media the rule's media rules, or null when it has none (likewise)
   * @param trunks every trunk of the policy by name (complete before any rule is read; not changed
   *     after the load)
   */
  RouteAction {
    failoverCodes = Set.copyOf(failoverCodes);
  }

  @Override
  public PolicyDecision decide(RequestView view, RandomGenerator random) {
    String ruri = requestUriUser.applyOrNull(view.requestUriUser());
    Rewrites rewrites = ruri == null && fromUser.isEmpty() && toUser.isEmpty()
        ? Rewrites.NONE
        : new Rewrites(ruri, fromUser.applyOrNull(view.fromUser()), toUser.applyOrNull(view.toUser()));

    String trunk;
    TargetOrder order;
    if (destination instanceof Destination.Fixed fixed) {
      trunk = fixed.trunk();
      order = fixed.order();
    } else {
      Destination.ByPrefix byPrefix = (Destination.ByPrefix) destination;
      // Route on the number as it will leave the SBC, so tables can be written in one form (E.164).
      String number = ruri != null ? ruri : view.requestUriUser();
      trunk = byPrefix.table().longestMatchOrNull(number);
      if (trunk == null) {
        return byPrefix.noRoute();
      }
      order = byPrefix.orders().get(trunk);
    }
    // The rule's own media and codec rules win, then the destination trunk's, then the defaults.
    Trunk to = trunk == null ? null : trunks.get(trunk);
    MediaRules m = media != null ? media : to != null && to.media() != null ? to.media() : MediaRules.DEFAULT;
    CodecRules c = codecs != null ? codecs : to != null && to.codecs() != null ? to.codecs() : CodecRules.NONE;
    return new PolicyDecision.Route(ruleName, trunk, order.order(random), failoverCodes, rewrites,
        headerRules, c, m, limits);
  }
}
