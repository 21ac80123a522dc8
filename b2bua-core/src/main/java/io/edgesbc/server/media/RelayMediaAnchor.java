package io.edgesbc.server.media;

import io.edgesbc.b2bua.MediaAnchor;
import io.edgesbc.b2bua.MediaOutcome;
import io.edgesbc.b2bua.MediaPolicy;
import io.edgesbc.b2bua.MediaSession;
import io.edgesbc.b2bua.MediaSummary;
import io.edgesbc.media.relay.CallOptions;
import io.edgesbc.media.relay.CallStats;
import io.edgesbc.media.relay.LatchMode;
import io.edgesbc.media.relay.MediaRelay;
import io.edgesbc.media.relay.MediaTimeoutListener;
import io.edgesbc.media.relay.NanoClock;
import io.edgesbc.media.relay.RealmConfig;
import io.edgesbc.media.relay.RelayConfig;
import io.edgesbc.media.relay.RelayResult;
import io.edgesbc.media.relay.StreamKind;
import io.edgesbc.media.relay.StreamStats;
import io.edgesbc.media.relay.Ticker;
import io.edgesbc.media.sdp.CodecPolicy;
import io.edgesbc.media.sdp.MediaDescription;
import io.edgesbc.media.sdp.SdpParseException;
import io.edgesbc.media.sdp.SdpParser;
import io.edgesbc.media.sdp.SessionDescription;
import io.edgesbc.server.config.MediaConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The B2BUA's {@link MediaAnchor} over the {@link MediaRelay}: every SDP body of a call goes
 * through the relay, which allocates ports on the realm of each leg and rewrites the body for the
 * other party.
 *
 * <p>Mapping: a {@link MediaSession} is one relay call ({@link MediaSession#id()}); the caller's
 * leg is relay leg {@value #CALLER_LEG}, the callee's {@value #CALLEE_LEG}. The first offer of a
 * session creates the relay call with the realms of the session (the offerer's first), the bypass
 * of the policy or of the configured realm pairs, and the policy's latch mode and media timeout;
 * a later offer from either side is an update (re-INVITE, UPDATE, hold). The policy's codec
 * filter applies to offers before the relay sees them, so a section left without a codec gets no
 * ports; answers are not filtered (RFC 3264 §6.1: an answer only picks from the offer's formats,
 * which the filter already bounded).
 *
 * <p>Outcomes: no free port pair, or a bind failure → 503 with Retry-After; a body that is not SDP,
 * or an offer whose every stream the codec policy removed, or an answer that does not fit the
 * offer/answer state → 488; an offer or answer after the session was released → 481; anything
 * unexpected → 500, logged.
 *
 * <p>Threading: every request runs on the relay's control executor for its session (the event
 * loop that owns the session's sockets, {@link MediaRelay#controlExecutor}), where binding and
 * closing sockets completes in place: nothing waits, and a request costs one hand-over from the
 * caller (a call shard) and one back, where a worker pool would add a thread that waits for the
 * loop. The {@link Mono}s complete on that loop. Requests of one session are serialised on a
 * lock stripe (and, on the loop, by its order), so a release that
 * starts after an offer can never be overtaken by it: an offer arriving after the release is
 * refused and leaves nothing allocated.
 */
public final class RelayMediaAnchor implements MediaAnchor, AutoCloseable {

    /** The relay leg of the caller's side. */
    public static final String CALLER_LEG = "caller";
    /** The relay leg of the callee's side. */
    public static final String CALLEE_LEG = "callee";
    /** Retry-After on a 503 for want of ports: pairs come back as calls end. */
    public static final Duration EXHAUSTED_RETRY_AFTER = Duration.ofSeconds(5);
    /** How long a released session id refuses late requests (longer than any transaction, 64·T1). */
    static final Duration RELEASED_MEMORY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(RelayMediaAnchor.class);
    private static final int STRIPES = 64;

    private final MediaRelay relay;
    private final Set<String> realms;
    private final Set<RealmPair> bypass;
    /** Where the requests of a session run: its relay loop, one {@link Scheduler} per loop. */
    private final ConcurrentHashMap<java.util.concurrent.Executor, Scheduler> loopSchedulers = new ConcurrentHashMap<>();
    private final NanoClock clock;
    private final Object[] stripes = new Object[STRIPES];
    /** Released ids, with the time they were released; entries older than {@link #RELEASED_MEMORY} are dropped. */
    private final ConcurrentHashMap<String, Long> released = new ConcurrentHashMap<>();
    /** Release order of {@link #released}, for expiry; guarded by itself. */
    private final ArrayDeque<String> releasedOrder = new ArrayDeque<>();
    private volatile Consumer<String> timeoutListener = id -> { };
    private volatile Consumer<MediaSummary> summaryListener = s -> { };

    /** An unordered pair of realms whose calls bypass the relay. */
    public record RealmPair(String a, String b) {
        public RealmPair {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
        }

        boolean joins(String x, String y) {
            return (a.equals(x) && b.equals(y)) || (a.equals(y) && b.equals(x));
        }
    }

    /**
     * An anchor over a relay built by {@code relays}, which gets the listener to create the
     * relay with (so that media timeouts reach {@link #onMediaTimeout}).
     */
    RelayMediaAnchor(Function<MediaTimeoutListener, MediaRelay> relays, Set<String> realms, Set<RealmPair> bypass,
                     NanoClock clock) {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        this.realms = Set.copyOf(realms);
        this.bypass = Set.copyOf(bypass);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.relay = relays.apply((callId, silence, onHold) -> {
            log.info("media of {}: no RTP for {} ({}); ending the call", callId, silence,
                    onHold ? "on hold" : "not on hold");
            timeoutListener.accept(callId);
        });
    }

    /** The scheduler of a session's relay loop, made when the loop is first met (one per I/O thread). */
    private Scheduler schedulerOf(String id) {
        return loopSchedulers.computeIfAbsent(relay.controlExecutor(id), loop -> Schedulers.fromExecutor(loop, false));
    }

    /** An anchor over a new relay with the system clock and a daemon sweep thread. */
    public static RelayMediaAnchor create(RelayConfig config, Set<RealmPair> bypass) {
        return create(config, bypass, NanoClock.system(), Ticker.daemon());
    }

    /** The anchor of a server's {@code media:} configuration (which must be enabled). */
    public static RelayMediaAnchor create(MediaConfig media) {
        List<RealmConfig> realms = new ArrayList<>();
        for (MediaConfig.Realm r : media.realms()) {
            realms.add(new RealmConfig(r.name(), r.address(), r.minPort(), r.maxPort(), r.latching(), r.advertise()));
        }
        Set<RealmPair> bypass = new HashSet<>();
        for (MediaConfig.BypassPair p : media.bypass()) {
            bypass.add(new RealmPair(p.a(), p.b()));
        }
        RelayConfig config = RelayConfig.of(realms.toArray(RealmConfig[]::new))
                .withTimeouts(media.timeout(), media.holdTimeout());
        return create(config, bypass);
    }

    /** An anchor over a new relay with an injected clock and sweep ticker (tests). */
    public static RelayMediaAnchor create(RelayConfig config, Set<RealmPair> bypass, NanoClock clock, Ticker ticker) {
        Set<String> names = new HashSet<>();
        for (RealmConfig r : config.realms()) {
            names.add(r.name());
        }
        return new RelayMediaAnchor(listener -> MediaRelay.create(config, listener, clock, ticker), names, bypass,
                clock);
    }

    /** The relay, for its metrics. */
    public MediaRelay relay() {
        return relay;
    }

    @Override
    public Mono<MediaOutcome> offer(MediaSession session, MediaSession.Side from, byte[] sdp) {
        return Mono.fromCallable(() -> guarded(session, "offer", () -> offerNow(session, from, sdp)))
                .subscribeOn(schedulerOf(session.id()));
    }

    @Override
    public Mono<MediaOutcome> answer(MediaSession session, MediaSession.Side from, byte[] sdp) {
        return Mono.fromCallable(() -> guarded(session, "answer", () -> answerNow(session, from, sdp)))
                .subscribeOn(schedulerOf(session.id()));
    }

    @Override
    public Mono<MediaSummary> release(MediaSession session) {
        return release(session.id());
    }

    /** Releases a relay call by id (also one whose B2BUA call is gone). */
    public Mono<MediaSummary> release(String id) {
        return Mono.fromCallable(() -> releaseNow(id)).subscribeOn(schedulerOf(id));
    }

    @Override
    public void onMediaTimeout(Consumer<String> listener) {
        this.timeoutListener = Objects.requireNonNull(listener, "listener");
    }

    /** Told of every released anchored session's summary (the metrics' jitter and loss). */
    public void onSummary(Consumer<MediaSummary> listener) {
        this.summaryListener = Objects.requireNonNull(listener, "listener");
    }

    /** Deletes every call and closes the relay's sockets and threads. */
    @Override
    public void close() {
        relay.close();
    }

    // ---------------------------------------------------------------- on the session's scheduler

    /** Unexpected exceptions become a 500 (logged); errors (a BlockHound report among them) propagate. */
    private MediaOutcome guarded(MediaSession session, String what, java.util.concurrent.Callable<MediaOutcome> work) {
        try {
            return work.call();
        } catch (Exception e) {
            log.error("media {} of {} failed", what, session.id(), e);
            return new MediaOutcome.Refused(500, "Server Internal Error", null);
        }
    }

    private MediaOutcome offerNow(MediaSession session, MediaSession.Side from, byte[] body) {
        Optional<SessionDescription> parsed = parse(session, body);
        if (parsed.isEmpty()) {
            return notAcceptable();
        }
        SessionDescription sdp = parsed.get();
        SessionDescription filtered = filterCodecs(sdp, codecPolicy(session.policy()));
        if (filtered == null) {
            log.info("media offer of {}: the codec policy leaves no stream", session.id());
            return notAcceptable();
        }
        String offererRealm = realmOf(session, from);
        String answererRealm = realmOf(session, other(from));
        if (!realms.contains(offererRealm) || !realms.contains(answererRealm)) {
            log.error("media offer of {}: realm {} or {} has no relay address", session.id(), offererRealm,
                    answererRealm);
            return new MediaOutcome.Refused(500, "Server Internal Error", null);
        }
        CallOptions options = options(session, offererRealm, answererRealm);
        RelayResult result;
        synchronized (stripe(session.id())) {
            if (isReleased(session.id())) {
                return callGone(session, "offer");
            }
            // An offer on an existing relay call is an update (MediaRelay#offer), whichever side sends it.
            result = relay.offer(session.id(), leg(from), filtered, options);
        }
        return outcome(session, "offer", result, body, filtered == sdp);
    }

    private MediaOutcome answerNow(MediaSession session, MediaSession.Side from, byte[] body) {
        Optional<SessionDescription> parsed = parse(session, body);
        if (parsed.isEmpty()) {
            return notAcceptable();
        }
        RelayResult result;
        synchronized (stripe(session.id())) {
            if (isReleased(session.id())) {
                return callGone(session, "answer");
            }
            result = relay.answer(session.id(), leg(from), parsed.get());
        }
        return outcome(session, "answer", result, body, true);
    }

    private MediaSummary releaseNow(String id) {
        Optional<CallStats> stats;
        synchronized (stripe(id)) {
            remember(id);
            stats = relay.delete(id);
        }
        if (stats.isEmpty() || stats.get().bypassed()) {
            return MediaSummary.NONE;
        }
        MediaSummary summary = summarise(stats.get());
        try {
            summaryListener.accept(summary);
        } catch (RuntimeException e) {
            log.warn("the media summary of {} could not be reported", id, e);
        }
        return summary;
    }

    private MediaOutcome outcome(MediaSession session, String what, RelayResult result, byte[] original,
                                 boolean unfiltered) {
        if (result instanceof RelayResult.Relayed relayed) {
            if (relayed.allocation().isEmpty() && unfiltered) {
                // bypass: the body goes on byte for byte
                return new MediaOutcome.Rewritten(original);
            }
            return new MediaOutcome.Rewritten(relayed.description().toBytes());
        }
        RelayResult.Failure failure = (RelayResult.Failure) result;
        log.info("media {} of {} refused: {}", what, session.id(), failure.reason());
        if (failure instanceof RelayResult.PortsExhausted || failure instanceof RelayResult.BindFailed) {
            // RFC 3261 §21.5.4: a temporary overload; ports come back as calls end
            return new MediaOutcome.Refused(503, "Service Unavailable", EXHAUSTED_RETRY_AFTER);
        }
        if (failure instanceof RelayResult.UnknownCall) {
            return callGone(session, what);
        }
        // Rejected: the body does not fit the call's offer/answer state (a side answering its own offer)
        return notAcceptable();
    }

    private static MediaOutcome notAcceptable() {
        // RFC 3261 §21.4.26
        return new MediaOutcome.Refused(488, "Not Acceptable Here", null);
    }

    private static MediaOutcome callGone(MediaSession session, String what) {
        log.info("media {} of {} after its release or before any offer", what, session.id());
        // RFC 3261 §12.2.2: the dialog's media no longer exists
        return new MediaOutcome.Refused(481, "Call/Transaction Does Not Exist", null);
    }

    private static Optional<SessionDescription> parse(MediaSession session, byte[] body) {
        try {
            return Optional.of(SdpParser.parse(body));
        } catch (SdpParseException e) {
            log.info("media of {}: unusable SDP: {}", session.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private CallOptions options(MediaSession session, String offererRealm, String answererRealm) {
        MediaPolicy policy = session.policy();
        CallOptions options = CallOptions.between(offererRealm, answererRealm);
        boolean pairBypass = bypass.stream().anyMatch(p -> p.joins(offererRealm, answererRealm));
        if (policy.bypass() || pairBypass) {
            options = options.withBypass();
        }
        if (policy.latchMode() != null) {
            switch (policy.latchMode().toLowerCase(Locale.ROOT)) {
                case "latch" -> options = options.withLatchMode(LatchMode.LATCH);
                case "strict" -> options = options.withLatchMode(LatchMode.STRICT);
                default -> log.warn("media of {}: unknown latch mode '{}', using the realms'", session.id(),
                        policy.latchMode());
            }
        }
        if (policy.timeout() != null && policy.timeout().compareTo(Duration.ZERO) > 0) {
            options = options.withMediaTimeout(policy.timeout());
        }
        return options;
    }

    static CodecPolicy codecPolicy(MediaPolicy policy) {
        return new CodecPolicy(policy.codecAllow(), policy.codecDeny(), policy.codecOrder());
    }

    /**
     * The offer with the codec policy applied to each section; the same instance when nothing
     * changed; null when it leaves no stream where there was one (RFC 3264 §6: a stream without
     * a usable format is rejected, and a session without any stream has nothing to set up).
     */
    static SessionDescription filterCodecs(SessionDescription sdp, CodecPolicy codecs) {
        if (codecs.isAllowAll()) {
            return sdp;
        }
        List<MediaDescription> media = new ArrayList<>(sdp.media().size());
        boolean changed = false;
        boolean hadStream = false;
        boolean hasStream = false;
        for (MediaDescription m : sdp.media()) {
            MediaDescription f = codecs.apply(m);
            changed |= !f.equals(m);
            hadStream |= !m.isRejected();
            hasStream |= !f.isRejected();
            media.add(f);
        }
        if (hadStream && !hasStream) {
            return null;
        }
        return changed ? sdp.withMedia(media) : sdp;
    }

    /**
     * Per side: packets and bytes of its RTP and RTCP sockets, RTP loss summed over its media
     * sections, and the worst RTP jitter among them.
     */
    static MediaSummary summarise(CallStats stats) {
        Set<String> named = new HashSet<>();
        for (StreamStats s : stats.streams()) {
            if (s.legId() != null) {
                named.add(s.legId());
            }
        }
        // the answering leg has no id until its first answer: it is the one not named yet
        String unnamed = named.contains(CALLER_LEG) ? CALLEE_LEG : CALLER_LEG;
        long[] packets = new long[2];
        long[] bytes = new long[2];
        long[] lost = new long[2];
        double[] jitter = new double[2];
        for (StreamStats s : stats.streams()) {
            String legId = s.legId() != null ? s.legId() : unnamed;
            int i = CALLER_LEG.equals(legId) ? 0 : 1;
            packets[i] += s.packets();
            bytes[i] += s.bytes();
            if (s.kind() == StreamKind.RTP) {
                lost[i] += s.packetsLost();
                jitter[i] = Math.max(jitter[i], s.jitterMillis());
            }
        }
        return new MediaSummary(true, new MediaSummary.Side(packets[0], bytes[0], lost[0], jitter[0]),
                new MediaSummary.Side(packets[1], bytes[1], lost[1], jitter[1]));
    }

    private static String leg(MediaSession.Side side) {
        return side == MediaSession.Side.CALLER ? CALLER_LEG : CALLEE_LEG;
    }

    private static MediaSession.Side other(MediaSession.Side side) {
        return side == MediaSession.Side.CALLER ? MediaSession.Side.CALLEE : MediaSession.Side.CALLER;
    }

    private static String realmOf(MediaSession session, MediaSession.Side side) {
        return side == MediaSession.Side.CALLER ? session.callerRealm() : session.calleeRealm();
    }

    /**
     * The same hash as the relay's choice of loop (NettyMediaRelay: floorMod of the id's hash by
     * the loop count), so with a loop count that divides {@link #STRIPES} (the default 2 does)
     * two sessions that share a stripe share a loop too, and no loop waits on another's monitor.
     */
    private Object stripe(String id) {
        return stripes[Math.floorMod(id.hashCode(), STRIPES)];
    }

    // ---------------------------------------------------------------- released ids

    private boolean isReleased(String id) {
        return released.containsKey(id);
    }

    /** Remembers a released id, and forgets those released more than {@link #RELEASED_MEMORY} ago. */
    private void remember(String id) {
        long now = clock.nanoTime();
        long horizon = now - RELEASED_MEMORY.toNanos();
        synchronized (releasedOrder) {
            if (released.put(id, now) == null) {
                releasedOrder.addLast(id);
            }
            while (!releasedOrder.isEmpty()) {
                String oldest = releasedOrder.peekFirst();
                Long at = released.get(oldest);
                if (at != null && at - horizon > 0) {
                    break;
                }
                releasedOrder.pollFirst();
                released.remove(oldest);
            }
        }
    }
}
