package io.edgesbc.policy.admission;

import com.github.benmanes.caffeine.cache.Ticker;
import io.edgesbc.policy.FloodGuardSettings;
import io.edgesbc.policy.LimitsRef;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.Trunk;
import io.edgesbc.policy.match.CidrBlock;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Enforces the limits of one policy generation. Thread-safe and non-blocking; see the package
 * documentation for how it is meant to be called.
 *
 * <p>A call counts against up to three limit sets: its rule's, its trunk's and the global one.
 * Concurrent-call slots are taken first, narrowest scope first, then rate tokens; if any check
 * fails, everything taken so far is given back, so a refused call holds nothing and does not eat
 * into another scope's rate.
 */
public final class AdmissionController {

  private static final String GLOBAL_NAME = LimitsRef.GLOBAL_KEY;
  private static final ConcurrencyLimiter[] NO_LIMITERS = new ConcurrencyLimiter[0];

  private final Ticker ticker;
  private final AdmissionResponses responses;
  private final AdmissionListener listener;
  private final LimitSet global;
  private final Map<String, LimitSet> trunks;
  /** Rule limits, created on first use: rules are known only through the decisions' LimitsRef. */
  private final ConcurrentHashMap<String, LimitSet> rules = new ConcurrentHashMap<>();
  /**
   * Concurrent-call counters by limits key, shared by every generation descended from the same
   * first controller, so calls admitted under an older policy keep counting after a reload.
   */
  private final ConcurrentHashMap<String, AtomicInteger> counters;
  private final FloodGuard floodGuard;
  private final RejectionCounters rejections = new RejectionCounters();

  private AdmissionController(Builder b) {
    this.ticker = b.ticker;
    this.responses = b.responses;
    this.listener = b.listener;
    this.counters = b.previous == null ? new ConcurrentHashMap<>() : b.previous.counters;
    long now = ticker.read();
    Policy policy = b.policy;
    this.global = policy.globalLimits().isUnlimited() ? null
        : LimitSet.of(Scope.GLOBAL, GLOBAL_NAME, policy.globalLimits(),
            counter(policy.globalLimits().key()), now);
    Map<String, LimitSet> byTrunk = new HashMap<>();
    for (Trunk t : policy.trunks().values()) {
      if (!t.limits().isUnlimited()) {
        byTrunk.put(t.name(), LimitSet.of(Scope.TRUNK, t.name(), t.limits(),
            counter(t.limits().key()), now));
      }
    }
    this.trunks = Map.copyOf(byTrunk);
    this.floodGuard = policy.floodGuard()
        .map(s -> new FloodGuard(s, exemptBlocks(s, policy), ticker, b.maxFloodSources, listener,
            b.cacheExecutor))
        .orElse(null);
  }

  public static Builder builder(Policy policy) {
    return new Builder(policy);
  }

  /** A controller with the system ticker, default responses and no listener. */
  public static AdmissionController of(Policy policy) {
    return builder(policy).build();
  }

  /**
   * The flood-guard check for any request from {@code source}, before anything else is done with
   * it.
   *
   * @return null to go on (null rather than Optional: this runs for every packet), or the refusal
   */
  public Admission.Rejected screen(InetAddress source) {
    if (floodGuard == null) {
      return null;
    }
    FloodVerdict v = floodGuard.check(source);
    return switch (v) {
      case ALLOWED, EXEMPT -> null;
      case RATE_EXCEEDED -> reject(Reason.FLOOD_RATE, Scope.SOURCE, source.getHostAddress(),
          "source " + source.getHostAddress() + " exceeded "
              + plain(floodGuard.settings().requestsPerSecond()) + " requests per second; banned for "
              + floodGuard.settings().banFor().toSeconds() + "s");
      case BANNED -> banned(source);
    };
  }

  /** Decides whether a new call may start; an admitted call must release its permit once. */
  public Admission admit(AdmissionRequest request) {
    // The flood guard already counted this request in screen(); here only a ban matters.
    if (floodGuard != null && floodGuard.isBanned(request.source())) {
      return banned(request.source());
    }
    LimitSet rule = ruleSet(request.ruleLimits());
    LimitSet trunk = request.trunk() == null ? null : trunks.get(request.trunk());

    LimitSet[] sets = {rule, trunk, global};
    ConcurrencyLimiter[] taken = NO_LIMITERS;
    int count = 0;
    for (LimitSet set : sets) {
      if (set == null || set.concurrent() == null) {
        continue;
      }
      if (!set.concurrent().tryAcquire()) {
        releaseAll(taken, count);
        return reject(Reason.CONCURRENT_CALLS, set.scope(), set.name(), describe(set)
            + " is at its limit of " + set.concurrent().limit() + " concurrent calls");
      }
      if (taken == NO_LIMITERS) {
        taken = new ConcurrencyLimiter[3];
      }
      taken[count++] = set.concurrent();
    }

    long now = ticker.read();
    RateLimiter[] tokens = {null, null, null};
    int tokenCount = 0;
    for (LimitSet set : sets) {
      if (set == null || set.rate() == null) {
        continue;
      }
      if (!set.rate().tryTake(now)) {
        for (int i = 0; i < tokenCount; i++) {
          tokens[i].refund();
        }
        releaseAll(taken, count);
        return reject(Reason.CALLS_PER_SECOND, set.scope(), set.name(), describe(set)
            + " exceeded its rate of " + plain(set.rate().perSecond()) + " calls per second");
      }
      tokens[tokenCount++] = set.rate();
    }
    ConcurrencyLimiter[] held = count == taken.length ? taken : Arrays.copyOf(taken, count);
    return new Admission.Admitted(new CallPermit(held));
  }

  /** Current use of every concurrent-call limit of this generation (rules: those used so far). */
  public List<LimitUsage> usage() {
    List<LimitUsage> out = new ArrayList<>();
    if (global != null && global.concurrent() != null) {
      out.add(global.concurrent().usage());
    }
    for (LimitSet s : trunks.values()) {
      if (s.concurrent() != null) {
        out.add(s.concurrent().usage());
      }
    }
    for (LimitSet s : rules.values()) {
      if (s.concurrent() != null) {
        out.add(s.concurrent().usage());
      }
    }
    return out;
  }

  /** Refusals so far with this reason and scope. */
  public long rejections(Reason reason, Scope scope) {
    return rejections.get(reason, scope);
  }

  public Optional<FloodGuard> floodGuard() {
    return Optional.ofNullable(floodGuard);
  }

  private LimitSet ruleSet(LimitsRef ref) {
    if (ref.isUnlimited()) {
      return null;
    }
    LimitSet set = rules.get(ref.key());
    if (set != null) {
      return set;
    }
    // Once per rule and generation; computeIfAbsent keeps racing first calls on one counter.
    return rules.computeIfAbsent(ref.key(), k -> LimitSet.of(Scope.RULE, ruleName(k), ref,
        counter(k), ticker.read()));
  }

  private Admission.Rejected banned(InetAddress source) {
    return reject(Reason.FLOOD_BANNED, Scope.SOURCE, source.getHostAddress(),
        "source " + source.getHostAddress() + " is banned for flooding");
  }

  private Admission.Rejected reject(Reason reason, Scope scope, String name, String detail) {
    Admission.Rejected r = Admission.Rejected.of(reason, scope, name, responses.get(reason), detail);
    rejections.increment(reason, scope);
    listener.onRejected(r);
    return r;
  }

  private static void releaseAll(ConcurrencyLimiter[] taken, int count) {
    for (int i = 0; i < count; i++) {
      taken[i].release();
    }
  }

  private static String describe(LimitSet set) {
    return switch (set.scope()) {
      case GLOBAL -> "the SBC";
      case TRUNK -> "trunk '" + set.name() + "'";
      case RULE -> "rule '" + set.name() + "'";
      case SOURCE -> "source " + set.name();
    };
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String ruleName(String key) {
    return key.startsWith("rule:") ? key.substring("rule:".length()) : key;
  }

  /** The counter for a limits key: an earlier generation's, so calls in flight still count. */
  private AtomicInteger counter(String key) {
    return counters.computeIfAbsent(key, k -> new AtomicInteger());
  }

  private static List<CidrBlock> exemptBlocks(FloodGuardSettings s, Policy policy) {
    List<CidrBlock> blocks = new ArrayList<>(s.exempt());
    if (s.exemptTrunks()) {
      for (Trunk t : policy.trunks().values()) {
        blocks.addAll(t.from());
      }
    }
    return blocks;
  }

  /** Options for a controller; only the policy is required. */
  public static final class Builder {
    private final Policy policy;
    private Ticker ticker = Ticker.systemTicker();
    private AdmissionResponses responses = AdmissionResponses.DEFAULTS;
    private AdmissionListener listener = AdmissionListener.NONE;
    private AdmissionController previous;
    private long maxFloodSources = FloodGuard.DEFAULT_MAX_SOURCES;
    private Executor cacheExecutor = ForkJoinPool.commonPool();

    private Builder(Policy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Time source for rates, bans and expiry; tests pass a fake one. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    public Builder responses(AdmissionResponses responses) {
      this.responses = Objects.requireNonNull(responses, "responses");
      return this;
    }

    public Builder listener(AdmissionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The controller of the policy being replaced. Concurrent-call counters with the same key
     * are shared with it, so calls admitted before a reload keep counting until they release
     * (their permits release into the shared counter). Rates and flood state start afresh.
     */
    public Builder previous(AdmissionController previous) {
      this.previous = previous;
      return this;
    }

    public Builder maxFloodSources(long maxFloodSources) {
      if (maxFloodSources < 1) {
        throw new IllegalArgumentException("maxFloodSources must be positive");
      }
      this.maxFloodSources = maxFloodSources;
      return this;
    }

    /** Where the flood guard's caches do maintenance; see {@link FloodGuard}. */
    public Builder cacheExecutor(Executor cacheExecutor) {
      this.cacheExecutor = Objects.requireNonNull(cacheExecutor, "cacheExecutor");
      return this;
    }

    public AdmissionController build() {
      return new AdmissionController(this);
    }
  }
}
