package io.edgesbc.policy.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.edgesbc.policy.FloodGuardSettings;
import io.edgesbc.policy.match.CidrBlock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Per-source request-rate limit with a temporary ban: a source that sends more than its burst
 * plus the sustained rate is refused entirely for the ban period. Every request counts, not just
 * INVITEs, because REGISTER and OPTIONS scanners are the usual floods.
 *
 * <p>State per source expires once the source has been idle long enough for its bucket to be full
 * again, so memory follows the number of recently active sources; both caches are also bounded
 * so a flood from spoofed addresses cannot exhaust the heap (an evicted source merely starts
 * over with a full bucket).
 */
public final class FloodGuard {

  /** Upper bound on tracked and on banned sources. */
  public static final long DEFAULT_MAX_SOURCES = 200_000;

  private final FloodGuardSettings settings;
  private final List<CidrBlock> exempt;
  private final Ticker ticker;
  private final Cache<InetAddress, RateLimiter> buckets;
  private final Cache<InetAddress, Boolean> bans;
  private final Function<InetAddress, RateLimiter> newBucket;
  private final AdmissionListener listener;

  /**
   * @param exempt address blocks never counted or banned (the settings' own {@code exempt} list
   *     plus, when {@code exempt_trunks} is set, the trunks' blocks; the caller combines them)
   */
  public FloodGuard(FloodGuardSettings settings, List<CidrBlock> exempt, Ticker ticker,
      long maxSources, AdmissionListener listener) {
    this(settings, exempt, ticker, maxSources, listener, ForkJoinPool.commonPool());
  }

  /**
   * @param cacheExecutor where the caches run their maintenance (expiry and eviction); the
   *     default keeps that work off the event loops, tests pass {@code Runnable::run} so it
   *     happens predictably. Reads honour expiry by the ticker either way.
   */
  public FloodGuard(FloodGuardSettings settings, List<CidrBlock> exempt, Ticker ticker,
      long maxSources, AdmissionListener listener, Executor cacheExecutor) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.exempt = List.copyOf(exempt);
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cacheExecutor, "cacheExecutor");
    // A throwaway bucket tells how long an idle source takes to refill completely.
    long refill = new RateLimiter(settings.requestsPerSecond(), settings.burst(), 0).refillNanos();
    this.buckets = Caffeine.newBuilder()
        .ticker(ticker)
        .executor(cacheExecutor)
        .expireAfterAccess(Duration.ofNanos(Math.max(refill, 1_000_000_000L)))
        .maximumSize(maxSources)
        .build();
    this.bans = Caffeine.newBuilder()
        .ticker(ticker)
        .executor(cacheExecutor)
        .expireAfterWrite(settings.banFor())
        .maximumSize(maxSources)
        .build();
    this.newBucket = source -> new RateLimiter(settings.requestsPerSecond(), settings.burst(),
        ticker.read());
  }

  /** Counts one request from {@code source} and says whether to process it. */
  public FloodVerdict check(InetAddress source) {
    if (isExempt(source)) {
      return FloodVerdict.EXEMPT;
    }
    if (bans.getIfPresent(source) != null) {
      return FloodVerdict.BANNED;
    }
    RateLimiter bucket = buckets.get(source, newBucket);
    if (bucket.tryTake(ticker.read())) {
      return FloodVerdict.ALLOWED;
    }
    // Several threads may see the same source overflow at once; ban and notify only once.
    if (bans.asMap().putIfAbsent(source, Boolean.TRUE) == null) {
      // Start over with a full bucket when the ban ends rather than with the flood's debt.
      buckets.invalidate(source);
      listener.onBanned(source, settings.banFor());
      return FloodVerdict.RATE_EXCEEDED;
    }
    return FloodVerdict.BANNED;
  }

  /** Whether {@code source} is serving a ban; does not count a request. */
  public boolean isBanned(InetAddress source) {
    return bans.getIfPresent(source) != null;
  }

  public boolean isExempt(InetAddress source) {
    for (CidrBlock block : exempt) {
      if (block.contains(source)) {
        return true;
      }
    }
    return false;
  }

  /** Lifts a ban early, e.g. from an operator command. */
  public void unban(InetAddress source) {
    bans.invalidate(source);
  }

  /** Approximate number of banned sources, for a gauge. */
  public long bannedSources() {
    bans.cleanUp();
    return bans.estimatedSize();
  }

  /** Approximate number of sources with rate state, for a gauge. */
  public long trackedSources() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }

  public FloodGuardSettings settings() {
    return settings;
  }
}
