package io.edgesbc.policy.admission;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The concurrent-call slots one admitted call holds. A call can end in many ways (answered then
 * hung up, failed, cancelled, timed out, torn down after an error), often with several of those
 * paths racing on different threads; each may simply call {@link #release()}, and the slots are
 * given back exactly once.
 */
public final class CallPermit {

  private static final VarHandle RELEASED;

  static {
    try {
      RELEASED = MethodHandles.lookup().findVarHandle(CallPermit.class, "released", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrencyLimiter[] held;
  @SuppressWarnings("unused") // accessed through RELEASED
  private volatile boolean released;

  CallPermit(ConcurrencyLimiter[] held) {
    this.held = held;
  }

  /**
   * Returns every slot this permit holds, the first time it is called.
   *
   * @return true if this call released the slots, false if the permit was already released
   */
  public boolean release() {
    if (!RELEASED.compareAndSet(this, false, true)) {
      return false;
    }
    for (ConcurrencyLimiter limiter : held) {
      limiter.release();
    }
    return true;
  }

  public boolean isReleased() {
    return released;
  }

  /** Number of concurrent-call limits this permit counts against (0 when none apply). */
  public int heldLimits() {
    return held.length;
  }
}
