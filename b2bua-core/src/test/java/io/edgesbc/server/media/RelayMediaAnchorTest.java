package io.edgesbc.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.b2bua.MediaOutcome;
import io.edgesbc.b2bua.MediaPolicy;
import io.edgesbc.b2bua.MediaSession;
import io.edgesbc.b2bua.MediaSession.Side;
import io.edgesbc.b2bua.MediaSummary;
import io.edgesbc.media.relay.RealmConfig;
import io.edgesbc.media.relay.RelayConfig;
import io.edgesbc.media.relay.Ticker;
import io.edgesbc.media.sdp.SdpParser;
import io.edgesbc.media.sdp.SessionDescription;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The anchor over a real relay on loopback: realm "outside" on 127.0.0.1, realm "inside" on
 * 127.0.0.2. Media timeouts run in fake time (the test owns the relay's clock and fires its sweep).
 * Requests are made from a {@code parallel()} thread, which BlockHound treats as non-blocking like a
 * call shard, and run on the relay's event loops, which BlockHound checks as well: nothing there
 * may wait.
 */
class RelayMediaAnchorTest {

    private static final InetAddress OUTSIDE = address("127.0.0.1");
    private static final InetAddress INSIDE = address("127.0.0.2");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Runnable> sweeps = new CopyOnWriteArrayList<>();
    private final List<String> timedOut = new CopyOnWriteArrayList<>();
    private final List<MediaSummary> summaries = new CopyOnWriteArrayList<>();
    private int base;
    private RelayMediaAnchor anchor;

    @BeforeEach
    void start() {
        base = 42_000 + 200 * ThreadLocalRandom.current().nextInt(50);
        anchor = anchor(RelayConfig.of(RealmConfig.of("outside", OUTSIDE, base, base + 99),
                RealmConfig.of("inside", INSIDE, base + 100, base + 199)), Set.of());
    }

    private RelayMediaAnchor anchor(RelayConfig config, Set<RelayMediaAnchor.RealmPair> bypass) {
        Ticker fake = (period, task) -> {
            sweeps.add(task);
            return () -> sweeps.remove(task);
        };
        RelayMediaAnchor a = RelayMediaAnchor.create(config.withTimeouts(Duration.ofSeconds(60), Duration.ofHours(1)),
                bypass, now::get, fake);
        a.onMediaTimeout(timedOut::add);
        a.onSummary(summaries::add);
        return a;
    }

    @AfterEach
    void stop() {
        anchor.close();
    }

    private static MediaSession session(String id, MediaPolicy policy) {
        return new MediaSession(id, "outside", "inside", policy);
    }

    private static MediaSession session(String id) {
        return session(id, MediaPolicy.DEFAULT);
    }

    /** Asks from a thread that must not block, as a call shard does. */
    private static <T> T fromShard(Mono<T> request) {
        return Mono.defer(() -> request).subscribeOn(Schedulers.parallel()).block(WAIT);
    }

    private MediaOutcome offer(MediaSession s, Side from, String sdp) {
        return fromShard(anchor.offer(s, from, sdp.getBytes(StandardCharsets.US_ASCII)));
    }

    private MediaOutcome answer(MediaSession s, Side from, String sdp) {
        return fromShard(anchor.answer(s, from, sdp.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String sdp(String user, int port, String... extra) {
        StringBuilder sb = new StringBuilder("v=0\r\no=").append(user).append(" 11 1 IN IP4 127.0.0.1\r\n")
                .append("s=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n")
                .append("m=audio ").append(port).append(" RTP/AVP 0 8\r\n")
                .append("a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n");
        for (String line : extra) {
            sb.append(line).append("\r\n");
        }
        return sb.toString();
    }

    private static SessionDescription rewritten(MediaOutcome outcome) {
        assertThat(outcome).isInstanceOf(MediaOutcome.Rewritten.class);
        return SdpParser.parse(((MediaOutcome.Rewritten) outcome).body());
    }

    private int freePairs(String realm) {
        return anchor.relay().metrics().pool(realm).free();
    }

    /** The relay loops the requests now run on are among the threads BlockHound checks. */
    @Test
    void waitingOnTheRelayLoopWhereRequestsRunIsCaught() throws Exception {
        java.util.concurrent.CompletableFuture<Throwable> caught = new java.util.concurrent.CompletableFuture<>();
        anchor.relay().controlExecutor("any-call").execute(() -> {
            try {
                Thread.sleep(1);
                caught.complete(null);
            } catch (Throwable t) {
                caught.complete(t);
            }
        });
        assertThat(caught.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(reactor.blockhound.BlockingOperationError.class);
    }

    @Test
    void offerAndAnswerNameOnlyTheRelayAndMediaFlowsThroughIt() throws IOException {
        try (Party caller = new Party(); Party callee = new Party()) {
            MediaSession s = session("0-abc");
            SessionDescription toCallee = rewritten(offer(s, Side.CALLER, sdp("alice", caller.port())));
            // RFC 3264 §5: the callee is told to send to the relay's inside address, never to the caller
            assertThat(toCallee.connection().orElseThrow().address()).isEqualTo("127.0.0.2");
            assertThat(toCallee.origin().address()).isEqualTo("127.0.0.2");
            int insidePort = toCallee.media().get(0).port();
            assertThat(insidePort).isBetween(base + 100, base + 199).isEven().isNotEqualTo(caller.port());
            assertThat(toCallee.toString()).doesNotContain(" " + caller.port() + " ");

            SessionDescription toCaller = rewritten(answer(s, Side.CALLEE, sdp("bob", callee.port())));
            assertThat(toCaller.connection().orElseThrow().address()).isEqualTo("127.0.0.1");
            int outsidePort = toCaller.media().get(0).port();
            assertThat(outsidePort).isBetween(base, base + 99).isEven();

            caller.send(OUTSIDE, outsidePort, rtp(1));
            DatagramPacket atCallee = callee.receive();
            assertThat(atCallee).as("the caller's RTP reaches the callee").isNotNull();
            assertThat(atCallee.getSocketAddress()).as("from the relay's inside socket")
                    .isEqualTo(new InetSocketAddress(INSIDE, insidePort));
            callee.send(INSIDE, insidePort, rtp(7));
            assertThat(caller.receive().getSocketAddress()).isEqualTo(new InetSocketAddress(OUTSIDE, outsidePort));

            // a retransmitted INVITE's offer gets the same description (RFC 3264 §8: same o= version)
            assertThat(rewritten(offer(s, Side.CALLER, sdp("alice", caller.port())))).isEqualTo(toCallee);
        }
    }

    @Test
    void releaseGivesThePortsBackAndSummarisesEachSide() throws IOException {
        try (Party caller = new Party(); Party callee = new Party()) {
            MediaSession s = session("1-def");
            int insidePort = rewritten(offer(s, Side.CALLER, sdp("alice", caller.port()))).media().get(0).port();
            int outsidePort = rewritten(answer(s, Side.CALLEE, sdp("bob", callee.port()))).media().get(0).port();
            assertThat(freePairs("outside")).isEqualTo(49);
            assertThat(freePairs("inside")).isEqualTo(49);
            for (int seq = 1; seq <= 3; seq++) {
                caller.send(OUTSIDE, outsidePort, rtp(seq));
                assertThat(callee.receive()).isNotNull();
            }
            callee.send(INSIDE, insidePort, rtp(1));
            assertThat(caller.receive()).isNotNull();

            MediaSummary summary = fromShard(anchor.release(s));
            assertThat(summary.anchored()).isTrue();
            assertThat(summary.caller().packets()).isEqualTo(3);
            assertThat(summary.caller().bytes()).isEqualTo(3 * 172);
            assertThat(summary.callee().packets()).isEqualTo(1);
            assertThat(summaries).containsExactly(summary);
            assertThat(freePairs("outside")).isEqualTo(50);
            assertThat(freePairs("inside")).isEqualTo(50);

            assertThat(fromShard(anchor.release(s))).as("releasing twice").isEqualTo(MediaSummary.NONE);
            MediaOutcome late = offer(s, Side.CALLEE, sdp("bob", callee.port()));
            assertThat(late).as("an offer after the release allocates nothing")
                    .isEqualTo(new MediaOutcome.Refused(481, "Call/Transaction Does Not Exist", null));
            assertThat(freePairs("inside")).isEqualTo(50);
        }
    }

    @Test
    void aLateOfferOfTheCalleeIsAnsweredByTheCaller() {
        // INVITE without SDP: the offer comes in the callee's 2xx, the answer in the caller's ACK
        MediaSession s = session("0-late");
        SessionDescription toCaller = rewritten(offer(s, Side.CALLEE, sdp("bob", 5000)));
        assertThat(toCaller.connection().orElseThrow().address()).isEqualTo("127.0.0.1");
        assertThat(toCaller.media().get(0).port()).isBetween(base, base + 99);
        SessionDescription toCallee = rewritten(answer(s, Side.CALLER, sdp("alice", 4000)));
        assertThat(toCallee.connection().orElseThrow().address()).isEqualTo("127.0.0.2");
        assertThat(toCallee.media().get(0).port()).isBetween(base + 100, base + 199);
    }

    @Test
    void exhaustedPortsAreRefusedWith503AndRetryAfter() {
        anchor.close();
        anchor = anchor(RelayConfig.of(RealmConfig.of("outside", OUTSIDE, base, base + 1),
                RealmConfig.of("inside", INSIDE, base + 100, base + 199)), Set.of()); // one outside pair
        assertThat(offer(session("0-one"), Side.CALLER, sdp("alice", 4000))).isInstanceOf(MediaOutcome.Rewritten.class);
        MediaOutcome second = offer(session("0-two"), Side.CALLER, sdp("alice", 4002));
        assertThat(second).isEqualTo(new MediaOutcome.Refused(503, "Service Unavailable", Duration.ofSeconds(5)));
        assertThat(anchor.relay().metrics().pool("outside").exhaustions()).isEqualTo(1);
        assertThat(freePairs("inside")).as("nothing of the refused offer stays allocated").isEqualTo(49);

        fromShard(anchor.release(session("0-one")));
        assertThat(offer(session("0-two"), Side.CALLER, sdp("alice", 4002))).isInstanceOf(MediaOutcome.Rewritten.class);
    }

    @Test
    void unusableSdpIsRefusedWith488() {
        MediaOutcome.Refused notAcceptable = new MediaOutcome.Refused(488, "Not Acceptable Here", null);
        assertThat(offer(session("0-bad"), Side.CALLER, "this is not SDP")).isEqualTo(notAcceptable);
        assertThat(offer(session("0-bad"), Side.CALLER, "v=0\r\ns=-\r\n")).isEqualTo(notAcceptable);
        assertThat(freePairs("outside")).isEqualTo(50);

        rewritten(offer(session("0-ok"), Side.CALLER, sdp("alice", 4000)));
        assertThat(answer(session("0-ok"), Side.CALLER, sdp("alice", 4000)))
                .as("a side answering its own offer").isEqualTo(notAcceptable);
        assertThat(answer(session("0-none"), Side.CALLEE, sdp("bob", 5000)))
                .as("an answer without an offer").extracting(o -> ((MediaOutcome.Refused) o).code()).isEqualTo(481);
    }

    @Test
    void theCodecPolicyFiltersOffersAndRefusesAnOfferItEmpties() {
        MediaPolicy pcmaOnly = new MediaPolicy(false, null, null, Set.of("PCMA", "telephone-event"), Set.of(), List.of());
        SessionDescription toCallee = rewritten(offer(session("0-c", pcmaOnly), Side.CALLER, sdp("alice", 4000)));
        assertThat(toCallee.media().get(0).formats()).containsExactly("8");
        assertThat(toCallee.toString()).doesNotContain("PCMU");

        MediaPolicy g729Only = new MediaPolicy(false, null, null, Set.of("G729"), Set.of(), List.of());
        assertThat(offer(session("0-d", g729Only), Side.CALLER, sdp("alice", 4000)))
                .isEqualTo(new MediaOutcome.Refused(488, "Not Acceptable Here", null));
        assertThat(freePairs("outside")).as("only the first call holds ports").isEqualTo(49);

        MediaPolicy pcmaFirst = new MediaPolicy(false, null, null, Set.of(), Set.of(), List.of("PCMA"));
        assertThat(rewritten(offer(session("0-e", pcmaFirst), Side.CALLER, sdp("alice", 4000))).media().get(0).formats())
                .containsExactly("8", "0");
    }

    @Test
    void bypassPassesTheBodyByteForByte() {
        byte[] body = sdp("alice", 4000).getBytes(StandardCharsets.US_ASCII);
        MediaPolicy bypass = new MediaPolicy(true, null, null, Set.of(), Set.of(), List.of());
        MediaOutcome byPolicy = fromShard(anchor.offer(session("0-b", bypass), Side.CALLER, body));
        assertThat(((MediaOutcome.Rewritten) byPolicy).body()).isEqualTo(body);
        assertThat(freePairs("outside")).isEqualTo(50);
        assertThat(fromShard(anchor.release(session("0-b", bypass)))).isEqualTo(MediaSummary.NONE);

        anchor.close();
        anchor = anchor(RelayConfig.of(RealmConfig.of("outside", OUTSIDE, base, base + 99),
                RealmConfig.of("inside", INSIDE, base + 100, base + 199)),
                Set.of(new RelayMediaAnchor.RealmPair("inside", "outside")));
        MediaOutcome byPair = fromShard(anchor.offer(session("0-p"), Side.CALLER, body));
        assertThat(((MediaOutcome.Rewritten) byPair).body()).isEqualTo(body);
        assertThat(freePairs("inside")).isEqualTo(50);
    }

    @Test
    void aMediaTimeoutIsDeliveredWithTheSessionIdAfterThePolicysTimeout() {
        MediaPolicy tenSeconds = new MediaPolicy(false, "strict", Duration.ofSeconds(10), Set.of(), Set.of(), List.of());
        MediaSession quick = session("1-quick", tenSeconds);
        MediaSession usual = session("0-usual");
        rewritten(offer(quick, Side.CALLER, sdp("alice", 4000)));
        rewritten(answer(quick, Side.CALLEE, sdp("bob", 5000)));
        rewritten(offer(usual, Side.CALLER, sdp("alice", 4002)));
        rewritten(answer(usual, Side.CALLEE, sdp("bob", 5002)));

        advance(Duration.ofSeconds(9));
        assertThat(timedOut).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(timedOut).containsExactly("1-quick");
        advance(Duration.ofSeconds(50));
        assertThat(timedOut).as("the relay's 60 s").containsExactly("1-quick", "0-usual");

        fromShard(anchor.release(quick));
        fromShard(anchor.release(usual));
        advance(Duration.ofSeconds(120));
        assertThat(timedOut).as("released calls are not reported again").hasSize(2);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
        sweeps.forEach(Runnable::run);
    }

    private static byte[] rtp(int seq) {
        ByteBuffer b = ByteBuffer.allocate(172); // RFC 3550 §5.1 header + 20 ms of G.711
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160).putInt(0x5150);
        return b.array();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A media party: a UDP socket on 127.0.0.1. */
    private static final class Party implements AutoCloseable {
        private final DatagramSocket socket;

        Party() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(OUTSIDE, 0));
            socket.setSoTimeout(2_000);
        }

        int port() {
            return socket.getLocalPort();
        }

        void send(InetAddress to, int port, byte[] packet) throws IOException {
            socket.send(new DatagramPacket(packet, packet.length, to, port));
        }

        DatagramPacket receive() throws IOException {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            try {
                socket.receive(p);
                return p;
            } catch (SocketTimeoutException e) {
                return null;
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
