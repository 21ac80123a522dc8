package io.edgesbc.policy.admission;

import java.util.concurrent.atomic.LongAdder;

/** Refusal counts by reason and scope; LongAdder because many threads bump the same cell. */
final class RejectionCounters {

  private static final int SCOPES = Scope.values().length;

  private final LongAdder[] cells;

  RejectionCounters() {
    cells = new LongAdder[Reason.values().length * Scope.values().length];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new LongAdder();
    }
  }

  void increment(Reason reason, Scope scope) {
    cells[index(reason, scope)].increment();
  }

  long get(Reason reason, Scope scope) {
    return cells[index(reason, scope)].sum();
  }

  private static int index(Reason reason, Scope scope) {
    return reason.ordinal() * SCOPES + scope.ordinal();
  }
}
