package io.edgesbc.media.relay;

import io.edgesbc.media.sdp.Connection;
import io.edgesbc.media.sdp.Direction;
import io.edgesbc.media.sdp.MediaDescription;
import io.edgesbc.media.sdp.RelayAllocation;
import io.edgesbc.media.sdp.Rtcp;
import io.edgesbc.media.sdp.SdpRewriter;
import io.edgesbc.media.sdp.SessionDescription;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@link MediaRelay} on Netty datagram channels. Each call lives on one event loop, chosen from
 * its id: its sockets are registered there, its data plane ({@link PacketPath}) runs there, and so
 * do its control requests, which is what orders them. A request made on that loop
 * ({@link #controlExecutor}) binds and closes sockets in place, without waiting for anything and
 * without a hand-over to another thread; a request made elsewhere is handed to the loop and waited
 * for. The call's monitor guards what {@link #sweep()} (on the injected {@link Ticker}) and
 * {@link #stats} read from other threads.
 */
final class NettyMediaRelay implements MediaRelay {

    private static final System.Logger LOG = System.getLogger(MediaRelay.class.getName());
    /** Ports of a realm that fail to bind (used by another process) are skipped this often. */
    private static final int BIND_ATTEMPTS = 8;
    private static final long IO_WAIT_MILLIS = 5_000;
    /** Datagrams one epoll read may take from a socket at once. */
    private static final int READ_BATCH = 8;

    private final RelayConfig config;
    private final MediaTimeoutListener listener;
    private final NanoClock clock;
    private final Map<String, RealmRuntime> realms = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, RelayCall> calls = new ConcurrentHashMap<>();
    private final Transport transport;
    /** The transport's loops, indexed by {@link #loopOf}. */
    private final EventLoop[] loops;
    private final Bootstrap bootstrap;
    private final SdpRewriter rewriter;
    private final long timeoutNanos;
    private final long holdTimeoutNanos;
    private final AutoCloseable sweepHandle;
    /** Traffic of deleted calls. */
    private final AtomicReference<RelayMetrics.Traffic> ended = new AtomicReference<>(RelayMetrics.Traffic.ZERO);
    /** The last traffic {@link #metrics()} reported; never decreases. */
    private final AtomicReference<RelayMetrics.Traffic> reportedTraffic =
            new AtomicReference<>(RelayMetrics.Traffic.ZERO);

    NettyMediaRelay(RelayConfig config, MediaTimeoutListener listener, NanoClock clock, Ticker ticker) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (RealmConfig r : config.realms()) {
            realms.put(r.name(), new RealmRuntime(r, new PortPool(r)));
        }
        this.transport = Transport.create(config.ioThreads());
        List<EventLoop> all = new ArrayList<>();
        transport.group().forEach(e -> all.add((EventLoop) e));
        this.loops = all.toArray(EventLoop[]::new);
        // The pooled allocator's per-thread caches suit the data plane: every receive buffer is
        // taken and (after the forward's send) returned on the same event loop.
        this.bootstrap = new Bootstrap()
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        if (transport.epoll()) {
            // recvmmsg: one read takes up to READ_BATCH datagrams queued on a socket (each at most
            // maxPacketSize, as before) into slices of one buffer, where recvmsg took one per call.
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, config.maxPacketSize())
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(config.maxPacketSize() * READ_BATCH));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(config.maxPacketSize()));
        }
        this.rewriter = new SdpRewriter(config.sdpOptions());
        this.timeoutNanos = config.mediaTimeout().toNanos();
        this.holdTimeoutNanos = config.holdTimeout().toNanos();
        this.sweepHandle = ticker.every(config.sweepInterval(), this::sweep);
    }

    // ---------------------------------------------------------------- control API

    @Override
    public Executor controlExecutor(String callId) {
        return loopOf(Objects.requireNonNull(callId, "callId"));
    }

    /** The loop of a call: spread by id, so that the calls' descriptors spread over the loops too. */
    private EventLoop loopOf(String callId) {
        return loops[Math.floorMod(callId.hashCode(), loops.length)];
    }

    /**
     * Runs a control request on the call's loop: in place when already there; from any other
     * thread by handing it over and waiting, except from another of the relay's loops, which must
     * not wait (that would stall its streams) and gets {@code refused} instead.
     */
    private <T> T onLoopOf(String callId, Supplier<T> request, Supplier<T> refused) {
        EventLoop loop = loopOf(callId);
        if (loop.inEventLoop()) {
            return request.get();
        }
        for (EventLoop other : loops) {
            if (other.inEventLoop()) {
                return refused.get();
            }
        }
        Future<T> done = loop.submit(request::get);
        if (!done.awaitUninterruptibly(IO_WAIT_MILLIS)) {
            throw new IllegalStateException("the relay's event loop did not run a request for " + callId
                    + " within " + IO_WAIT_MILLIS + " ms");
        }
        if (!done.isSuccess()) {
            Throwable cause = done.cause();
            if (cause instanceof RuntimeException e) {
                throw e;
            }
            if (cause instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(cause);
        }
        return done.getNow();
    }

    private static RelayResult offLoop() {
        return new RelayResult.Rejected("a call's control requests must not wait on another of the relay's event loops");
    }

    @Override
    public RelayResult offer(String callId, String legId, SessionDescription offer, CallOptions options) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(legId, "legId");
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(options, "options");
        return onLoopOf(callId, () -> offerHere(callId, legId, offer, options), NettyMediaRelay::offLoop);
    }

    private RelayResult offerHere(String callId, String legId, SessionDescription offer, CallOptions options) {
        RelayCall call = calls.get(callId);
        if (call == null) {
            RealmRuntime a = realms.get(options.offererRealm());
            RealmRuntime b = realms.get(options.answererRealm());
            if (a == null || b == null) {
                return new RelayResult.Rejected("unknown realm in " + options);
            }
            RelayCall fresh = new RelayCall(callId, options, loopOf(callId),
                    new RelayLeg(legId, a), new RelayLeg(null, b), clock.nanoTime());
            call = calls.putIfAbsent(callId, fresh);
            if (call == null) {
                call = fresh;
            }
        }
        synchronized (call) {
            if (call.deleted) {
                return new RelayResult.UnknownCall(callId);
            }
            int from = call.legIndex(legId);
            if (from < 0) {
                return new RelayResult.Rejected("leg " + legId + " is not part of call " + callId);
            }
            RelayResult r = negotiate(call, from, offer, true);
            if (!r.isRelayed() && call.offerer < 0) {
                // a failed first offer leaves nothing behind
                call.deleted = true;
                calls.remove(callId, call);
            }
            call.publish();
            return r;
        }
    }

    @Override
    public RelayResult answer(String callId, String legId, SessionDescription answer) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(legId, "legId");
        Objects.requireNonNull(answer, "answer");
        return onLoopOf(callId, () -> answerHere(callId, legId, answer), NettyMediaRelay::offLoop);
    }

    private RelayResult answerHere(String callId, String legId, SessionDescription answer) {
        RelayCall call = calls.get(callId);
        if (call == null) {
            return new RelayResult.UnknownCall(callId);
        }
        synchronized (call) {
            if (call.deleted) {
                return new RelayResult.UnknownCall(callId);
            }
            if (call.offerer < 0) {
                return new RelayResult.Rejected("no offer to answer in call " + callId);
            }
            int from = call.legIndex(legId);
            if (from < 0) {
                return new RelayResult.Rejected("leg " + legId + " is not part of call " + callId);
            }
            if (from == call.offerer) {
                return new RelayResult.Rejected("leg " + legId + " cannot answer its own offer");
            }
            RelayResult r = negotiate(call, from, answer, false);
            call.publish();
            return r;
        }
    }

    @Override
    public RelayResult update(String callId, String legId, SessionDescription offer) {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(legId, "legId");
        Objects.requireNonNull(offer, "offer");
        return onLoopOf(callId, () -> updateHere(callId, legId, offer), NettyMediaRelay::offLoop);
    }

    private RelayResult updateHere(String callId, String legId, SessionDescription offer) {
        RelayCall call = calls.get(callId);
        if (call == null) {
            return new RelayResult.UnknownCall(callId);
        }
        synchronized (call) {
            if (call.deleted) {
                return new RelayResult.UnknownCall(callId);
            }
            int from = call.legIndex(legId);
            if (from < 0) {
                return new RelayResult.Rejected("leg " + legId + " is not part of call " + callId);
            }
            RelayResult r = negotiate(call, from, offer, true);
            call.publish();
            return r;
        }
    }

    @Override
    public Optional<CallStats> delete(String callId) {
        Objects.requireNonNull(callId, "callId");
        return onLoopOf(callId, () -> deleteHere(callId), () -> {
            throw new IllegalStateException("a call's delete must not wait on another of the relay's event loops");
        });
    }

    private Optional<CallStats> deleteHere(String callId) {
        RelayCall call = calls.remove(callId);
        if (call == null) {
            return Optional.empty();
        }
        synchronized (call) {
            call.deleted = true;
            CallStats last = call.snapshot();
            // first out of the live set (above), then into the ended total: a concurrent
            // metrics() may miss the call once, which the monotonic guard there absorbs
            retire(last);
            call.publish();
            List<RelaySection> sections = new ArrayList<>();
            for (RelayLeg leg : call.legs) {
                for (RelaySection s : leg.sections) {
                    if (s != null) {
                        sections.add(s);
                    }
                }
                leg.sections.clear();
            }
            close(sections);
            return Optional.of(last);
        }
    }

    @Override
    public Optional<CallStats> stats(String callId) {
        RelayCall call = calls.get(Objects.requireNonNull(callId, "callId"));
        if (call == null) {
            return Optional.empty();
        }
        synchronized (call) {
            return call.deleted ? Optional.empty() : Optional.of(call.snapshot());
        }
    }

    @Override
    public RelayMetrics metrics() {
        List<RelayMetrics.Pool> pools = new ArrayList<>();
        for (RealmRuntime r : realms.values()) {
            PortPool p = r.pool();
            pools.add(new RelayMetrics.Pool(p.realm(), p.pairs(), p.free(), p.exhaustions()));
        }
        // Volatile reads only (published stream lists, per-stream counters): no call monitor is
        // taken, so a scrape never waits for a control request that is binding sockets.
        RelayMetrics.Traffic live = RelayMetrics.Traffic.ZERO;
        int streams = 0;
        for (RelayCall call : calls.values()) {
            for (RelayStream s : call.published) {
                live = live.plus(s.snapshot());
                streams++;
            }
        }
        RelayMetrics.Traffic now = ended.get().plus(live);
        RelayMetrics.Traffic reported = reportedTraffic.accumulateAndGet(now, RelayMetrics.Traffic::max);
        return new RelayMetrics(calls.size(), pools, streams, reported);
    }

    private void retire(CallStats last) {
        RelayMetrics.Traffic t = RelayMetrics.Traffic.ZERO;
        for (StreamStats s : last.streams()) {
            t = t.plus(s);
        }
        RelayMetrics.Traffic total = t;
        ended.accumulateAndGet(total, RelayMetrics.Traffic::plus);
    }

    @Override
    public boolean nativeTransport() {
        return transport.epoll();
    }

    @Override
    public void close() {
        try {
            sweepHandle.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the media timeout sweep", e);
        }
        for (String callId : List.copyOf(calls.keySet())) {
            delete(callId);
        }
        transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(IO_WAIT_MILLIS);
    }

    // ---------------------------------------------------------------- offer/answer

    /**
     * Applies a description sent by leg {@code from} and rewrites it for the other leg. Offers
     * and answers differ only in who may send them (RFC 3264 §4); both allocate what is missing.
     */
    private RelayResult negotiate(RelayCall call, int from, SessionDescription sdp, boolean isOffer) {
        RelayLeg in = call.legs[from];
        RelayLeg out = call.legs[1 - from];
        boolean changed = !sdp.equals(in.received);
        if (call.bypass) {
            // DEVIATION from anchoring, by configuration: each party sees the other's addresses.
            in.received = sdp;
            noteChange(call, in, sdp, changed);
            if (isOffer) {
                call.offerer = from;
            }
            return new RelayResult.Relayed(sdp, Optional.empty());
        }
        List<MediaDescription> media = sdp.media();
        List<RelaySection> fresh = new ArrayList<>();
        for (int i = 0; i < media.size(); i++) {
            if (media.get(i).isRejected()) {
                continue; // RFC 3264 §6: port 0 needs no ports
            }
            for (RelayLeg leg : call.legs) {
                if (leg.section(i) == null) {
                    RelayResult.Failure f = allocate(call, leg, i, media.get(i), fresh);
                    if (f != null) {
                        rollback(call, fresh);
                        return f;
                    }
                }
            }
        }
        RelayAllocation allocation = allocation(out, media.size());
        SdpRewriter.Result rewritten;
        try {
            rewritten = rewriter.rewrite(sdp, allocation, out.sent);
        } catch (IllegalArgumentException e) {
            rollback(call, fresh);
            return new RelayResult.Rejected(e.getMessage());
        }
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            RelaySection own = in.section(i);
            RelaySection other = out.section(i);
            if (own != null) {
                applyPeer(sdp, m, own, changed && in.received != null);
                if (out.received == null || out.received.media().size() <= i) {
                    own.rtp().clockRates = ClockRates.of(m);
                    own.rtcp().clockRates = own.rtp().clockRates;
                }
            }
            if (other != null) {
                // RFC 3264 §5.1: a party sends with the payload type numbers of the other
                // party's description, so this description sets the rates of what `out` sends.
                other.rtp().clockRates = ClockRates.of(m);
                other.rtcp().clockRates = other.rtp().clockRates;
            }
            if (own != null && other != null) {
                link(own.rtp(), other.rtp());
                link(own.rtcp(), other.rtcp());
            }
        }
        out.sent = rewritten.state();
        in.received = sdp;
        noteChange(call, in, sdp, changed);
        if (isOffer) {
            call.offerer = from;
        }
        return new RelayResult.Relayed(rewritten.description(), Optional.of(allocation));
    }

    private void noteChange(RelayCall call, RelayLeg in, SessionDescription sdp, boolean changed) {
        if (changed) {
            in.holding = holds(sdp);
            call.onHold = call.legs[0].holding || call.legs[1].holding;
            call.lastControlNanos = clock.nanoTime();
        }
    }

    private static void link(RelayStream a, RelayStream b) {
        a.partner = b;
        b.partner = a;
    }

    /**
     * The party's addresses from its description: RTP at the effective {@code c=} and the m=
     * port; RTCP at {@code a=rtcp} (RFC 3605 §2.1) or the next port (RFC 3550 §11). A changed
     * description (not the first one) arms a re-latch on the leg's streams.
     */
    private static void applyPeer(SessionDescription sdp, MediaDescription m, RelaySection s, boolean rearm) {
        InetAddress address = m.isRejected() ? null : literal(sdp.effectiveConnection(m).orElse(null));
        InetSocketAddress rtp = address == null ? null : new InetSocketAddress(address, m.port());
        InetSocketAddress rtcp = null;
        if (address != null) {
            Optional<Rtcp> attr = m.rtcp();
            InetAddress rtcpAddress = attr.flatMap(Rtcp::address).map(NettyMediaRelay::literal).orElse(address);
            int port = attr.map(Rtcp::port).orElse(m.port() + 1);
            rtcp = port > 0 && port <= 65535 ? new InetSocketAddress(rtcpAddress, port) : null;
        }
        s.rtp().sdpPeer = rtp;
        s.rtcp().sdpPeer = rtcp;
        if (rearm) {
            s.rtp().relatchArmed = true;
            s.rtcp().relatchArmed = true;
        }
    }

    /** An IP literal of a unicast {@code c=}; null for 0.0.0.0 (hold), FQDNs and other types. */
    static InetAddress literal(Connection c) {
        if (c == null || c.isHoldAddress() || !"IN".equals(c.netType())) {
            return null;
        }
        String a = c.address();
        boolean v4 = "IP4".equals(c.addrType()) && a.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
        boolean v6 = "IP6".equals(c.addrType()) && a.indexOf(':') >= 0
                && a.chars().allMatch(ch -> ch == ':' || ch == '.' || Character.digit(ch, 16) >= 0);
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(a); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** RFC 3264 §8.4: every accepted stream sendonly, recvonly or inactive, or at 0.0.0.0. */
    private static boolean holds(SessionDescription sdp) {
        boolean any = false;
        for (MediaDescription m : sdp.media()) {
            if (m.isRejected()) {
                continue;
            }
            any = true;
            boolean held = sdp.effectiveDirection(m) != Direction.SENDRECV
                    || sdp.effectiveConnection(m).map(Connection::isHoldAddress).orElse(false);
            if (!held) {
                return false;
            }
        }
        return any;
    }

    private static RelayAllocation allocation(RelayLeg leg, int sections) {
        InetAddress address = leg.realm.config().sdpAddress();
        RelayAllocation.Builder b = RelayAllocation.builder(address);
        for (int i = 0; i < Math.min(sections, leg.sections.size()); i++) {
            RelaySection s = leg.section(i);
            if (s != null) {
                b.media(i, address, s.rtp().port, s.rtcp().port);
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------- sockets

    private RelayResult.Failure allocate(RelayCall call, RelayLeg leg, int index, MediaDescription m,
                                         List<RelaySection> fresh) {
        RealmConfig realm = leg.realm.config();
        PortPool pool = leg.realm.pool();
        int[] rates = ClockRates.of(m);
        String lastError = "no attempt";
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = pool.acquire();
            if (port < 0) {
                return new RelayResult.PortsExhausted(realm.name());
            }
            LatchMode mode = call.latchModeOn(leg);
            RelayStream rtp = new RelayStream(leg, index, StreamKind.RTP, port, mode, rates);
            RelayStream rtcp = new RelayStream(leg, index, StreamKind.RTCP, port + 1, mode, rates);
            ChannelFuture a = bind(call, realm, rtp);
            ChannelFuture b = a.isSuccess() ? bind(call, realm, rtcp) : null;
            if (a.isSuccess() && b.isSuccess()) {
                rtp.channel = a.channel();
                rtcp.channel = b.channel();
                RelaySection s = new RelaySection(rtp, rtcp);
                leg.put(index, s);
                fresh.add(s);
                return null;
            }
            lastError = (a.isSuccess() ? b : a).cause() + " on port " + port;
            if (a.isSuccess()) {
                a.channel().close(); // on the call's loop: closed in place
            }
            pool.release(port); // to the back of the ring: the next attempt takes another port
        }
        LOG.log(System.Logger.Level.WARNING, "realm {0}: {1}", realm.name(), lastError);
        return new RelayResult.BindFailed(realm.name(), lastError);
    }

    /**
     * Opens, registers and binds one socket, on the call's loop. There both steps complete in
     * place ({@code Bootstrap.bind} would queue the bind as a task of its own, which this request,
     * running as a task of the loop, could not wait for).
     */
    private ChannelFuture bind(RelayCall call, RealmConfig realm, RelayStream stream) {
        ChannelFuture registered = bootstrap.clone(call.loop)
                .channelFactory(() -> transport.newChannel(realm.address()))
                .handler(new PacketPath(stream, clock))
                .register();
        if (!registered.isDone()) {
            registered.channel().close();
            return registered.channel().newFailedFuture(
                    new IllegalStateException("the socket's registration did not complete on its loop"));
        }
        if (!registered.isSuccess()) {
            return registered;
        }
        ChannelFuture bound = registered.channel().bind(new InetSocketAddress(realm.address(), stream.port));
        if (!bound.isDone()) {
            registered.channel().close();
            return registered.channel().newFailedFuture(
                    new IllegalStateException("the socket's bind did not complete on its loop"));
        }
        if (!bound.isSuccess()) {
            registered.channel().close();
        }
        return bound;
    }

    private void rollback(RelayCall call, List<RelaySection> fresh) {
        for (RelaySection s : fresh) {
            RelayLeg leg = s.rtp().leg;
            leg.put(s.rtp().mediaIndex, null);
        }
        close(fresh);
        fresh.clear();
    }

    /**
     * Closes the sockets, on the call's loop, then returns their ports to the pool: a port pair
     * goes back only once both of its sockets are closed (in place on the loop, so normally at
     * once), never while one could still be bound.
     */
    private void close(List<RelaySection> sections) {
        for (RelaySection s : sections) {
            s.rtp().partner = null;
            s.rtcp().partner = null;
            ChannelFuture rtpClosed = s.rtp().channel.close();
            ChannelFuture rtcpClosed = s.rtcp().channel.close();
            rtpClosed.addListener(f -> rtcpClosed.addListener(g -> s.rtp().leg.realm.pool().release(s.rtp().port)));
        }
    }

    // ---------------------------------------------------------------- media timeout

    /**
     * One pass of the media timeout check (called by the ticker; never concurrently). A call is
     * silent while the count of RTP packets on its streams stays the same; its silence starts at
     * the later of the last count change seen and the last SDP change. Resolution: one sweep.
     */
    void sweep() {
        long now = clock.nanoTime();
        for (RelayCall call : calls.values()) {
            if (call.bypass) {
                continue;
            }
            List<RelayStream> streams;
            synchronized (call) {
                if (call.deleted) {
                    continue;
                }
                streams = call.streams();
            }
            long rtp = call.rtpPackets(streams);
            if (rtp != call.sweepRtpPackets) {
                call.sweepRtpPackets = rtp;
                call.sweepRtpChangedNanos = now;
                continue;
            }
            long since = Math.max(call.sweepRtpChangedNanos, call.lastControlNanos);
            boolean hold = call.onHold;
            long media = call.timeoutNanos > 0 ? call.timeoutNanos : timeoutNanos;
            long limit = hold ? Math.max(holdTimeoutNanos, media) : media;
            if (now - since >= limit && call.notifiedSince != since) {
                call.notifiedSince = since;
                try {
                    listener.onMediaTimeout(call.callId, Duration.ofNanos(now - since), hold);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "media timeout listener failed for " + call.callId, e);
                }
            }
        }
    }
}
