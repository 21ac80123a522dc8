package io.edgesbc.policy;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Default random source for target ordering: delegates to the calling thread's generator so
 * concurrent {@code decide} calls never contend on one seed.
 */
final class ThreadLocalRandomGenerator implements RandomGenerator {

  static final ThreadLocalRandomGenerator INSTANCE = new ThreadLocalRandomGenerator();

  private ThreadLocalRandomGenerator() {}

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public long nextLong(long bound) {
    return ThreadLocalRandom.current().nextLong(bound);
  }
}
