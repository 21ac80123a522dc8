package io.edgesbc.sip.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipSyntaxException;
import io.edgesbc.sip.message.SipUri;
import io.edgesbc.sip.message.Uri;
import io.edgesbc.sip.message.Via;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of RFC 4475 and RFC 5118, byte-exact from the RFCs' archives, against what the
 * RFC expects (see src/test/resources/torture/README.md for the manifest format).
 *
 * <p>The codec's share of each verdict:
 * <ul>
 *   <li>{@code valid}: parsed, with every fact of the manifest's checks;</li>
 *   <li>{@code invalid}: an invalid-message result naming the element the RFC calls wrong,
 *       answerable with 400 for requests, never for responses (which are dropped);</li>
 *   <li>{@code semantic}: either parsed with the facts the UAS core needs to give the RFC's answer
 *       (505, 416, 420, 415, 483 ...; that answer is the transaction/UAS issue's test), or, for
 *       the few where a routing header itself is unusable, rejected here for a 400.</li>
 * </ul>
 * Vectors we deliberately treat otherwise are listed below with their reason; none is dropped.
 */
class TortureVectorTest {

    private static final Path ROOT = Path.of("src/test/resources/torture");
    private static final SipParser PARSER = new SipParser();

    /** Semantic vectors the codec rejects itself because a routing header is unusable. */
    private static final Map<String, String> CODEC_REJECTS = Map.of(
            "rfc4475/scalar02.dat", "CSeq number beyond 2^31 (RFC 3261 §8.1.1.5)",
            "rfc4475/multi01.dat", "second value of single-valued routing headers",
            "rfc4475/mcl01.dat", "two Content-Length headers leave the body ambiguous",
            "rfc4475/insuf.dat", "Call-ID, From and To missing (answerable: Via and CSeq are there)");

    /** Invalid vectors we accept, where the RFC allows it. */
    private static final Map<String, String> LENIENT_ACCEPTS = Map.of(
            "rfc4475/baddate.dat", "RFC 4475 §3.1.2.11: rejecting is optional when Date does not matter; "
                    + "EdgeSBC never reads Date and passes it through unchanged");

    /** Vectors that cannot pass as published, with the reason; a corrected copy is tested instead. */
    private static final Map<String, String> CANNOT_PASS_AS_PUBLISHED = Map.of(
            "rfc5118/ipv6-in-sdp.dat", "the archive's Content-Length (268) exceeds its body (242 octets); "
                    + "RFC 3261 §18.3 makes that a 400",
            "rfc5118/mult-ip-in-sdp.dat", "the archive's Content-Length (181) exceeds its body (180 octets); "
                    + "RFC 3261 §18.3 makes that a 400");

    record Vector(String id, String section, String title, String verdict, String expected,
                  List<String[]> checks, byte[] bytes) {
        @Override
        public String toString() {
            return id + " (" + section + " " + title + ")";
        }

        List<String> all(String key) {
            return checks.stream().filter(c -> c[0].equals(key)).map(c -> c[1]).toList();
        }
    }

    static Stream<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        for (String rfc : List.of("rfc4475", "rfc5118")) {
            List<String> lines = Files.readAllLines(ROOT.resolve(rfc).resolve("manifest.tsv"), StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("#") || line.startsWith("file\t") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                List<String[]> checks = new ArrayList<>();
                for (String c : f[5].split(";")) {
                    int eq = c.indexOf('=');
                    checks.add(new String[] {c.substring(0, eq), c.substring(eq + 1).replace("%3B", ";")});
                }
                out.add(new Vector(rfc + "/" + f[0], f[1], f[2], f[3], f[4], checks,
                        Files.readAllBytes(ROOT.resolve(rfc).resolve(f[0]))));
            }
        }
        return out.stream();
    }

    @Test
    void everyPublishedMessageIsInTheManifests() throws IOException {
        assertThat(vectors().filter(v -> v.id.startsWith("rfc4475/"))).hasSize(49);
        assertThat(vectors().filter(v -> v.id.startsWith("rfc5118/"))).hasSize(12);
        try (Stream<Path> files = Files.walk(ROOT)) {
            assertThat(files.filter(p -> p.toString().endsWith(".dat"))).hasSize(61);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void meetsWhatTheRfcExpects(Vector v) {
        ParseResult result = PARSER.parseDatagram(v.bytes.clone());
        if (CANNOT_PASS_AS_PUBLISHED.containsKey(v.id)) {
            assertThat(result).isInstanceOfSatisfying(ParseResult.Invalid.class,
                    i -> assertThat(i.reason()).contains("Content-Length"));
            byte[] corrected = withTrueContentLength(v.bytes);
            ParseResult fixed = PARSER.parseDatagram(corrected);
            assertThat(fixed).isInstanceOf(ParseResult.Parsed.class);
            assertFacts(((ParseResult.Parsed) fixed).message(), v, true);
            return;
        }
        if (LENIENT_ACCEPTS.containsKey(v.id)) {
            assertThat(result).isInstanceOf(ParseResult.Parsed.class);
            assertFacts(((ParseResult.Parsed) result).message(), v, false);
            return;
        }
        boolean expectInvalid = v.verdict.equals("invalid") || CODEC_REJECTS.containsKey(v.id);
        if (expectInvalid) {
            assertThat(result).as("%s should be rejected", v).isInstanceOf(ParseResult.Invalid.class);
            assertRejectedForTheRightReason((ParseResult.Invalid) result, v);
        } else {
            if (result instanceof ParseResult.Invalid i) {
                fail("%s should parse but was rejected: %s at %d", v, i.reason(), i.offset());
            }
            assertThat(result).isInstanceOf(ParseResult.Parsed.class);
            SipMessage m = ((ParseResult.Parsed) result).message();
            assertFacts(m, v, false);
            if (v.verdict.equals("semantic")) {
                assertSemanticFlawVisible(m, v);
            }
            // What the codec accepts it writes back byte-exact.
            assertThat(new String(SipWriter.toBytes(m), StandardCharsets.ISO_8859_1))
                    .isEqualTo(new String(v.bytes, m.wire().start(), m.wire().end() - m.wire().start(),
                            StandardCharsets.ISO_8859_1));
        }
    }

    private static void assertRejectedForTheRightReason(ParseResult.Invalid invalid, Vector v) {
        boolean response = v.all("status").size() + v.all("status-code-text").size() > 0;
        if (v.expected.equals("drop") || response) {
            assertThat(invalid.canAnswer()).as("responses are never answered").isFalse();
        } else {
            assertThat(v.expected).isEqualTo("400");
            assertThat(invalid.canAnswer()).as("%s: %s should be answerable with 400", v, invalid.reason()).isTrue();
            ResponseContext ctx = invalid.context();
            assertThat(ctx.vias()).isNotEmpty();
            for (String callId : v.all("call-id")) {
                assertThat(ctx.callId()).isEqualTo(callId);
            }
        }
        List<String> bad = v.all("bad");
        if (!bad.isEmpty()) {
            assertThat(bad.stream().anyMatch(b -> mentions(invalid.reason(), b)))
                    .as("%s: reason '%s' should name one of %s", v, invalid.reason(), bad).isTrue();
        }
        assertThat(invalid.offset()).isBetween(0, v.bytes.length);
    }

    private static boolean mentions(String reason, String element) {
        return switch (element) {
            case "Request-URI", "Request-Line" -> reason.contains("Request-URI") || reason.contains("Request-Line");
            case "Status-Code" -> reason.contains("Status-Code");
            default -> reason.contains(element);
        };
    }

    /** For semantic vectors the codec accepts: the flaw the UAS core answers is visible. */
    private static void assertSemanticFlawVisible(SipMessage m, Vector v) {
        for (String bad : v.all("bad")) {
            switch (bad) {
                case "CSeq" -> assertThat(m.cseq().method()).isNotEqualTo(m.method()); // RFC 3261 §8.2 -> 400/501
                case "Request-URI" -> assertThat(((SipUri) ((SipRequest) m).requestUri()).headers()).isNotEmpty();
                case "Contact" -> assertThatThrownBy(m::contact).isInstanceOf(SipSyntaxException.class);
                default -> fail("no semantic check for bad=" + bad);
            }
        }
    }

    private static void assertFacts(SipMessage m, Vector v, boolean corrected) {
        for (String[] check : v.checks) {
            String key = check[0];
            String want = check[1];
            switch (key) {
                case "method" -> assertThat(((SipRequest) m).method()).as(key).isEqualTo(want);
                case "status" -> assertThat(((SipResponse) m).statusCode()).as(key).isEqualTo(Integer.parseInt(want));
                case "reason" -> assertThat(((SipResponse) m).reasonPhrase()).as(key).isEqualTo(want);
                case "reason-prefix" -> assertThat(((SipResponse) m).reasonPhrase()).as(key).startsWith(want);
                case "reason-octets" -> assertThat(((SipResponse) m).reasonPhrase().getBytes(StandardCharsets.UTF_8))
                        .as(key).hasSize(Integer.parseInt(want));
                case "sip-version" -> assertThat(m.version()).as(key).isEqualTo(want);
                case "ruri" -> assertThat(((SipRequest) m).requestUri().toString()).as(key).isEqualTo(want);
                case "ruri-scheme" -> assertThat(((SipRequest) m).requestUri().scheme()).as(key)
                        .isEqualToIgnoringCase(want);
                case "ruri-host" -> assertThat(sipUri(((SipRequest) m).requestUri()).host()).as(key)
                        .isEqualToIgnoringCase(want);
                case "ruri-port" -> assertThat(sipUri(((SipRequest) m).requestUri()).port()).as(key)
                        .isEqualTo(want.isEmpty() ? -1 : Integer.parseInt(want));
                case "ruri-user-unescaped" -> assertThat(sipUri(((SipRequest) m).requestUri()).user()).as(key)
                        .isEqualTo(want);
                case "to-user-unescaped" -> assertThat(sipUri(m.to().uri()).user()).as(key).isEqualTo(want);
                case "from-user-unescaped" -> assertThat(sipUri(m.from().uri()).user()).as(key).isEqualTo(want);
                case "call-id" -> assertThat(m.callId()).as(key).isEqualTo(want);
                case "cseq" -> assertThat(m.cseq().number() + " " + m.cseq().method()).as(key).isEqualTo(want);
                case "via-count" -> assertThat(m.vias()).as(key).hasSize(Integer.parseInt(want));
                case "via-transports" -> assertThat(String.join(",", m.vias().stream().map(Via::transport).toList()))
                        .as(key).isEqualTo(want);
                case "top-via-transport" -> assertThat(m.topVia().transport()).as(key).isEqualTo(want);
                case "top-via-sent-by" -> assertThat(sentBy(m.topVia())).as(key).isEqualToIgnoringCase(want);
                case "top-via-branch" -> assertThat(nullToEmpty(m.topVia().branch())).as(key).isEqualTo(want);
                case "top-via-received" -> assertThat(m.topVia().received()).as(key).isEqualTo(want);
                case "second-via-sent-by" -> assertThat(sentBy(m.vias().get(1))).as(key).isEqualToIgnoringCase(want);
                case "last-via-sent-by" -> assertThat(sentBy(last(m.vias()))).as(key).isEqualToIgnoringCase(want);
                case "last-via-branch" -> assertThat(nullToEmpty(last(m.vias()).branch())).as(key).isEqualTo(want);
                case "last-via-received" -> assertThat(last(m.vias()).received()).as(key).isEqualTo(want);
                case "max-forwards" -> assertThat(m.maxForwards()).as(key)
                        .isEqualTo(want.isEmpty() ? -1 : Integer.parseInt(want));
                case "content-length" -> {
                    if (!corrected) {
                        assertThat(m.contentLength()).as(key).isEqualTo(want.isEmpty() ? -1 : Long.parseLong(want));
                    }
                }
                case "body-length" -> {
                    if (!corrected) {
                        assertThat(m.bodyLength()).as(key).isEqualTo(Integer.parseInt(want));
                    }
                }
                case "trailing-octets" -> assertThat(v.bytes.length - m.wire().end()).as(key)
                        .isEqualTo(Integer.parseInt(want));
                case "from-tag" -> assertThat(nullToEmpty(m.fromTag())).as(key).isEqualTo(want);
                case "to-tag" -> assertThat(nullToEmpty(m.toTag())).as(key).isEqualTo(want);
                case "from-display" -> assertThat(m.from().displayName()).as(key).isEqualTo(want);
                case "from-uri" -> assertThat(m.from().uri().toString()).as(key).isEqualTo(want);
                case "to-uri" -> assertThat(m.to().uri().toString()).as(key).isEqualTo(want);
                case "contact-count" -> assertThat(m.contact().contacts()).as(key).hasSize(Integer.parseInt(want));
                case "contact-uri" -> assertThat(m.contact().contacts().get(0).uri().toString()).as(key)
                        .isEqualTo(want);
                case "contact-param" -> assertThat(m.contact().contacts().get(0).parameters()).as(key)
                        .containsKey(want);
                case "route-count" -> assertThat(m.route()).as(key).hasSize(Integer.parseInt(want));
                case "accept-count" -> assertThat(m.headers().values(HeaderName.ACCEPT)).as(key)
                        .hasSize(Integer.parseInt(want));
                case "accept" -> assertThat(m.headers().first(HeaderName.ACCEPT)).as(key).isEqualTo(want);
                case "content-type" -> assertThat(m.contentType().mediaType()).as(key).isEqualToIgnoringCase(want);
                case "content-type-boundary" -> assertThat(m.contentType().parameters().get("boundary")).as(key)
                        .isEqualTo(want);
                case "multipart-part-count" -> assertThat(m.bodyText().split("--" + m.contentType().parameters()
                        .get("boundary") + "\r\n", -1)).as(key).hasSize(Integer.parseInt(want) + 1);
                case "subject" -> assertThat(nullToEmpty(m.headers().first(HeaderName.SUBJECT))).as(key).isEqualTo(want);
                case "require" -> assertThat(String.join(",", m.require())).as(key).isEqualTo(want);
                case "proxy-require" -> assertThat(String.join(",", m.proxyRequire())).as(key).isEqualTo(want);
                case "authorization-scheme" -> assertThat(m.headers().first(HeaderName.AUTHORIZATION)).as(key)
                        .startsWith(want + " ");
                case "extension-header" -> assertThat(m.headers().contains(HeaderName.of(want))).as(key).isTrue();
                case "sdp-connection" -> assertThat(m.bodyText()).as(key).contains("c=" + want);
                case "bad", "line-endings", "header-terminator" -> {
                    // Used by the verdict assertions, or describing the bytes.
                }
                default -> fail("%s: no assertion for check key '%s'", v, key);
            }
        }
    }

    private static SipUri sipUri(Uri uri) {
        assertThat(uri).isInstanceOf(SipUri.class);
        return (SipUri) uri;
    }

    private static String sentBy(Via via) {
        return via.port() < 0 ? via.host() : via.host() + ":" + via.port();
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The vector with Content-Length set to the octets that follow the empty line. */
    private static byte[] withTrueContentLength(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int blank = text.indexOf("\n\n");
        int bodyLength = text.length() - blank - 2;
        return text.replaceFirst("(?i)Content-Length: *\\d+", "Content-Length: " + bodyLength)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyListedExceptionIsAVectorThatExists() throws IOException {
        List<String> ids = vectors().map(Vector::id).toList();
        assertThat(ids).containsAll(CODEC_REJECTS.keySet()).containsAll(LENIENT_ACCEPTS.keySet())
                .containsAll(CANNOT_PASS_AS_PUBLISHED.keySet());
    }
}
