package io.edgesbc.policy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.LimitsRef;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random call lifecycles against one controller: whatever order calls end in, however many
 * release paths fire per call and on however many threads, every concurrent-call counter stays
 * within [0, limit], matches the calls actually holding it, and returns to 0.
 */
class AdmissionProperties {

  /** Concurrent limits by usage name, mirrored from POLICY and RULES for the model. */
  private static final Map<String, Integer> LIMITS = Map.of(
      "global", 6, "carrier", 3, "pbx", 4, "r0", 2, "r1", 5);

  private static final String POLICY = """
      limits: {concurrent_calls: 6}
      trunks:
        - name: carrier
          targets: ["sip:203.0.113.1"]
          limits: {concurrent_calls: 3}
        - name: pbx
          targets: ["sip:10.0.0.5"]
          limits: {concurrent_calls: 4, calls_per_second: 5, burst: 3}
        - name: free
          targets: ["sip:192.0.2.9"]
      rules:
        - name: all
          route: {trunk: carrier}
      """;

  private static final List<LimitsRef> RULES = List.of(
      new LimitsRef("rule:r0", 2, 0, 0),
      new LimitsRef("rule:r1", 5, 2, 2),
      LimitsRef.NONE);
  private static final List<String> TRUNKS = Arrays.asList(null, "carrier", "pbx", "free");
  private static final InetAddress SOURCE = AdmissionFixtures.ip("198.51.100.1");
  private static final Policy LOADED = load();

  private static Policy load() {
    try {
      Path dir = Files.createTempDirectory("admission-props");
      Path file = Files.writeString(dir.resolve("policy.yaml"), POLICY);
      Policy p = PolicyLoader.load(List.of(file)).policyOrThrow();
      Files.delete(file);
      Files.delete(dir);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How a call ends, and so how many release paths fire for it (racing paths fire twice). */
  enum Ending {
    ANSWERED_THEN_BYE(1), FAILED(1), CANCELLED(2), TIMED_OUT(2), ERROR(3);

    final int releases;

    Ending(int releases) {
      this.releases = releases;
    }
  }

  sealed interface Step permits Start, End, Tick {}

  record Start(int rule, int trunk, Ending ending) implements Step {}

  /** Ends the call at {@code pick} modulo the calls admitted so far (ended ones too: duplicates). */
  record End(int pick) implements Step {}

  record Tick(int millis) implements Step {}

  @Provide
  Arbitrary<List<Step>> lifecycles() {
    Arbitrary<Step> start = Combinators.combine(
        Arbitraries.integers().between(0, RULES.size() - 1),
        Arbitraries.integers().between(0, TRUNKS.size() - 1),
        Arbitraries.of(Ending.class)).as(Start::new);
    Arbitrary<Step> end = Arbitraries.integers().between(0, 1_000).map(End::new);
    Arbitrary<Step> tick = Arbitraries.integers().between(1, 2_000).map(Tick::new);
    return Arbitraries.frequencyOf(
        Tuple.of(5, start), Tuple.of(4, end),
        Tuple.of(1, tick)).list().ofMaxSize(200);
  }

  /** A call the model knows about: the usage names it counts against while unreleased. */
  private record Call(CallPermit permit, List<String> holds, Ending ending) {}

  @Property(tries = 300)
  void countersMatchTheLiveCallsAndReturnToZero(@ForAll("lifecycles") List<Step> steps) {
    FakeTicker time = new FakeTicker();
    AdmissionController c = AdmissionController.builder(LOADED).ticker(time).build();
    List<Call> calls = new ArrayList<>();
    Map<String, Integer> model = new HashMap<>();

    for (Step step : steps) {
      if (step instanceof Start s) {
        List<String> wants = wants(s);
        Admission a = c.admit(new AdmissionRequest(SOURCE, TRUNKS.get(s.trunk()), RULES.get(s.rule())));
        if (a instanceof Admission.Admitted ok) {
          // Admitted only if every concurrent limit it counts against had room.
          for (String name : wants) {
            assertThat(model.getOrDefault(name, 0)).isLessThan(LIMITS.get(name));
            model.merge(name, 1, Integer::sum);
          }
          calls.add(new Call(ok.permit(), wants, s.ending()));
        } else {
          Admission.Rejected r = (Admission.Rejected) a;
          if (r.reason() == Reason.CONCURRENT_CALLS) {
            assertThat(model.getOrDefault(r.name(), 0)).isEqualTo(LIMITS.get(r.name()));
          } else {
            assertThat(r.reason()).isEqualTo(Reason.CALLS_PER_SECOND);
          }
        }
      } else if (step instanceof End e && !calls.isEmpty()) {
        Call call = calls.get(e.pick() % calls.size());
        boolean wasLive = !call.permit().isReleased();
        int released = 0;
        for (int i = 0; i < call.ending().releases; i++) {
          released += call.permit().release() ? 1 : 0;
        }
        assertThat(released).isEqualTo(wasLive ? 1 : 0);
        if (wasLive) {
          call.holds().forEach(name -> model.merge(name, -1, Integer::sum));
        }
      } else if (step instanceof Tick t) {
        time.advance(Duration.ofMillis(t.millis()));
      }
      assertMatches(c, model);
    }

    for (Call call : calls) {
      call.permit().release();
      call.permit().release();
    }
    assertThat(c.usage()).allSatisfy(u -> assertThat(u.inUse()).isZero());
  }

  private static List<String> wants(Start s) {
    List<String> names = new ArrayList<>();
    LimitsRef rule = RULES.get(s.rule());
    if (rule.concurrentCalls() > 0) {
      names.add(rule.key().substring("rule:".length()));
    }
    String trunk = TRUNKS.get(s.trunk());
    if (trunk != null && LIMITS.containsKey(trunk)) {
      names.add(trunk);
    }
    names.add("global");
    return names;
  }

  private static void assertMatches(AdmissionController c, Map<String, Integer> model) {
    for (LimitUsage u : c.usage()) {
      assertThat(u.inUse()).as(u.name()).isBetween(0, u.limit())
          .isEqualTo(model.getOrDefault(u.name(), 0));
    }
  }

  /**
   * Several threads admit calls and end them, handing permits to each other so that the same
   * permit is often released by two threads at once, while an observer checks the bounds.
   */
  @Property(tries = 12)
  void racingThreadsNeverBreakTheBoundsAndReleaseEachPermitOnce(@ForAll long seed) throws InterruptedException {
    AdmissionController c = AdmissionController.builder(LOADED).ticker(new FakeTicker()).build();
    ConcurrentLinkedQueue<CallPermit> live = new ConcurrentLinkedQueue<>();
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger releases = new AtomicInteger();
    AtomicReference<String> violation = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    int workers = 3;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      SplittableRandom random = new SplittableRandom(seed + w);
      threads.add(new Thread(() -> {
        await(start);
        for (int i = 0; i < 3_000; i++) {
          if (random.nextInt(10) < 6) {
            Admission a = c.admit(new AdmissionRequest(SOURCE,
                TRUNKS.get(random.nextInt(TRUNKS.size())), RULES.get(random.nextInt(RULES.size()))));
            if (a instanceof Admission.Admitted ok) {
              admitted.incrementAndGet();
              live.add(ok.permit());
            }
          } else {
            CallPermit p = live.peek();
            // peek without poll: other threads may release the same permit concurrently.
            if (p != null) {
              releases.addAndGet(p.release() ? 1 : 0);
              if (random.nextBoolean()) {
                live.remove(p);
              }
            }
          }
        }
      }));
    }
    Thread observer = new Thread(() -> {
      while (!done.get()) {
        for (LimitUsage u : c.usage()) {
          if (u.inUse() < 0 || u.inUse() > u.limit()) {
            violation.compareAndSet(null, u.toString());
          }
        }
        Thread.onSpinWait();
      }
    });
    threads.forEach(Thread::start);
    observer.start();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    done.set(true);
    observer.join();

    for (CallPermit p : live) {
      releases.addAndGet(p.release() ? 1 : 0);
    }
    assertThat(violation.get()).isNull();
    assertThat(releases.get()).isEqualTo(admitted.get());
    assertThat(c.usage()).allSatisfy(u -> assertThat(u.inUse()).isZero());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
