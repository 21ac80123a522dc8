package io.edgesbc.policy.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects validation errors instead of throwing, so an operator sees every mistake of a file set
 * in one run.
 */
public final class Problems {

  /** One error at a position. */
  public record Problem(Position position, String message) {}

  private final List<Problem> problems = new ArrayList<>();

  public void add(Position position, String message) {
    problems.add(new Problem(position, message));
  }

  public void add(Node at, String message) {
    add(at.position(), message);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public int count() {
    return problems.size();
  }

  public List<Problem> all() {
    return List.copyOf(problems);
  }
}
