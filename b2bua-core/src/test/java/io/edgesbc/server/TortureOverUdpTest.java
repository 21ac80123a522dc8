package io.edgesbc.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every RFC 4475 / RFC 5118 vector sent over UDP to a running EdgeSBC: each request gets the
 * answer the RFC expects (or, where the RFC leaves it to the element, what EdgeSBC answers while
 * it has nowhere to route calls), malformed input that cannot be answered and responses that are
 * not ours are dropped and counted, and the server still answers OPTIONS afterwards.
 *
 * <p>The vectors' Vias name hosts and ports other than the test's socket, and a UDP response goes
 * where the top Via says (RFC 3261 §18.2.2): so that answers come back to the socket, the test
 * adds {@code ;rport} (RFC 3581 §4) after the top sent-by of each request the codec accepts, the
 * only change it makes to a vector.
 */
class TortureOverUdpTest {

    private static final Path ROOT = Path.of("src/test/resources/torture");
    private static EdgeSbcServer server;
    private static InetSocketAddress udp;

    @BeforeAll
    static void start() {
        server = new EdgeSbcServer(SippInteropTest.loopbackConfig()).start();
        udp = server.listenPoints().stream().filter(p -> p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    record Vector(String id, String verdict, String expected, byte[] bytes) {
    }

    static List<Vector> vectors() throws Exception {
        List<Vector> out = new ArrayList<>();
        for (String rfc : List.of("rfc4475", "rfc5118")) {
            for (String line : Files.readAllLines(ROOT.resolve(rfc).resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.startsWith("file\t") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.add(new Vector(rfc + "/" + f[0], f[3], f[4], Files.readAllBytes(ROOT.resolve(rfc).resolve(f[0]))));
            }
        }
        return out;
    }

    /** What EdgeSBC answers a well-formed request the RFC does not give a code for. */
    private static int ourAnswer(SipRequest request) {
        if (request.toTag() != null) {
            return 481; // no dialogs yet
        }
        if (!NoRouteUas.CAPABILITIES.allows(request.method())) {
            return NoRouteUas.CAPABILITIES.knows(request.method()) ? 405 : 501;
        }
        return switch (request.method()) {
            case "OPTIONS" -> 200;
            case "INVITE" -> 480;
            case "MESSAGE", "SUBSCRIBE", "REFER", "NOTIFY", "PUBLISH" -> 405; // not routed outside a dialog
            default -> 481;
        };
    }

    @Test
    void everyVectorGetsWhatTheRfcExpectsAndTheServerStaysUp() throws Exception {
        SipParser parser = new SipParser();
        long droppedBefore = server.transport().stats().malformedDropped()
                + server.transport().stats().responsesNotOurs();
        int drops = 0;
        // Vectors sharing a transaction (same branch, sent-by, method) are retransmissions of one
        // another to the server, which answers them with the first one's response (§17.2.3); a
        // request with the same From-tag, Call-ID and CSeq but another branch is merged: 482.
        Map<String, Integer> answered = new HashMap<>();
        Set<String> requestsSeen = new HashSet<>();
        List<String> failures = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (Vector v : vectors()) {
                ParseResult local = parser.parseDatagram(v.bytes.clone());
                SipMessage parsed = local instanceof ParseResult.Parsed p ? p.message() : null;
                Set<Integer> accepted = new HashSet<>();
                for (String code : v.expected.split("/")) {
                    if (code.matches("\\d{3}")) {
                        accepted.add(Integer.parseInt(code));
                    }
                }
                boolean expectDrop = v.expected.equals("drop") || (parsed instanceof SipResponse);
                if (parsed instanceof SipRequest request) {
                    // '-'/200 leave the answer to the element; an "invalid" vector the codec accepts
                    // is one the RFC lets us ignore (docs/CODEC.md); a method we do not allow is
                    // refused with 405 before any later check (RFC 3261 §8.2.1).
                    if (v.verdict.equals("valid") || v.verdict.equals("invalid") || accepted.isEmpty()
                            || accepted.contains(200) || !NoRouteUas.CAPABILITIES.allows(request.method())) {
                        accepted.add(ourAnswer(request));
                    }
                    String txKey = request.topVia().branch() + "|" + request.topVia().host() + "|"
                            + ("ACK".equals(request.method()) ? "INVITE" : request.method());
                    if (answered.containsKey(txKey)) {
                        accepted.add(answered.get(txKey));
                    }
                    String mergeKey = request.fromTag() + "|" + request.callId() + "|" + request.cseq();
                    if (!requestsSeen.add(mergeKey)) {
                        accepted.add(482);
                    }
                } else if (parsed == null && local instanceof ParseResult.Invalid invalid) {
                    expectDrop = !invalid.canAnswer();
                    accepted.add(400);
                }
                byte[] sent = v.bytes;
                if (parsed instanceof SipRequest request && !request.topVia().hasRport()) {
                    sent = withRport(v.bytes);
                    ParseResult again = parser.parseDatagram(sent.clone());
                    assertThat(again instanceof ParseResult.Parsed p && p.message().topVia().hasRport()
                            && java.util.Objects.equals(p.message().topVia().branch(), request.topVia().branch()))
                            .as("%s still parses, with rport", v.id).isTrue();
                }
                socket.send(new DatagramPacket(sent, sent.length, udp));
                // Final responses to INVITEs are retransmitted until ACKed (Timer G), so the answer
                // to this vector is told apart from late copies for earlier ones by its keys.
                Integer response = receiveFinal(socket, parser, expectDrop ? 300 : 5000, keysOf(v.bytes));
                if (expectDrop) {
                    drops++;
                    if (response != null) {
                        failures.add(v.id + ": expected no answer, got " + response);
                    }
                } else if (response == null) {
                    failures.add(v.id + ": expected one of " + accepted + ", got no answer");
                } else {
                    if (!accepted.contains(response)) {
                        failures.add(v.id + ": expected one of " + accepted + ", got " + response);
                    }
                    if (parsed instanceof SipRequest request) {
                        answered.putIfAbsent(request.topVia().branch() + "|" + request.topVia().host() + "|"
                                + request.method(), response);
                    }
                }
            }
            assertThat(failures).isEmpty();
            assertThat(server.transport().stats().malformedDropped() + server.transport().stats().responsesNotOurs()
                    - droppedBefore).as("every dropped vector is counted").isGreaterThanOrEqualTo(drops);

            byte[] options = ("OPTIONS sip:edgesbc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + socket.getLocalPort() + ";branch=z9hG4bKafter\r\nFrom: <sip:t@example.com>;tag=a\r\n"
                    + "To: <sip:edgesbc@127.0.0.1>\r\nCall-ID: after-torture\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            socket.send(new DatagramPacket(options, options.length, udp));
            assertThat(receiveFinal(socket, parser, 5000, keysOf(options))).isEqualTo(200);
        }
    }

    private static final java.util.regex.Pattern VIA_NAME = java.util.regex.Pattern.compile("(?im)^(?:via|v)[ \\t]*:");

    /**
     * The message with {@code ;rport} inserted where the top via-parm's sent-by ends: at its first
     * ';' or ',', or at the end of the header (a line break not followed by white space, which
     * would be folding). Bytes are kept as they are (ISO-8859-1 maps them one to one).
     */
    static byte[] withRport(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher via = VIA_NAME.matcher(text);
        if (!via.find()) {
            throw new IllegalArgumentException("no Via header");
        }
        int i = via.end();
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ';' || c == ',') {
                break;
            }
            if (c == '\r' || c == '\n') {
                int next = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
                if (next < text.length() && (text.charAt(next) == ' ' || text.charAt(next) == '\t')) {
                    i = next;
                    continue;
                }
                break;
            }
            i++;
        }
        return (text.substring(0, i) + ";rport" + text.substring(i)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final java.util.regex.Pattern CALL_ID =
            java.util.regex.Pattern.compile("(?im)^(?:call-id|i)[ \\t]*:[ \\t]*(\\S+)");
    private static final java.util.regex.Pattern CSEQ =
            java.util.regex.Pattern.compile("(?im)^cseq[ \\t]*:[ \\t]*0*(\\d+)");
    private static final java.util.regex.Pattern BRANCH = java.util.regex.Pattern.compile("branch=([^;,\\s]+)");

    /** Call-ID (or, without one, the first branch) and CSeq number, read from raw text. */
    static String keysOf(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher callId = CALL_ID.matcher(text);
        java.util.regex.Matcher cseq = CSEQ.matcher(text);
        java.util.regex.Matcher branch = BRANCH.matcher(text);
        String id = callId.find() ? callId.group(1) : branch.find() ? branch.group(1) : "";
        return id + "|" + (cseq.find() ? cseq.group(1) : "");
    }

    /**
     * The status of the next final response with these keys, skipping provisional ones and others;
     * null on timeout. Read from the status line: a 400 echoes the malformed headers it answers,
     * so it need not parse.
     */
    private static Integer receiveFinal(DatagramSocket socket, SipParser parser, int timeoutMillis,
                                            String keys) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] buf = new byte[65536];
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) left);
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            byte[] bytes = java.util.Arrays.copyOf(buf, packet.getLength());
            if (!keysOf(bytes).equals(keys)) {
                continue;
            }
            String text = new String(bytes, 0, Math.min(bytes.length, 12), StandardCharsets.ISO_8859_1);
            if (text.startsWith("SIP/2.0 ") && text.length() >= 11 && text.charAt(8) >= '2') {
                return Integer.parseInt(text.substring(8, 11));
            }
        }
    }
}
