package io.edgesbc.server;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.server.config.RealmConfig;
import io.edgesbc.server.config.ServerConfig;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.Via;
import io.edgesbc.sip.parse.ParseLimits;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import io.edgesbc.sip.transport.ListenPoint;
import io.edgesbc.sip.transport.TransportKind;
import io.edgesbc.sip.transport.TransportStats;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every RFC 4475 / RFC 5118 vector sent over UDP to a running EdgeSBC that has nowhere to route
 * calls: each gets the outcome {@link #EXPECTED} names for it (a status, which layer gives it, or
 * a drop and the counter that counts it), and the servers still answer OPTIONS afterwards.
 *
 * <p>Several vectors reuse one top Via branch and sent-by with another Call-ID. To RFC 3261
 * §17.2.3 such a request is a retransmission of the earlier one; EdgeSBC looks it up in the
 * transaction table of the shard its Call-ID hashes to, so whether it meets the earlier
 * transaction depends on the number of shards (cores). Such a vector goes to a second server,
 * where it meets none (see {@link #servers}); vectors that share the Call-ID as well are true
 * retransmissions on any machine and stay together.
 *
 * <p>The vectors' Vias name hosts and ports other than the test's socket, and a UDP response goes
 * where the top Via says (RFC 3261 §18.2.2): so that answers come back to the socket, the test
 * adds {@code ;rport} (RFC 3581 §4) after the top sent-by of each request the codec accepts, the
 * only change it makes to a vector.
 */
class TortureOverUdpTest {

    private static final Path ROOT = Path.of("src/test/resources/torture");

    /** Which part of EdgeSBC answers, and so which counters move. */
    enum By {
        /** The codec rejects the request; the transport answers 400 statelessly (RFC 3261 §21.4.1). */
        CODEC,
        /** A new server transaction, with the answer the manifest names (RFC 3261 §8.2 checks). */
        RFC,
        /** A new server transaction, with EdgeSBC's own answer where the RFC's depends on the role. */
        ROUTINE,
        /** An earlier vector's server transaction absorbs it and sends its response again (§17.2.3). */
        RETRANSMISSION
    }

    /** The transport counter that counts a dropped vector. */
    enum Counter {
        /** A malformed message that cannot be answered. */
        MALFORMED,
        /** A response whose top Via is not ours (RFC 3261 §18.1.2). */
        NOT_OURS
    }

    sealed interface Outcome {
        String why();
    }

    record Answer(Set<Integer> statuses, By by, String why) implements Outcome {
    }

    record Dropped(Counter counter, String why) implements Outcome {
    }

    private static Outcome rfc(String why, Integer... statuses) {
        return new Answer(Set.of(statuses), By.RFC, why);
    }

    private static Outcome ours(int status, String why) {
        return new Answer(Set.of(status), By.ROUTINE, why);
    }

    private static Outcome codec400(String why) {
        return new Answer(Set.of(400), By.CODEC, why);
    }

    private static Outcome again(int status, String why) {
        return new Answer(Set.of(status), By.RETRANSMISSION, why);
    }

    private static Outcome dropped(Counter counter, String why) {
        return new Dropped(counter, why);
    }

    private static final String NO_ROUTE = "a new INVITE with nowhere to route";
    private static final String NO_REGISTRAR = "REGISTER: EdgeSBC is no registrar (§8.2.1, with Allow)";
    private static final String OPTIONS = "OPTIONS out of a dialog: our capabilities (§11.2)";
    private static final String NO_DIALOG = "a request with a To-tag that no dialog has (§12.2.2)";

    /** What each vector gets, by file; the manifests say what the RFCs expect. */
    static final Map<String, Outcome> EXPECTED = Map.ofEntries(
            // RFC 4475 §3.1.1: valid messages
            entry("rfc4475/wsinv.dat", ours(481, "an INVITE with a To-tag is a re-INVITE; " + NO_DIALOG)),
            entry("rfc4475/intmeth.dat", rfc("an endpoint answers an unknown method with 501", 501)),
            entry("rfc4475/esc01.dat", ours(480, NO_ROUTE)),
            entry("rfc4475/escnull.dat", ours(405, NO_REGISTRAR)),
            entry("rfc4475/esc02.dat", rfc("the method is not REGISTER but unknown: 501", 501)),
            entry("rfc4475/lwsdisp.dat", ours(200, OPTIONS)),
            entry("rfc4475/longreq.dat", ours(480, NO_ROUTE)),
            entry("rfc4475/dblreq.dat", ours(405, NO_REGISTRAR + "; the trailing octets are ignored (§18.3)")),
            entry("rfc4475/semiuri.dat", ours(200, OPTIONS)),
            entry("rfc4475/transports.dat", ours(200, OPTIONS)),
            entry("rfc4475/mpart01.dat", ours(405, "framed by Content-Length; a MESSAGE outside a dialog is "
                    + "not routed (405 with Allow)")),
            entry("rfc4475/unreason.dat", dropped(Counter.NOT_OURS, "a well-formed 200 that is not ours")),
            entry("rfc4475/noreason.dat", dropped(Counter.NOT_OURS, "a well-formed 100 that is not ours")),
            // RFC 4475 §3.1.2: invalid messages
            entry("rfc4475/badinv01.dat", codec400("empty Via and Contact parameters")),
            entry("rfc4475/clerr.dat", codec400("Content-Length beyond the datagram")),
            entry("rfc4475/ncl.dat", codec400("negative Content-Length")),
            entry("rfc4475/scalar02.dat", codec400("CSeq number beyond 2^31 (TortureVectorTest: codec rejects)")),
            entry("rfc4475/scalarlg.dat", dropped(Counter.MALFORMED, "a malformed response is discarded")),
            entry("rfc4475/quotbal.dat", codec400("unterminated quote in To")),
            entry("rfc4475/ltgtruri.dat", codec400("Request-URI in <>")),
            entry("rfc4475/lwsruri.dat", codec400("whitespace in the Request-URI")),
            entry("rfc4475/lwsstart.dat", codec400("extra SP in the Request-Line")),
            entry("rfc4475/trws.dat", codec400("trailing SP after the SIP-Version")),
            entry("rfc4475/escruri.dat", rfc("escaped headers in a Request-URI (§19.1.1)", 400)),
            entry("rfc4475/baddate.dat", ours(480, "the codec ignores the non-GMT Date (§3.1.2.12 allows it "
                    + "where the Date does not matter; TortureVectorTest); " + NO_ROUTE)),
            entry("rfc4475/regbadct.dat", rfc("a Contact with '?' outside <> (§20)", 400)),
            entry("rfc4475/badaspec.dat", codec400("spaces in the To addr-spec")),
            entry("rfc4475/baddn.dat", codec400("unquoted display names with a comma")),
            entry("rfc4475/badvers.dat", rfc("SIP/7.0", 505)),
            entry("rfc4475/mismatch01.dat", rfc("the CSeq method is not the request's (§8.1.1.5)", 400)),
            entry("rfc4475/mismatch02.dat", rfc("unknown method (501 preferred to 400)", 501)),
            entry("rfc4475/bigcode.dat", dropped(Counter.MALFORMED, "a status code beyond 699 is discarded")),
            // RFC 4475 §3.2, §3.3: transaction and application layer
            entry("rfc4475/badbranch.dat", rfc("a branch that is only the magic cookie", 400)),
            entry("rfc4475/insuf.dat", codec400("no Call-ID, From or To (TortureVectorTest: codec rejects)")),
            entry("rfc4475/unkscm.dat", rfc("unknown Request-URI scheme", 416)),
            entry("rfc4475/novelsc.dat", rfc("EdgeSBC never accepts soap.beep: 416, not 404", 416)),
            entry("rfc4475/unksm2.dat", ours(405, NO_REGISTRAR + " before a registrar's check of the To (400)")),
            entry("rfc4475/bext01.dat", rfc("Require of an unknown option tag", 420)),
            entry("rfc4475/invut.dat", rfc("an INVITE body of an unknown type", 415)),
            entry("rfc4475/regaut01.dat", rfc("a non-registrar answers REGISTER with 405", 405)),
            entry("rfc4475/multi01.dat", codec400("two Call-ID, To, From, Max-Forwards, CSeq")),
            entry("rfc4475/mcl01.dat", codec400("two Content-Length values")),
            entry("rfc4475/bcast.dat", dropped(Counter.NOT_OURS, "its top Via is not ours (§18.1.2), so the "
                    + "broadcast second Via is never used")),
            entry("rfc4475/zeromf.dat", rfc("Max-Forwards 0 where EdgeSBC would forward", 483)),
            entry("rfc4475/cparam01.dat", ours(405, NO_REGISTRAR + "; the RFC's 200 is a registrar's")),
            entry("rfc4475/cparam02.dat", ours(405, NO_REGISTRAR + "; the RFC's 200 is a registrar's")),
            entry("rfc4475/regescrt.dat", ours(405, NO_REGISTRAR + "; the RFC's 200 is a registrar's")),
            entry("rfc4475/sdp01.dat", rfc("Accept without application/sdp: 406, the first alternative", 406)),
            entry("rfc4475/inv2543.dat", ours(480, "an RFC 2543 INVITE (no cookie, no From-tag); " + NO_ROUTE)),
            // RFC 5118
            entry("rfc5118/ipv6-good.dat", ours(405, NO_REGISTRAR)),
            entry("rfc5118/ipv6-bad.dat", codec400("an IPv6 Request-URI host without []")),
            entry("rfc5118/port-ambiguous.dat", again(405, "of ipv6-good: same branch, sent-by, method, Call-ID")),
            entry("rfc5118/port-unambiguous.dat", again(405, "of ipv6-good: same branch, sent-by, method, Call-ID")),
            entry("rfc5118/via-received-param-with-delim.dat", ours(481, "a BYE: " + NO_DIALOG)),
            entry("rfc5118/via-received-param-no-delim.dat", ours(200, OPTIONS)),
            entry("rfc5118/ipv6-in-sdp.dat", codec400("Content-Length 268 beyond the body as published (§18.3)")),
            entry("rfc5118/mult-ip-in-header.dat", ours(481, "a BYE: " + NO_DIALOG)),
            entry("rfc5118/mult-ip-in-sdp.dat", codec400("Content-Length 181 beyond the body as published (§18.3)")),
            entry("rfc5118/ipv4-mapped-ipv6.dat", ours(480, NO_ROUTE)),
            entry("rfc5118/ipv6-bug-abnf-3-colons.dat", ours(200, OPTIONS)),
            entry("rfc5118/ipv6-correct-abnf-2-colons.dat", again(200, "of the 3-colons vector: same branch, "
                    + "sent-by, method, Call-ID")));

    record Vector(String id, String expected, byte[] bytes) {
        /** The statuses the manifest names (none for '-' and 'drop'). */
        Set<Integer> manifestStatuses() {
            return Arrays.stream(expected.split("/")).filter(c -> c.matches("\\d{3}")).map(Integer::valueOf)
                    .collect(Collectors.toSet());
        }
    }

    static List<Vector> vectors() throws Exception {
        List<Vector> out = new ArrayList<>();
        for (String rfc : List.of("rfc4475", "rfc5118")) {
            for (String line : Files.readAllLines(ROOT.resolve(rfc).resolve("manifest.tsv"), StandardCharsets.UTF_8)) {
                if (line.startsWith("#") || line.startsWith("file\t") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                out.add(new Vector(rfc + "/" + f[0], f[4], Files.readAllBytes(ROOT.resolve(rfc).resolve(f[0]))));
            }
        }
        return out;
    }

    private static ParseResult parse(Vector v) {
        return new SipParser().parseDatagram(v.bytes.clone());
    }

    /**
     * The server (0, 1 ...) each vector is sent to, in manifest order: the first one on which no
     * earlier vector has the same server transaction key (RFC 3261 §17.2.3: top Via branch with
     * the magic cookie, sent-by, method) with another Call-ID.
     */
    static Map<String, Integer> servers(List<Vector> vectors) {
        Map<String, Integer> server = new LinkedHashMap<>();
        List<Map<String, String>> callIdsByKey = new ArrayList<>();
        for (Vector v : vectors) {
            int index = 0;
            if (parse(v) instanceof ParseResult.Parsed p && p.message() instanceof SipRequest r
                    && r.topVia().hasMagicCookie()) {
                Via via = r.topVia();
                String key = via.branch() + "|" + via.host() + ":" + via.port() + "|"
                        + ("ACK".equals(r.method()) ? "INVITE" : r.method());
                while (index < callIdsByKey.size()
                        && !callIdsByKey.get(index).getOrDefault(key, r.callId()).equals(r.callId())) {
                    index++;
                }
                if (index == callIdsByKey.size()) {
                    callIdsByKey.add(new HashMap<>());
                }
                callIdsByKey.get(index).putIfAbsent(key, r.callId());
            }
            server.put(v.id, index);
        }
        return server;
    }

    @Test
    void theTableNamesEveryVectorAndAgreesWithTheManifestsAndTheCodec() throws Exception {
        List<Vector> vectors = vectors();
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrderElementsOf(vectors.stream().map(Vector::id).toList());
        for (Vector v : vectors) {
            Outcome outcome = EXPECTED.get(v.id);
            ParseResult parsed = parse(v);
            String what = v.id + " -> " + outcome;
            if (v.expected.equals("drop")) {
                assertThat(outcome).as(what).isInstanceOf(Dropped.class);
            }
            if (outcome instanceof Dropped d && d.counter == Counter.MALFORMED
                    || outcome instanceof Answer a && a.by == By.CODEC) {
                boolean answerable = outcome instanceof Answer;
                assertThat(parsed).as(what).isInstanceOfSatisfying(ParseResult.Invalid.class,
                        i -> assertThat(i.canAnswer()).as(what).isEqualTo(answerable));
            } else if (outcome instanceof Dropped) {
                assertThat(parsed).as(what).isInstanceOfSatisfying(ParseResult.Parsed.class,
                        p -> assertThat(p.message()).isInstanceOf(SipResponse.class));
            } else {
                assertThat(parsed).as(what).isInstanceOfSatisfying(ParseResult.Parsed.class,
                        p -> assertThat(p.message()).isInstanceOf(SipRequest.class));
            }
            if (outcome instanceof Answer a && a.by == By.RFC) {
                assertThat(v.manifestStatuses()).as(what).containsAll(a.statuses);
            }
            if (outcome instanceof Answer a && a.by == By.ROUTINE) {
                assertThat(v.manifestStatuses()).as(what + ": the manifest names it, so it is the RFC's")
                        .doesNotContainAnyElementsOf(a.statuses);
            }
            assertThat(outcome.why()).as(what).isNotBlank();
        }
        // Only cparam02, regescrt and novelsc reuse an earlier vector's branch and sent-by with
        // another Call-ID; they go to the second server.
        assertThat(servers(vectors).entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("rfc4475/cparam02.dat", "rfc4475/regescrt.dat", "rfc4475/novelsc.dat");
    }

    /** The transport's and the core's counters of one server at one moment. */
    record Counts(long answered400, long malformedDropped, long notOurs, long transactions) {
        static Counts of(EdgeSbcServer server) {
            TransportStats s = server.transport().stats();
            return new Counts(s.malformedAnswered(), s.malformedDropped(), s.responsesNotOurs(),
                    server.serverTransactionsCreated());
        }

        Counts minus(Counts before) {
            return new Counts(answered400 - before.answered400, malformedDropped - before.malformedDropped,
                    notOurs - before.notOurs, transactions - before.transactions);
        }

        long dropped() {
            return malformedDropped + notOurs;
        }
    }

    /** What the counters must have done for a vector with this outcome. */
    private static Counts expectedDelta(Outcome outcome) {
        if (outcome instanceof Dropped d) {
            return d.counter == Counter.MALFORMED ? new Counts(0, 1, 0, 0) : new Counts(0, 0, 1, 0);
        }
        return switch (((Answer) outcome).by) {
            case CODEC -> new Counts(1, 0, 0, 0);
            case RFC, ROUTINE -> new Counts(0, 0, 0, 1);
            case RETRANSMISSION -> new Counts(0, 0, 0, 0);
        };
    }

    private static final List<EdgeSbcServer> RUNNING = new ArrayList<>();

    /** A loopback server with a UDP listener; no shutdown wait, its transactions matter no more. */
    private static EdgeSbcServer startServer() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerConfig config = new ServerConfig("test", List.of(new RealmConfig("outside", loopback, 0, -1)),
                new InetSocketAddress(loopback, 0), Duration.ofMillis(500), Duration.ofSeconds(4),
                Duration.ofSeconds(5), Duration.ofMinutes(5), 1000, ParseLimits.DEFAULTS, Duration.ZERO);
        EdgeSbcServer server = new EdgeSbcServer(config).start();
        RUNNING.add(server);
        return server;
    }

    private static InetSocketAddress udp(EdgeSbcServer server) {
        return server.listenPoints().stream().filter(p -> p.transport() == TransportKind.UDP)
                .map(ListenPoint::address).findFirst().orElseThrow();
    }

    @AfterAll
    static void stop() {
        RUNNING.forEach(EdgeSbcServer::stop);
    }

    @Test
    void everyVectorGetsWhatTheRfcExpectsAndTheServerStaysUp() throws Exception {
        List<Vector> vectors = vectors();
        Map<String, Integer> serverOf = servers(vectors);
        List<EdgeSbcServer> servers = new ArrayList<>();
        for (int i = 0; i <= serverOf.values().stream().max(Integer::compare).orElse(0); i++) {
            servers.add(startServer());
        }
        List<Counts> atStart = servers.stream().map(Counts::of).toList();
        List<String> failures = new ArrayList<>();
        int drops = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (Vector v : vectors) {
                EdgeSbcServer server = servers.get(serverOf.get(v.id));
                Outcome outcome = EXPECTED.get(v.id);
                Counts before = Counts.of(server);
                byte[] sent = v.bytes;
                if (parse(v) instanceof ParseResult.Parsed p && p.message() instanceof SipRequest request
                        && !request.topVia().hasRport()) {
                    // Answers go where the top Via says (§18.2.2): rport brings them to this socket.
                    sent = withRport(v.bytes);
                    ParseResult again = new SipParser().parseDatagram(sent.clone());
                    assertThat(again instanceof ParseResult.Parsed q && q.message().topVia().hasRport()
                            && java.util.Objects.equals(q.message().topVia().branch(), request.topVia().branch()))
                            .as("%s still parses, with rport", v.id).isTrue();
                }
                socket.send(new DatagramPacket(sent, sent.length, udp(server)));
                // Final responses to INVITEs are retransmitted until ACKed (Timer G), so the answer
                // to this vector is told apart from late copies for earlier ones by its keys.
                Integer status;
                if (outcome instanceof Dropped d) {
                    drops++;
                    awaitDrop(server, before, d.counter);
                    status = receiveFinal(socket, 300, keysOf(v.bytes));
                    if (status != null) {
                        failures.add(v.id + ": expected no answer, got " + status);
                    }
                } else {
                    Answer a = (Answer) outcome;
                    status = receiveFinal(socket, 5000, keysOf(v.bytes));
                    if (status == null || !a.statuses.contains(status)) {
                        failures.add(v.id + ": expected " + a.statuses + " (" + a.why + "), got " + status);
                    }
                }
                Counts delta = Counts.of(server).minus(before);
                if (!delta.equals(expectedDelta(outcome))) {
                    failures.add(v.id + ": counters moved by " + delta + ", expected " + expectedDelta(outcome)
                            + " for " + outcome);
                }
            }
            assertThat(failures).isEmpty();
            long dropCounted = 0;
            for (int i = 0; i < servers.size(); i++) {
                dropCounted += Counts.of(servers.get(i)).minus(atStart.get(i)).dropped();
            }
            assertThat(dropCounted).as("the drop counters rose by exactly the vectors dropped").isEqualTo(drops);

            for (EdgeSbcServer server : servers) {
                byte[] options = ("OPTIONS sip:edgesbc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                        + socket.getLocalPort() + ";branch=z9hG4bKafter\r\nFrom: <sip:t@example.com>;tag=a\r\n"
                        + "To: <sip:edgesbc@127.0.0.1>\r\nCall-ID: after-torture\r\nCSeq: 1 OPTIONS\r\n"
                        + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(options, options.length, udp(server)));
                assertThat(receiveFinal(socket, 5000, keysOf(options))).isEqualTo(200);
            }
        }
    }

    /** Waits (at most 5 s) until the counter of a drop has moved since {@code before}. */
    private static void awaitDrop(EdgeSbcServer server, Counts before, Counter counter) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Counts delta = Counts.of(server).minus(before);
            if ((counter == Counter.MALFORMED ? delta.malformedDropped : delta.notOurs) > 0) {
                return;
            }
            Thread.sleep(10);
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
    private static Integer receiveFinal(DatagramSocket socket, int timeoutMillis, String keys) throws Exception {
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
            byte[] bytes = Arrays.copyOf(buf, packet.getLength());
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
