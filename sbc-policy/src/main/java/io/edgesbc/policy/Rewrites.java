package io.edgesbc.policy;

/**
 * The user parts the B2BUA must put on the outgoing leg, already computed by the policy.
 * A null component means "leave as received".
 */
public record Rewrites(String requestUriUser, String fromUser, String toUser) {

  public static final Rewrites NONE = new Rewrites(null, null, null);

  public boolean isEmpty() {
    return requestUriUser == null && fromUser == null && toUser == null;
  }
}
