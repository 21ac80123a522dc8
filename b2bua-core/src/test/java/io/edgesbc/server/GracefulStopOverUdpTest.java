package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesbc.b2bua.CallRouter;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.b2bua.StaticRouter;
import io.edgesbc.server.config.CdrConfig;
import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.dialog.UasResponses;
import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EdgeSbcServer#stop()} on a thread of its own while peers on real UDP sockets go on
 * talking to the server: new requests out of a dialog get 503 with Retry-After, a call ringing
 * when the stop began is still answered and then hung up with a BYE to each side and its CDR,
 * and the stop ends by its one deadline although a silent callee would keep the call and its
 * transactions waiting far longer. (SIGTERM to the process: {@link GracefulStopTest}.)
 */
class GracefulStopOverUdpTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Realms outside and inside (UDP); calls from outside go to {@code calleePort} via inside. */
    private static EdgeSbcServer server(int calleePort, Duration shutdownTimeout, Path cdr) {
        CallRouter router = StaticRouter.empty().with("outside", "inside",
                List.of(RouteTarget.of("sip:127.0.0.1:" + calleePort)));
        ServerConfig config = new ServerConfig("test", List.of(new RealmConfig("outside", LOOPBACK, 0, -1),
                new RealmConfig("inside", LOOPBACK, 0, -1)), new InetSocketAddress(LOOPBACK, 0),
                Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofMinutes(5), 100,
                ParseLimits.DEFAULTS, shutdownTimeout).withCdr(CdrConfig.in(cdr));
        return new EdgeSbcServer(config, router).start();
    }

    private static InetSocketAddress udp(EdgeSbcServer server, String realm) {
        return server.listenPoints().stream()
                .filter(p -> p.realm().equals(realm) && p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow();
    }

    /** {@code server.stop()} on a thread of its own; completes with the milliseconds it took. */
    private static CompletableFuture<Long> stopInBackground(EdgeSbcServer server) {
        return CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            server.stop();
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }, task -> new Thread(task, "test-stop").start());
    }

    private static String outOfDialog(String method, String callId, UdpSipPeer from) {
        return method + " sip:bob@127.0.0.1 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + from.port() + ";branch=z9hG4bK-" + callId + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:alice@127.0.0.1>;tag=a-" + callId + "\n"
                + "To: <sip:bob@127.0.0.1>\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 " + method + "\n"
                + "Contact: <sip:alice@127.0.0.1:" + from.port() + ">\n"
                + "Content-Length: 0\n\n";
    }

    /** RFC 3261 §17.1.1.3: the ACK of a non-2xx final response, in the INVITE's transaction. */
    private static String ackOf(SipResponse response, String callId, UdpSipPeer from) {
        return "ACK sip:bob@127.0.0.1 SIP/2.0\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + from.port() + ";branch=z9hG4bK-" + callId + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:alice@127.0.0.1>;tag=a-" + callId + "\n"
                + "To: <sip:bob@127.0.0.1>;tag=" + response.toTag() + "\n"
                + "Call-ID: " + callId + "\n"
                + "CSeq: 1 ACK\n"
                + "Content-Length: 0\n\n";
    }

    /** A callee's answer to {@code request}: our To-tag and Contact. */
    private static SipResponse answer(SipRequest request, int code, String reason, UdpSipPeer callee) {
        return UasResponses.to(request, code, reason, () -> "callee-tag")
                .add(HeaderName.CONTACT, "<sip:bob@127.0.0.1:" + callee.port() + ">").build();
    }

    private static List<JsonNode> cdrs(Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    records.add(json.readTree(line));
                }
            }
        }
        return records;
    }

    /** The final response to this peer's request {@code callId}, which must come. */
    private static SipResponse finalResponse(UdpSipPeer peer, String callId, String method) throws Exception {
        UdpSipPeer.Received r = peer.finalResponse(callId, method, WAIT);
        assertThat(r).as("a final response to %s %s", method, callId).isNotNull();
        return r.response();
    }

    @Test
    void duringTheStopNewRequestsOutOfADialogGet503WithRetryAfter(@TempDir Path dir) throws Exception {
        try (UdpSipPeer callee = new UdpSipPeer(); UdpSipPeer peer = new UdpSipPeer()) {
            EdgeSbcServer server = server(callee.port(), Duration.ofSeconds(2), dir);
            InetSocketAddress outside = udp(server, "outside");
            CompletableFuture<Long> stopping = null;
            try {
                // Before the stop: OPTIONS is answered 200, and its transaction stays open (Timer J,
                // 64*T1 = 32 s), so the stop waits for its whole timeout.
                peer.send(outOfDialog("OPTIONS", "before-stop", peer), outside);
                assertThat(finalResponse(peer, "before-stop", "OPTIONS").statusCode()).isEqualTo(200);

                stopping = stopInBackground(server);
                // The stop drains first thing; an OPTIONS that came before may still get its 200.
                SipResponse refused = null;
                for (int i = 0; refused == null && i < 100; i++) {
                    peer.send(outOfDialog("OPTIONS", "during-stop-" + i, peer), outside);
                    SipResponse r = finalResponse(peer, "during-stop-" + i, "OPTIONS");
                    refused = r.statusCode() != 200 ? r : null;
                }
                assertThat(refused).as("an OPTIONS refused while stopping").isNotNull();
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().first(HeaderName.RETRY_AFTER)).isEqualTo("30");

                peer.send(outOfDialog("INVITE", "invite-during-stop", peer), outside);
                SipResponse inviteRefused = finalResponse(peer, "invite-during-stop", "INVITE");
                peer.send(ackOf(inviteRefused, "invite-during-stop", peer), outside);
                assertThat(inviteRefused.statusCode()).isEqualTo(503);
                assertThat(inviteRefused.headers().first(HeaderName.RETRY_AFTER)).isEqualTo("30");
                assertThat(callee.request("INVITE", Duration.ofMillis(300))).as("nothing routed while stopping")
                        .isNull();
                assertThat(stopping).as("the answers came while the stop was still waiting").isNotDone();
                stopping.get(30, TimeUnit.SECONDS);
            } finally {
                if (stopping == null) {
                    server.stop();
                }
            }
        }
    }

    @Test
    void aCallRingingWhenTheStopBeginsIsAnsweredThenHungUpWithAByeToEachSideAndItsCdr(@TempDir Path dir)
            throws Exception {
        try (UdpSipPeer caller = new UdpSipPeer(); UdpSipPeer callee = new UdpSipPeer()) {
            EdgeSbcServer server = server(callee.port(), Duration.ofSeconds(2), dir);
            InetSocketAddress outside = udp(server, "outside");
            CompletableFuture<Long> stopping = null;
            try {
                caller.send(outOfDialog("INVITE", "ringing-call", caller), outside);
                UdpSipPeer.Received invite = callee.request("INVITE", WAIT);
                assertThat(invite).as("EdgeSBC's INVITE to the callee").isNotNull();
                callee.send(answer(invite.request(), 180, "Ringing", callee), invite.from());

                stopping = stopInBackground(server);
                // The INVITE transactions on both legs are open: the callee's 200 still reaches the
                // caller, and the caller's ACK the callee.
                callee.send(answer(invite.request(), 200, "OK", callee), invite.from());
                SipResponse ok = finalResponse(caller, "ringing-call", "INVITE");
                assertThat(ok.statusCode()).isEqualTo(200);
                caller.send("ACK sip:edgesbc@127.0.0.1:" + outside.getPort() + " SIP/2.0\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + caller.port() + ";branch=z9hG4bK-ringing-call-ack\n"
                        + "Max-Forwards: 70\n"
                        + "From: <sip:alice@127.0.0.1>;tag=a-ringing-call\n"
                        + "To: <sip:bob@127.0.0.1>;tag=" + ok.toTag() + "\n"
                        + "Call-ID: ringing-call\n"
                        + "CSeq: 1 ACK\n"
                        + "Content-Length: 0\n\n", outside);
                assertThat(callee.request("ACK", invite.request().callId(), WAIT)).as("the ACK, relayed").isNotNull();
                assertThat(stopping).isNotDone();

                // Once the transactions have had their time, the call still up is hung up.
                UdpSipPeer.Received callerBye = caller.request("BYE", "ringing-call", WAIT);
                UdpSipPeer.Received calleeBye = callee.request("BYE", invite.request().callId(), WAIT);
                assertThat(callerBye).as("a BYE to the caller").isNotNull();
                assertThat(calleeBye).as("a BYE to the callee").isNotNull();
                caller.send(UasResponses.to(callerBye.request(), 200, "OK", null).build(), callerBye.from());
                callee.send(UasResponses.to(calleeBye.request(), 200, "OK", null).build(), calleeBye.from());
                stopping.get(30, TimeUnit.SECONDS);
            } finally {
                if (stopping == null) {
                    server.stop();
                }
            }
            // stop() returns once the CDR writer has written what was queued.
            List<JsonNode> records = cdrs(dir);
            assertThat(records).hasSize(1);
            JsonNode call = records.get(0);
            assertThat(call.get("uas_call_id").asText()).isEqualTo("ringing-call");
            assertThat(call.get("outcome").asText()).isEqualTo("answered");
            assertThat(call.get("ended_by").asText()).isEqualTo("edgesbc");
            assertThat(call.get("reason").asText()).isEqualTo("EdgeSBC is stopping");
        }
    }

    @Test
    void theStopEndsByItsDeadlineWhenASilentCalleeWouldKeepItWaiting(@TempDir Path dir) throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        try (UdpSipPeer caller = new UdpSipPeer(); UdpSipPeer callee = new UdpSipPeer()) {
            EdgeSbcServer server = server(callee.port(), timeout, dir);
            InetSocketAddress outside = udp(server, "outside");
            CompletableFuture<Long> stopping = null;
            try {
                // The callee never answers: the UAC leg's INVITE would retransmit until Timer B
                // (64*T1 = 32 s), and without a provisional response no CANCEL may go out (RFC
                // 3261 §9.1), so the call cannot end by itself before that.
                caller.send(outOfDialog("INVITE", "silent-callee", caller), outside);
                assertThat(callee.request("INVITE", WAIT)).as("EdgeSBC's INVITE to the callee").isNotNull();

                stopping = stopInBackground(server);
                SipResponse refused = finalResponse(caller, "silent-callee", "INVITE");
                caller.send(ackOf(refused, "silent-callee", caller), outside);
                assertThat(refused.statusCode()).as("the caller hears the end of its call").isEqualTo(480);
                long took = stopping.get(30, TimeUnit.SECONDS);
                // A bound on a shutdown, not a speed: the timeout, what the steps that must run may
                // add after it, and a margin for a loaded machine (this stop takes about 1 s; the
                // waits stacked before the one deadline made it 4 s). Not shorter than the timeout:
                // the open transactions kept the listeners.
                assertThat(took).as("stop() took %d ms", took)
                        .isGreaterThanOrEqualTo(timeout.toMillis())
                        .isLessThan(timeout.plus(EdgeSbcServer.STOP_OVERRUN).plusSeconds(1).toMillis());
            } finally {
                if (stopping == null) {
                    server.stop();
                }
            }
            List<JsonNode> records = cdrs(dir);
            assertThat(records).hasSize(1);
            // Still ringing at the deadline: refused with 480, then ended at once (its CANCEL could
            // not go out), with its CDR.
            JsonNode call = records.get(0);
            assertThat(call.get("uas_call_id").asText()).isEqualTo("silent-callee");
            assertThat(call.get("uas_code").asInt()).isEqualTo(480);
            assertThat(call.get("outcome").asText()).isEqualTo("cancelled");
            assertThat(call.get("ended_by").asText()).isEqualTo("edgesbc");
            assertThat(call.get("reason").asText()).isEqualTo("EdgeSBC stopped");
        }
    }
}
