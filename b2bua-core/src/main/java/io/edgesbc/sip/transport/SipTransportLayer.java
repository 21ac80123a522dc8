package io.edgesbc.sip.transport;

import io.edgesbc.sip.message.IpLiterals;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.Via;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.parse.SipWriter;
import io.edgesbc.sip.parse.StreamFramer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import reactor.netty.udp.UdpServer;

/**
 * The SIP transport (RFC 3261 §18) on Reactor Netty: UDP, TCP and TLS listen points per realm.
 *
 * <p>Inbound: bytes are framed and parsed by the codec; well-formed requests get received/rport
 * stamped into their top Via and go up to the {@link SipMessageHandler}; responses go up only
 * when their top Via is ours (§18.1.2). A malformed request that can be answered gets a 400
 * with a Warning saying why; anything else malformed is dropped and counted. Nothing malformed
 * reaches the layer above. On a stream, a lost framing closes that connection only.
 *
 * <p>Outbound: {@link #sendResponse} routes by the response's top Via (§18.2.2, RFC 3581 §4):
 * over TCP/TLS, the request's connection while it is open, else a new connection to received (or
 * the sent-by host) and the sent-by port; over UDP, to maddr and the sent-by port, else to
 * received and the rport value or else the sent-by port, else to the sent-by host and port (a
 * missing port is 5060, 5061 for TLS). As received/rport are stamped on arrival, a UDP request
 * with rport is answered at its source address and port, one without at its source address and
 * sent-by port. A destination that is a name is not resolved: that response is dropped and
 * counted. {@link #send} sends to an address over UDP from the realm's socket; {@link #sendTcp}
 * over an open TCP connection to that address, or a new one that is then kept for reuse.
 *
 * <p>TLS (RFC 3261 §26.2) is TCP with a TLS handshake first: the same stream framing, keep-alive
 * pong, idle timeout and connection limit apply once the handshake is done. A TLS listen point
 * presents the certificate of its {@link TlsSettings}; we ask no client certificate.
 *
 * <p>Threading: handlers run on the Netty event loop that read the bytes and never block. The
 * connection count and the stats are the only shared mutable state (atomics).
 */
public final class SipTransportLayer {

    private static final Logger log = LoggerFactory.getLogger(SipTransportLayer.class);
    private static final byte[] PONG = {'\r', '\n'};
    private static final int MAX_DATAGRAM = 65_535;

    private final List<ListenPoint> listenPoints;
    private final TransportSettings settings;
    private final SipParser parser;
    private final SipMessageHandler handler;
    private final LoopResources loops;
    private final TransportStats stats = new TransportStats();
    private final AtomicInteger openConnections = new AtomicInteger();
    /** Set before start; read on event loops. */
    private volatile MessageObserver observer = MessageObserver.NONE;
    /**
     * Open TCP/TLS connections by peer address, accepted or opened by us, reused for sending to
     * that address (RFC 3261 §18.1.1, §18.2.2). An entry is removed when its connection closes.
     */
    private final Map<StreamPeer, Connection> streamConnections = new ConcurrentHashMap<>();
    /** Connections being opened, so that concurrent sends to one address share one connect. */
    private final Map<StreamPeer, Mono<Connection>> connecting = new ConcurrentHashMap<>();
    /** The client side of our TLS connections, built once off the event loops (it reads files). */
    private final Mono<SslContext> clientTls;

    /** A connection-oriented peer: the transport and the address. */
    private record StreamPeer(TransportKind transport, InetSocketAddress address) {
    }
    /** UDP sockets by realm, for sending. Written at start, read after. */
    private final Map<String, Channel> udpChannels = new ConcurrentHashMap<>();
    private final List<DisposableServer> tcpServers = new ArrayList<>();
    private final List<Connection> udpServers = new ArrayList<>();
    /** Written under this object's monitor, by binding and stopping. */
    private final List<ListenPoint> bound = new ArrayList<>();
    /**
     * {@link #bound} as an immutable snapshot, published on each change: {@link #isOurs} reads it
     * for every inbound response, on the event loops, without taking the monitor or copying.
     */
    private volatile List<ListenPoint> boundSnapshot = List.of();

    public SipTransportLayer(List<ListenPoint> listenPoints, TransportSettings settings, SipMessageHandler handler,
                             LoopResources loops) {
        this.listenPoints = List.copyOf(listenPoints);
        this.settings = Objects.requireNonNull(settings);
        this.parser = new SipParser(settings.parseLimits());
        this.handler = Objects.requireNonNull(handler);
        this.loops = Objects.requireNonNull(loops);
        Path trust = settings.tlsTrust();
        this.clientTls = Mono.fromCallable(() -> {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (trust != null) {
                builder.trustManager(trust.toFile());
            }
            // RFC 5922 §7.2: the peer's certificate must name the host we connect to; the JDK's
            // endpoint identification checks it (we connect to IP literals: their IP SANs).
            builder.endpointIdentificationAlgorithm("HTTPS");
            return builder.build();
        }).subscribeOn(Schedulers.boundedElastic()).cache();
    }

    public TransportStats stats() {
        return stats;
    }

    /**
     * Whether the sockets run on Netty's native epoll transport (Linux) rather than NIO: with
     * epoll, a read batch of datagrams costs one recvmmsg and writes go out with sendmmsg.
     */
    public boolean usesEpoll() {
        return !udpChannels.isEmpty()
                && udpChannels.values().stream().allMatch(c -> c instanceof io.netty.channel.epoll.EpollDatagramChannel);
    }

    /** TCP/TLS connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Adds an observer of every message in and out (metrics, traces); observers are called in the
     * order they were added. Add them before {@link #start()}.
     */
    public synchronized void observe(MessageObserver observer) {
        this.observer = MessageObserver.both(this.observer, java.util.Objects.requireNonNull(observer));
    }

    /** The listen points as bound (a configured port 0 shows the port the OS chose); immutable. */
    public List<ListenPoint> boundPoints() {
        return boundSnapshot;
    }

    /** Binds every listen point; fails (and unbinds what was bound) when one cannot be bound. */
    public Mono<Void> start() {
        return Flux.fromIterable(listenPoints)
                .concatMap(this::bind)
                .then()
                .onErrorResume(e -> stop(Duration.ofSeconds(1)).then(Mono.error(e)));
    }

    private Mono<Void> bind(ListenPoint point) {
        return switch (point.transport()) {
            case UDP -> bindUdp(point);
            case TCP -> bindStream(point, null);
            // Reading the PEM files is file I/O: off the event loop that may be subscribing here.
            case TLS -> Mono.fromCallable(() -> serverContext(point.tls()))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(context -> bindStream(point, context));
        };
    }

    /** The server-side TLS context of a listen point (RFC 3261 §26.2.1: the server presents a certificate). */
    static SslContext serverContext(TlsSettings tls) throws SSLException {
        return SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile()).build();
    }

    private Mono<Void> bindUdp(ListenPoint point) {
        return UdpServer.create()
                .bindAddress(point::address)
                .runOn(loops)
                // Netty reads at most 2,048 bytes of a datagram by default; a SIP datagram may be
                // up to 65,535 (RFC 3261 §18.1.1 only says large ones should go over TCP).
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM))
                .option(ChannelOption.SO_RCVBUF, settings.buffers().udpReceiveBuffer())
                .handle((in, out) -> in.receiveObject()
                        .doOnNext(o -> {
                            if (o instanceof DatagramPacket packet) {
                                onDatagram(actual(point, packet.recipient()), packet);
                            }
                        })
                        .then())
                .bind()
                .doOnNext(connection -> {
                    InetSocketAddress local = (InetSocketAddress) connection.channel().localAddress();
                    ListenPoint actual = point.withAddress(local);
                    udpChannels.put(point.realm(), connection.channel());
                    synchronized (this) {
                        udpServers.add(connection);
                        bound.add(actual);
                        boundSnapshot = List.copyOf(bound);
                    }
                    log.info("listening on {}", actual);
                    reportReceiveBuffer(actual, connection.channel());
                })
                .then();
    }

    /**
     * Says what SO_RCVBUF the UDP socket got: Linux silently caps the request at
     * {@code net.core.rmem_max}, and an operator who sees drops under load needs to know whether
     * the socket has the buffer the configuration asked for.
     */
    private void reportReceiveBuffer(ListenPoint point, Channel channel) {
        int asked = settings.buffers().udpReceiveBuffer();
        int got = udpReceiveBuffer(channel);
        if (got < asked) {
            log.warn("{}: the UDP receive buffer is {} bytes, not the {} configured "
                    + "(transport.udp_receive_buffer); raise net.core.rmem_max to give it more", point, got, asked);
        } else {
            log.debug("{}: UDP receive buffer {} bytes", point, got);
        }
    }

    /** The receive buffer of a realm's UDP socket as we would ask for it (tests, reports); -1 without one. */
    int udpReceiveBuffer(String realm) {
        Channel channel = udpChannels.get(realm);
        return channel == null ? -1 : udpReceiveBuffer(channel);
    }

    private static int udpReceiveBuffer(Channel channel) {
        int reported = channel.config().getOption(ChannelOption.SO_RCVBUF);
        // Linux reports twice what was granted, the rest being its bookkeeping (socket(7)).
        return LINUX ? reported / 2 : reported;
    }

    private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

    /** A TCP listen point, or with {@code tls} a TLS one: same framing and limits over both. */
    private Mono<Void> bindStream(ListenPoint point, SslContext tls) {
        TcpServer tcp = TcpServer.create()
                .bindAddress(point::address)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, sendBufferMarks())
                .runOn(loops);
        if (tls != null) {
            tcp = tcp.secure(spec -> spec.sslContext(tls));
        }
        return tcp
                .doOnConnection(connection -> {
                    connection.onDispose(openConnections::decrementAndGet);
                    if (openConnections.incrementAndGet() > settings.maxConnections()) {
                        stats.connectionsRefused.increment();
                        log.warn("refusing {} connection from {}: {} connections open", point.transport(),
                                connection.channel().remoteAddress(), settings.maxConnections());
                        connection.dispose();
                        return; // never known for reuse, never timed
                    }
                    long idle = settings.connectionIdleTimeout().toMillis();
                    connection.addHandlerFirst(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                    connection.addHandlerLast(new IdleCloser());
                    remember(connection, new StreamPeer(point.transport(),
                            (InetSocketAddress) connection.channel().remoteAddress()));
                })
                .handle((in, out) -> {
                    StreamSession[] session = new StreamSession[1];
                    in.withConnection(c -> session[0] = new StreamSession(
                            actual(point, (InetSocketAddress) c.channel().localAddress()), c));
                    return in.receive()
                            .doOnNext(bytes -> session[0].onBytes(bytes))
                            .doFinally(s -> session[0].close())
                            .then();
                })
                .bind()
                .doOnNext(server -> {
                    ListenPoint actual = point.withAddress((InetSocketAddress) server.address());
                    synchronized (this) {
                        tcpServers.add(server);
                        bound.add(actual);
                        boundSnapshot = List.copyOf(bound);
                    }
                    log.info("listening on {}", actual);
                })
                .then();
    }

    /** The listen point with the address as bound (the configured one may say port 0). */
    private ListenPoint actual(ListenPoint configured, InetSocketAddress local) {
        if (local == null || configured.address().getPort() != 0) {
            return configured;
        }
        return configured.withAddress(local);
    }

    /** Unbinds every listen point; connections are closed. */
    public Mono<Void> stop(Duration timeout) {
        List<Mono<Void>> closing = new ArrayList<>();
        synchronized (this) {
            for (DisposableServer server : tcpServers) {
                closing.add(Mono.fromRunnable(server::dispose).then(server.onDispose()));
            }
            for (Connection udp : udpServers) {
                closing.add(Mono.fromRunnable(udp::dispose).then(udp.onDispose()));
            }
            tcpServers.clear();
            udpServers.clear();
            bound.clear();
            boundSnapshot = List.of();
        }
        udpChannels.clear();
        return Mono.when(closing).timeout(timeout, Mono.empty());
    }

    // ---- inbound -------------------------------------------------------------------------------

    private void onDatagram(ListenPoint point, DatagramPacket packet) {
        ByteBuf content = packet.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        // The array becomes the message's; the packet is released by Reactor Netty.
        MessageSource source = new MessageSource(point, packet.sender(), null);
        try {
            onResult(parser.parseDatagram(bytes), source);
        } catch (RuntimeException e) {
            // A bug above us must cost this datagram only: an exception escaping here would end
            // the listener's Flux and with it the UDP socket, for every call.
            stats.handlerFailures.increment();
            log.error("failed to handle a datagram from {}", source, e);
        }
    }

    private void onResult(ParseResult result, MessageSource source) {
        if (result instanceof ParseResult.Parsed parsed) {
            onMessage(parsed.message(), source);
        } else if (result instanceof ParseResult.Invalid invalid) {
            onInvalid(invalid, source);
        } else {
            stats.keepAlives.increment();
        }
    }

    private void onMessage(SipMessage message, MessageSource source) {
        stats.messagesIn.increment();
        observer.received(message, source);
        if (message instanceof SipRequest request) {
            handler.onMessage(new InboundMessage(ViaStamping.stamp(request, source.remote()), source));
        } else if (isOurs(message.topVia())) {
            handler.onMessage(new InboundMessage(message, source));
        } else {
            // RFC 3261 §18.1.2: a response whose top Via is not ours is discarded.
            stats.responsesNotOurs.increment();
            log.info("dropped response from {}: top Via {} is not ours", source, message.topVia());
        }
    }

    private boolean isOurs(Via via) {
        // RFC 3261 §18.2.1, §19.1.2: a sent-by without a port means 5060, or 5061 over TLS.
        int defaultPort = "TLS".equalsIgnoreCase(via.transport()) ? 5061 : 5060;
        for (ListenPoint point : boundSnapshot) {
            int port = point.address().getPort();
            if (via.port() == port || (via.port() < 0 && port == defaultPort)) {
                String viaHost = via.host().startsWith("[") ? via.host().substring(1, via.host().length() - 1)
                        : via.host();
                if (viaHost.equalsIgnoreCase(point.advertisedHost()) || IpLiterals.names(viaHost, point.advertisedAddress())) {
                    return true;
                }
            }
        }
        return false;
    }

    private void onInvalid(ParseResult.Invalid invalid, MessageSource source) {
        if (invalid.canAnswer()) {
            stats.malformedAnswered.increment();
            log.info("malformed request from {}: {} (offset {}); answering 400", source, invalid.reason(),
                    invalid.offset());
            SipResponse badRequest = new BadRequestResponder(source.listenPoint().sentBy(), SipTransportLayer::newTag)
                    .respond(invalid.context(), invalid.reason());
            if (source.connection() != null) {
                write(source.connection(), badRequest, source.realm(), null);
            } else {
                send(badRequest, source.realm(), source.remote());
            }
        } else {
            stats.malformedDropped.increment();
            log.info("dropped malformed message from {}: {} (offset {})", source, invalid.reason(),
                    invalid.offset());
        }
    }

    static String newTag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** One TCP or TLS connection's framing state; used only on that connection's event loop. */
    private final class StreamSession implements StreamFramer.Listener {
        private final ListenPoint point;
        private final Connection connection;
        private final StreamFramer framer = new StreamFramer(parser);
        private final ByteBuf cumulation = Unpooled.buffer(4096);
        private final MessageSource source;

        StreamSession(ListenPoint point, Connection connection) {
            this.point = point;
            this.connection = connection;
            this.source = new MessageSource(point, (InetSocketAddress) connection.channel().remoteAddress(),
                    connection.channel());
        }

        private boolean decoding;
        private boolean closed;

        void onBytes(ByteBuf bytes) {
            if (closed) {
                return;
            }
            cumulation.writeBytes(bytes);
            decoding = true;
            try {
                framer.decode(cumulation, this);
            } finally {
                decoding = false;
            }
            if (closed) {
                cumulation.release(); // the connection closed while we were decoding
            } else {
                cumulation.discardReadBytes();
            }
        }

        /** The connection ended; the cumulation is ours to release, once. */
        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (!decoding) {
                cumulation.release();
            }
        }

        @Override
        public void onMessage(ParseResult result) {
            try {
                onResult(result, source);
            } catch (RuntimeException e) {
                stats.handlerFailures.increment();
                log.error("failed to handle a message from {}", source, e);
            }
        }

        @Override
        public void onKeepAlive() {
            // RFC 5626 §4.4.1: answer a CRLFCRLF ping with a CRLF pong.
            stats.keepAlives.increment();
            connection.channel().writeAndFlush(Unpooled.wrappedBuffer(PONG));
        }

        @Override
        public void onFramingError(ParseResult.Invalid error) {
            stats.framingErrors.increment();
            log.info("closing {} connection from {}: {}", point.transport(), source.remote(), error.reason());
            if (error.canAnswer()) {
                stats.malformedAnswered.increment();
                SipResponse badRequest = new BadRequestResponder(point.sentBy(), SipTransportLayer::newTag)
                        .respond(error.context(), error.reason());
                write(connection.channel(), badRequest, point.realm(), SendFailure.IGNORE, connection::dispose);
            } else {
                connection.dispose();
            }
        }
    }

    // ---- outbound ------------------------------------------------------------------------------
    //
    // Every send method takes a SendFailure and calls it at most once, on an event loop, when the
    // message could not be handed to the kernel (each such case is also counted in sendFailures).

    /**
     * Sends a response to a request that arrived from {@code requestSource} (RFC 3261 §18.2.2),
     * to where the response's top Via says (see {@link ResponseRouting}):
     * <ul>
     *   <li>TCP/TLS: over the request's connection while it is open; else over a new connection
     *       to received (or the sent-by host) and the sent-by port (or 5060; 5061 for TLS);</li>
     *   <li>UDP, from the realm's socket: to maddr and the sent-by port; else to received and the
     *       rport value (RFC 3581 §4) or else the sent-by port; else to the sent-by host and port
     *       (a missing port is 5060). A request with rport is thus answered at its source; one
     *       without it, at its sent-by port.</li>
     * </ul>
     * A response whose destination host is a name is dropped and counted in
     * {@link TransportStats#sendFailures()}: names are not resolved here (never on an event loop).
     */
    public void sendResponse(SipResponse response, MessageSource requestSource) {
        sendResponse(response, requestSource, SendFailure.IGNORE);
    }

    /** {@link #sendResponse(SipResponse, MessageSource)}, telling {@code onFailure} when it cannot be sent. */
    public void sendResponse(SipResponse response, MessageSource requestSource, SendFailure onFailure) {
        Channel connection = requestSource.connection();
        if (connection != null && connection.isActive()) {
            write(connection, response, requestSource.realm(), onFailure);
            return;
        }
        InetSocketAddress destination = requestSource.transport().reliable()
                ? ResponseRouting.reliable(response.topVia(), requestSource.transport())
                : ResponseRouting.unreliable(response.topVia());
        if (destination == null) {
            // We resolve no names on event loops. The stamping gives every sent-by name a received,
            // so over UDP only a maddr name gets here.
            log.warn("dropped response {}: top Via {} routes to a name, not an IP literal", response,
                    response.topVia());
            failOnLoop(onFailure, "top Via " + response.topVia() + " routes to a name, not an IP literal");
            return;
        }
        if (requestSource.transport().reliable()) {
            // §18.2.2: the connection is gone; open a new one to received and the sent-by port.
            sendStream(requestSource.transport(), response, requestSource.realm(), destination, onFailure);
        } else {
            send(response, requestSource.realm(), destination, onFailure);
        }
    }

    /** {@link #sendStream} over TCP. */
    public void sendTcp(SipMessage message, String realm, InetSocketAddress destination) {
        sendStream(TransportKind.TCP, message, realm, destination, SendFailure.IGNORE);
    }

    /** {@link #sendStream(TransportKind, SipMessage, String, InetSocketAddress, SendFailure)}, failures only counted. */
    public void sendStream(TransportKind transport, SipMessage message, String realm, InetSocketAddress destination) {
        sendStream(transport, message, realm, destination, SendFailure.IGNORE);
    }

    /**
     * Sends a message over TCP or TLS to {@code destination}: over an open connection of that
     * transport to that address (accepted or ours) when there is one, else over a new connection
     * from the realm, which is then kept for reuse until idle (RFC 3261 §18.1.1). A TLS connection
     * checks the peer's certificate against the configured trust and the address we connect to.
     * No new connection is opened while {@code transport.max_connections} are open. Never blocks:
     * the connect completes on an event loop and the message follows.
     */
    public void sendStream(TransportKind transport, SipMessage message, String realm, InetSocketAddress destination,
                           SendFailure onFailure) {
        if (!transport.reliable()) {
            throw new IllegalArgumentException("not a stream transport: " + transport);
        }
        StreamPeer peer = new StreamPeer(transport, destination);
        Connection open = streamConnections.get(peer);
        if (open != null && open.channel().isActive()) {
            write(open.channel(), message, realm, onFailure);
            return;
        }
        ListenPoint point = boundPoints().stream()
                .filter(p -> p.realm().equals(realm) && p.transport() == transport)
                .findFirst().orElse(null);
        if (point == null) {
            log.warn("no {} listen point in realm {} to send {} to {}", transport, realm, message, destination);
            failOnLoop(onFailure, "no " + transport + " listen point in realm " + realm);
            return;
        }
        if (openConnections.get() >= settings.maxConnections()) {
            // The limit protects us from peers and from ourselves alike: a call flood towards
            // many targets must not open connections past it either.
            stats.connectionsRefused.increment();
            log.warn("not opening a {} connection to {} for {}: {} connections open (transport.max_connections)",
                    transport, destination, message, settings.maxConnections());
            failOnLoop(onFailure, "not opening a " + transport + " connection to " + destination + ": "
                    + settings.maxConnections() + " connections open (transport.max_connections)");
            return;
        }
        connecting.computeIfAbsent(peer, p -> connect(point, destination)
                        .doOnTerminate(() -> connecting.remove(p))
                        .cache())
                .subscribe(connection -> {
                    // Known for reuse from here on, whichever callback of the connect ran first.
                    streamConnections.putIfAbsent(peer, connection);
                    write(connection.channel(), message, realm, onFailure);
                }, error -> {
                    log.warn("cannot connect to {} over {} to send {}: {}", destination, transport, message,
                            error.toString());
                    stats.sendFailures.increment();
                    onFailure.failed(error); // on the event loop that failed the connect
                });
    }

    private Mono<Connection> connect(ListenPoint point, InetSocketAddress destination) {
        TcpClient client = TcpClient.newConnection()
                .remoteAddress(() -> destination)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, sendBufferMarks())
                .runOn(loops);
        Mono<TcpClient> configured = point.transport() == TransportKind.TLS
                ? clientTls.map(ctx -> client.secure(spec -> spec.sslContext(ctx)))
                : Mono.just(client);
        return configured.flatMap(c -> c
                .handle((in, out) -> {
                    // Responses and requests from the peer come back over our connection too.
                    StreamSession[] session = new StreamSession[1];
                    in.withConnection(conn -> {
                        openConnections.incrementAndGet();
                        conn.onDispose(openConnections::decrementAndGet);
                        long idle = settings.connectionIdleTimeout().toMillis();
                        conn.addHandlerFirst(new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
                        conn.addHandlerLast(new IdleCloser());
                        remember(conn, new StreamPeer(point.transport(), destination));
                        session[0] = new StreamSession(point, conn);
                    });
                    return in.receive()
                            .doOnNext(bytes -> session[0].onBytes(bytes))
                            .doFinally(signal -> session[0].close())
                            .then();
                })
                .connect()
                .map(Connection.class::cast));
    }

    /**
     * Each TCP/TLS connection buffers at most {@code transport.max_send_buffer} bytes that the
     * peer has not taken yet; past that it stops being writable and further messages to it fail
     * (see {@link #write}) instead of queueing without bound behind a peer that does not read.
     */
    WriteBufferWaterMark sendBufferMarks() {
        int high = settings.maxSendBuffer();
        return new WriteBufferWaterMark(high / 2, high);
    }

    /**
     * Keeps an open TCP/TLS connection findable until it closes: ours under the address we
     * connected to, accepted ones under the peer's address.
     */
    private void remember(Connection connection, StreamPeer peer) {
        streamConnections.put(peer, connection);
        connection.onDispose(() -> streamConnections.remove(peer, connection));
    }

    /** Sends a message over UDP from the realm's socket; failures only counted. */
    public void send(SipMessage message, String realm, InetSocketAddress destination) {
        send(message, realm, destination, SendFailure.IGNORE);
    }

    /** Sends a message over UDP from the realm's socket, telling {@code onFailure} when the kernel refuses it. */
    public void send(SipMessage message, String realm, InetSocketAddress destination, SendFailure onFailure) {
        Channel udp = udpChannels.get(realm);
        if (udp == null) {
            log.warn("no UDP socket in realm {} to send {} to {}", realm, message, destination);
            failOnLoop(onFailure, "no UDP socket in realm " + realm);
            return;
        }
        if (!udp.eventLoop().inEventLoop()) {
            // Encode on the socket's event loop, not on the caller's (a call shard): the pooled
            // allocator may take a lock when it grows, which only event loops may wait for. The
            // message is immutable, so handing it over is safe; the queue offer does not block.
            udp.eventLoop().execute(() -> sendUdp(udp, message, realm, destination, onFailure));
            return;
        }
        sendUdp(udp, message, realm, destination, onFailure);
    }

    private void sendUdp(Channel udp, SipMessage message, String realm, InetSocketAddress destination,
                         SendFailure onFailure) {
        ByteBuf buf = udp.alloc().buffer(1024);
        SipWriter.writeTo(message, buf);
        stats.messagesOut.increment();
        observer.sent(message, realm, destination);
        // Ownership of buf passes to the packet, which Netty releases once written.
        udp.writeAndFlush(new DatagramPacket(buf, destination)).addListener(f -> {
            if (!f.isSuccess()) {
                stats.sendFailures.increment();
                log.warn("sending {} to {} failed: {}", message, destination, f.cause().toString());
                onFailure.failed(f.cause());
            }
        });
    }

    private void write(Channel channel, SipMessage message, String realm, SendFailure onFailure) {
        write(channel, message, realm, onFailure, null);
    }

    /** @param then run once the write is done or failed (e.g. close after a 400), or null */
    private void write(Channel channel, SipMessage message, String realm, SendFailure onFailure, Runnable then) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> write(channel, message, realm, onFailure, then)); // as for UDP above
            return;
        }
        if (!channel.isWritable()) {
            // More than transport.max_send_buffer bytes wait for this peer already.
            stats.sendBufferFull.increment();
            log.warn("not sending {} to {}: its connection's send buffer is full ({} bytes unsent)", message,
                    channel.remoteAddress(), channel.unsafe().outboundBuffer() == null ? 0
                            : channel.unsafe().outboundBuffer().totalPendingWriteBytes());
            fail(onFailure, "send buffer of the connection to " + channel.remoteAddress() + " is full");
            if (then != null) {
                then.run();
            }
            return;
        }
        ByteBuf buf = channel.alloc().buffer(1024);
        SipWriter.writeTo(message, buf);
        stats.messagesOut.increment();
        observer.sent(message, realm, channel.remoteAddress() instanceof InetSocketAddress peer ? peer : null);
        channel.writeAndFlush(buf).addListener(f -> {
            if (!f.isSuccess()) {
                stats.sendFailures.increment();
                onFailure.failed(f.cause());
            }
            if (then != null) {
                then.run();
            }
        });
    }

    /** Counts a failure and tells {@code onFailure}; the caller is on an event loop. */
    private void fail(SendFailure onFailure, String why) {
        stats.sendFailures.increment();
        onFailure.failed(new IOException(why));
    }

    /**
     * As {@link #fail}, from a caller that may be a call shard: the report goes through an event
     * loop so that it never runs inside the sender's own call (a transaction must not see its
     * transport error while it is still in the middle of sending).
     */
    private void failOnLoop(SendFailure onFailure, String why) {
        stats.sendFailures.increment();
        IOException cause = new IOException(why);
        loops.onClient(true).next().execute(() -> onFailure.failed(cause));
    }
}
