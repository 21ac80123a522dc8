package io.edgesbc.sip.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link UasChecks} against every RFC 4475 / RFC 5118 request the codec accepts, asserting the
 * manifest's expected_response (see src/test/resources/torture/README.md).
 *
 * <p>Role: EdgeSBC as a B2BUA that relays calls, messages and registrations ({@link #SBC}). For the
 * manifest's answers: "-" means the checks pass; "200" (the REGISTER vectors) means they pass and
 * the registrar answers 200 later; "A/B" accepts either alternative.
 */
class UasChecksTortureTest {

    private static final Path ROOT = Path.of("src/test/resources/torture");

    /** The B2BUA as the vectors meet it: relays (forwards) and accepts REGISTER and MESSAGE too. */
    static final UasCapabilities SBC = UasCapabilities.defaults()
            .withAllowedMethods("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "PRACK", "UPDATE", "INFO", "REFER",
                    "NOTIFY", "SUBSCRIBE", "MESSAGE", "REGISTER")
            .withForwards(true);

    /**
     * Vectors whose answer the RFC makes depend on the role, and which role gives which answer here.
     * regaut01 (401/405): a registrar that does not authenticate processes the REGISTER (our SBC
     * profile: pass; authentication is the policy layer's, §22); a non-registrar endpoint answers 405.
     */
    private static final Map<String, String> ROLE_DEPENDENT = Map.of(
            "rfc4475/regaut01.dat", "pass as a registrar without authentication; 405 without REGISTER");

    /**
     * Vectors where the RFC lets an element ignore the flaw, and we do: the checks pass.
     * baddate (400): RFC 4475 §3.1.2.12 makes rejecting optional when the Date does not matter to
     * the element; EdgeSBC never reads Date (the codec accepts it for the same reason).
     */
    private static final Map<String, String> IGNORED_FLAWS = Map.of(
            "rfc4475/baddate.dat", "Date is not used, so its non-GMT zone is ignored");

    /** Vectors the codec itself rejects (their 400 comes from the codec's ResponseContext). */
    private static final Set<String> CODEC_REJECTS = Set.of(
            "badaspec", "baddn", "badinv01", "clerr", "insuf", "ltgtruri", "lwsruri", "lwsstart", "mcl01",
            "multi01", "ncl", "quotbal", "scalar02", "trws", "ipv6-bad", "ipv6-in-sdp", "mult-ip-in-sdp",
            // responses the codec rejects (dropped)
            "bigcode", "scalarlg");

    record Vector(String id, String expected, byte[] bytes) {
        @Override
        public String toString() {
            return id + " -> " + expected;
        }

        String name() {
            return id.substring(id.indexOf('/') + 1, id.length() - 4);
        }
    }

    static Stream<Vector> vectors() throws IOException {
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
        return out.stream();
    }

    private static SipRequest acceptedRequest(Vector v) {
        ParseResult r = new SipParser().parseDatagram(v.bytes.clone());
        if (r instanceof ParseResult.Parsed p && p.message() instanceof SipRequest q) {
            return q;
        }
        return null;
    }

    @Test
    void theCodecRejectsExactlyTheVectorsListedHere() throws IOException {
        Set<String> rejected = new TreeSet<>();
        int requests = 0;
        for (Vector v : vectors().toList()) {
            ParseResult r = new SipParser().parseDatagram(v.bytes.clone());
            if (r instanceof ParseResult.Invalid) {
                rejected.add(v.name());
            } else if (acceptedRequest(v) != null) {
                requests++;
            }
        }
        assertThat(rejected).isEqualTo(new TreeSet<>(CODEC_REJECTS));
        // 61 vectors: 19 rejected by the codec, 3 well-formed responses, 39 requests run here.
        assertThat(requests).isEqualTo(39);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void answersWhatTheManifestExpects(Vector v) {
        SipRequest request = acceptedRequest(v);
        if (request == null) {
            return; // codec-rejected or a response: not a UAS check (see the test above)
        }
        UasChecks checks = new UasChecks(SBC, Msgs.counting());
        UasVerdict verdict = checks.check(request);
        if (ROLE_DEPENDENT.containsKey(v.id)) {
            assertThat(verdict.passed()).as("registrar role").isTrue();
            UasVerdict endpoint = new UasChecks(SBC.withAllowedMethods("INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"),
                    Msgs.counting()).check(request);
            assertThat(endpoint).isInstanceOfSatisfying(UasVerdict.Respond.class,
                    r -> assertThat(r.statusCode()).isEqualTo(405));
            return;
        }
        if (IGNORED_FLAWS.containsKey(v.id)) {
            assertThat(verdict).as("%s: %s", v, IGNORED_FLAWS.get(v.id)).isEqualTo(UasVerdict.pass());
            return;
        }
        switch (v.expected) {
            case "-", "200" -> assertThat(verdict).as("%s", v).isEqualTo(UasVerdict.pass());
            default -> {
                List<Integer> allowed = Arrays.stream(v.expected.split("/")).map(Integer::parseInt).toList();
                assertThat(verdict).as("%s", v).isInstanceOf(UasVerdict.Respond.class);
                UasVerdict.Respond respond = (UasVerdict.Respond) verdict;
                assertThat(respond.statusCode()).as("%s: %s", v, respond.reason()).isIn(allowed);
                assertCopiedPer8_2_6(request, respond.response());
            }
        }
    }

    /** §8.2.6.2 on every answer: Vias, From, Call-ID, CSeq copied; To copied with a tag added. */
    private static void assertCopiedPer8_2_6(SipRequest request, SipResponse response) {
        assertThat(response.headers().lines(HeaderName.VIA)).isEqualTo(request.headers().lines(HeaderName.VIA));
        assertThat(response.headers().first(HeaderName.FROM)).isEqualTo(request.headers().first(HeaderName.FROM));
        assertThat(response.callId()).isEqualTo(request.callId());
        assertThat(response.cseq()).isEqualTo(request.cseq());
        assertThat(response.to().uri()).isEqualTo(request.to().uri());
        assertThat(response.toTag()).isEqualTo(request.toTag() != null ? request.toTag() : "t1");
        // and it is a message a peer can read
        assertThat(Msgs.roundTrip(response)).isEqualTo(response);
    }

    /** The in-dialog vectors (To-tag, no dialog here) get 481 from the dialog table (§12.2.2). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void requestsWithAToTagMatchNoDialog(Vector v) {
        SipRequest request = acceptedRequest(v);
        if (request == null || request.toTag() == null) {
            return;
        }
        DialogTable.Match m = new DialogTable().receive(request);
        if (request.method().equals("ACK")) {
            assertThat(m).isInstanceOf(DialogTable.Match.Rejected.class);
            return;
        }
        assertThat(m).isInstanceOfSatisfying(DialogTable.Match.Rejected.class, r ->
                assertThat(((UasVerdict.Respond) r.verdict()).statusCode()).isEqualTo(481));
    }
}
