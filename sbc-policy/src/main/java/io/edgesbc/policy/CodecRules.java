package io.edgesbc.policy;

import java.util.List;

/**
 * SDP codec filtering for the outgoing offer. Names are upper-case encoding names ({@code PCMA},
 * {@code OPUS}). An empty {@code allow} means "all not denied"; {@code order} lists codecs to move
 * to the front, in that order.
 */
public record CodecRules(List<String> allow, List<String> deny, List<String> order) {

  public static final CodecRules NONE = new CodecRules(List.of(), List.of(), List.of());

  public CodecRules {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    order = List.copyOf(order);
  }
}
