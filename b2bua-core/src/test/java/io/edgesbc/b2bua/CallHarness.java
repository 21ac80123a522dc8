package io.edgesbc.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.parse.SipWriter;
import io.edgesbc.sip.transaction.ClientTransaction;
import io.edgesbc.sip.transaction.InviteServerTransaction;
import io.edgesbc.sip.transaction.NonInviteServerTransaction;
import io.edgesbc.sip.transaction.ServerTransaction;
import io.edgesbc.sip.transaction.ServerTransactionUser;
import io.edgesbc.sip.transaction.TimerConfig;
import io.edgesbc.sip.transaction.TransactionTable;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.MessageSource;
import io.edgesbc.sip.transport.TransportKind;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One shard in virtual time: a {@link CallEngine} with a fake transport, and the dispatch the SIP
 * core does in front of it (transaction matching, CANCEL answering), so call flows run as they do
 * in the server, message by message. Every message sent is written to bytes and parsed back, as
 * the far side would see it.
 */
final class CallHarness implements ShardContext {

    static final ListenPoint OUTSIDE = new ListenPoint("outside", TransportKind.UDP,
            new InetSocketAddress("10.0.0.1", 5060));
    static final ListenPoint INSIDE = new ListenPoint("inside", TransportKind.UDP,
            new InetSocketAddress("192.168.0.1", 5070));
    static final ListenPoint INSIDE_TCP = new ListenPoint("inside", TransportKind.TCP,
            new InetSocketAddress("192.168.0.1", 5070));
    static final InetSocketAddress CALLER = new InetSocketAddress("203.0.113.7", 5099);
    static final InetSocketAddress CALLEE_1 = new InetSocketAddress("192.168.0.50", 5090);
    static final InetSocketAddress CALLEE_2 = new InetSocketAddress("192.168.0.51", 5090);

    /** A message EdgeSBC sent: where to, and its bytes parsed back. */
    record Sent(InetSocketAddress to, String wire, SipMessage message) {
        SipRequest request() {
            return (SipRequest) message;
        }

        SipResponse response() {
            return (SipResponse) message;
        }
    }

    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final TransactionTable table = new TransactionTable();
    final TimerConfig timers = TimerConfig.DEFAULT;
    final List<Sent> sent = new ArrayList<>();
    final RecordedEvents events = new RecordedEvents();
    final CallEngine engine;
    private final SipParser parser = new SipParser();
    private final MessageSource callerSource = new MessageSource(OUTSIDE, CALLER, null);
    private int counter;

    CallHarness(CallRouter router) {
        this(router, MediaAnchor.PASS_THROUGH, B2buaSettings.DEFAULT);
    }

    CallHarness(CallRouter router, MediaAnchor media, B2buaSettings settings) {
        this.engine = new CallEngine(this, router, media, events, settings);
    }

    /** This harness's router with another media anchor and settings (a fresh engine). */
    static CallHarness with(MediaAnchor media, B2buaSettings settings, InetSocketAddress... targets) {
        List<RouteTarget> list = new ArrayList<>();
        for (InetSocketAddress t : targets) {
            list.add(RouteTarget.of("sip:" + t.getAddress().getHostAddress() + ":" + t.getPort()));
        }
        return new CallHarness(StaticRouter.empty().with("outside", "inside", list), media, settings);
    }

    static CallHarness routingTo(InetSocketAddress... targets) {
        List<RouteTarget> list = new ArrayList<>();
        for (InetSocketAddress t : targets) {
            list.add(RouteTarget.of("sip:" + t.getAddress().getHostAddress() + ":" + t.getPort()));
        }
        return new CallHarness(StaticRouter.empty().with("outside", "inside", list));
    }

    /** The call events the engine reported, in order: "started", "ringing", "answered", and the CDRs. */
    static final class RecordedEvents implements CallEvents {
        final List<String> kinds = new ArrayList<>();
        final List<CallRecord> records = new ArrayList<>();

        @Override
        public void started(CallSnapshot call) {
            kinds.add("started");
        }

        @Override
        public void ringing(CallSnapshot call) {
            kinds.add("ringing");
        }

        @Override
        public void answered(CallSnapshot call) {
            kinds.add("answered");
        }

        @Override
        public void ended(CallRecord record) {
            kinds.add("ended");
            records.add(record);
        }

        CallRecord only() {
            org.assertj.core.api.Assertions.assertThat(records).as("one CDR per call").hasSize(1);
            return records.get(0);
        }
    }

    // ---- ShardContext ------------------------------------------------------------------------

    @Override
    public int index() {
        return 0;
    }

    @Override
    public VirtualTimeScheduler scheduler() {
        return clock;
    }

    @Override
    public TransactionTable transactions() {
        return table;
    }

    @Override
    public TimerConfig timers() {
        return timers;
    }

    @Override
    public String newTag() {
        return "0-tag" + (++counter);
    }

    @Override
    public String newBranch() {
        return "z9hG4bK-0-br" + (++counter);
    }

    @Override
    public String newCallId() {
        return "0-callid" + (++counter);
    }

    /** The transport each message went over, in the order of {@link #sent}. */
    final List<TransportKind> transports = new ArrayList<>();

    @Override
    public Optional<ListenPoint> listenPoint(String realm, TransportKind transport) {
        if (transport == TransportKind.TCP && realm.equals("inside")) {
            return Optional.of(INSIDE_TCP);
        }
        return transport == TransportKind.UDP ? udpListenPoint(realm) : Optional.empty();
    }

    @Override
    public void send(SipMessage message, String realm, InetSocketAddress destination, TransportKind transport) {
        send(message, realm, destination);
        transports.set(transports.size() - 1, transport);
    }

    /**
     * Destinations the transport cannot reach (a TCP connect refused, say): a message sent there is
     * recorded, and its failure reported as the transport layer does, later, from another task.
     */
    final java.util.Set<InetSocketAddress> unreachable = new java.util.HashSet<>();

    @Override
    public void send(SipMessage message, String realm, InetSocketAddress destination, TransportKind transport,
                     io.edgesbc.sip.transport.SendFailure onFailure) {
        send(message, realm, destination, transport);
        if (unreachable.contains(destination)) {
            clock.schedule(() -> onFailure.failed(new java.io.IOException("connection refused: " + destination)));
        }
    }

    @Override
    public boolean isOurBranch(String branch) {
        return branch.startsWith("z9hG4bK-");
    }

    @Override
    public boolean isOurSentBy(String host, int port) {
        return host.equals("10.0.0.1") && port == 5060 || host.equals("192.168.0.1") && port == 5070;
    }

    @Override
    public Optional<ListenPoint> udpListenPoint(String realm) {
        return Optional.ofNullable(switch (realm) {
            case "outside" -> OUTSIDE;
            case "inside" -> INSIDE;
            default -> null;
        });
    }

    @Override
    public void send(SipMessage message, String realm, InetSocketAddress destination) {
        byte[] bytes = SipWriter.toBytes(message);
        ParseResult result = parser.parseDatagram(bytes);
        assertThat(result).as(new String(bytes, StandardCharsets.UTF_8)).isInstanceOf(ParseResult.Parsed.class);
        sent.add(new Sent(destination, new String(bytes, StandardCharsets.UTF_8), ((ParseResult.Parsed) result).message()));
        transports.add(TransportKind.UDP);
    }

    @Override
    public void sendResponse(SipResponse response, MessageSource requestSource) {
        send(response, requestSource.realm(), requestSource.remote());
    }

    // ---- what the SIP core does in front of the engine ---------------------------------------

    /** A request from the caller, dispatched as SipCore does. */
    void fromCaller(SipRequest request) {
        fromNetwork(request, callerSource);
    }

    /** A response from the caller to a request EdgeSBC sent it. */
    void fromCallerResponse(SipResponse response) {
        Optional<ClientTransaction> client = table.matchResponse(response);
        if (client.isPresent()) {
            client.get().receiveResponse(response);
        } else {
            engine.onStrayResponse(response);
        }
    }

    void fromCallee(SipMessage message, InetSocketAddress callee) {
        if (message instanceof SipResponse response) {
            Optional<ClientTransaction> client = table.matchResponse(response);
            if (client.isPresent()) {
                client.get().receiveResponse(response);
            } else {
                engine.onStrayResponse(response);
            }
            return;
        }
        fromNetwork((SipRequest) message, new MessageSource(INSIDE, callee, null));
    }

    private void fromNetwork(SipRequest request, MessageSource source) {
        Optional<ServerTransaction> existing = table.matchRequest(request);
        if (existing.isPresent()) {
            existing.get().receiveRequest(request);
            return;
        }
        if ("ACK".equals(request.method())) {
            engine.onAck(request);
            return;
        }
        ServerTransactionUser user = new ServerTransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction, SipRequest received) {
                dispatch(transaction, received, source);
            }

            @Override
            public void onAck(InviteServerTransaction transaction, SipRequest ack) {
            }

            @Override
            public void onTimeout(ServerTransaction transaction) {
            }

            @Override
            public void onTransportError(ServerTransaction transaction, Throwable cause) {
            }

            @Override
            public void onTerminated(ServerTransaction transaction) {
            }
        };
        ServerTransaction tx = "INVITE".equals(request.method())
                ? new InviteServerTransaction(request, false, timers, clock, (m, owner) -> send(m, source.realm(), source.remote()), user)
                : new NonInviteServerTransaction(request, false, timers, clock, (m, owner) -> send(m, source.realm(), source.remote()), user);
        table.add(tx);
        tx.start();
    }

    private void dispatch(ServerTransaction tx, SipRequest request, MessageSource source) {
        if ("CANCEL".equals(request.method())) {
            Optional<InviteServerTransaction> target = table.matchCancelTarget(request);
            if (target.isEmpty()) {
                tx.sendResponse(UasResponses.to(request, 481, "Call/Transaction Does Not Exist", this::newTag).build());
                return;
            }
            tx.sendResponse(UasResponses.to(request, 200, "OK", this::newTag).build());
            InviteServerTransaction invite = target.get();
            if (invite.lastResponseStatus() < 200) {
                String earlier = invite.lastResponseToTag();
                invite.sendResponse(UasResponses.to(invite.request(), 487, "Request Terminated",
                        earlier != null ? () -> earlier : this::newTag).build());
                engine.onCancelled(invite);
            }
            return;
        }
        boolean taken = request.toTag() != null ? engine.onInDialogRequest(tx, request)
                : tx instanceof InviteServerTransaction invite && engine.onInvite(invite, source);
        if (!taken) {
            tx.sendResponse(UasResponses.to(request, request.toTag() != null ? 481 : 480, "Not Taken", this::newTag)
                    .build());
        }
    }

    // ---- looking at what was sent ------------------------------------------------------------

    List<Sent> sentTo(InetSocketAddress to) {
        return sent.stream().filter(s -> s.to().equals(to)).toList();
    }

    /** The last message sent to {@code to} that matches. */
    Sent last(InetSocketAddress to, Predicate<SipMessage> which) {
        List<Sent> list = sentTo(to).stream().filter(s -> which.test(s.message())).toList();
        assertThat(list).as("sent to " + to + ": " + sent).isNotEmpty();
        return list.get(list.size() - 1);
    }

    long count(InetSocketAddress to, Predicate<SipMessage> which) {
        return sentTo(to).stream().filter(s -> which.test(s.message())).count();
    }

    static Predicate<SipMessage> request(String method) {
        return m -> m instanceof SipRequest r && r.method().equals(method);
    }

    static Predicate<SipMessage> response(int code, String method) {
        return m -> m instanceof SipResponse r && r.statusCode() == code && r.method().equals(method);
    }

    void advance(Duration d) {
        clock.advanceTimeBy(d);
    }

    SipMessage parse(String text) {
        byte[] bytes = text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        return ((ParseResult.Parsed) parser.parseDatagram(bytes)).message();
    }
}
