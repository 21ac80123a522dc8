package io.edgesbc.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Random mutations of valid SDP: the parser either returns a model or throws
 * {@link SdpParseException}, never anything else; and whatever it accepts survives a
 * write/parse round trip unchanged.
 */
class SdpParserFuzzProperties {

    private static final List<String> SEEDS = List.of(
            SdpParserTest.OFFER,
            String.join("\r\n", "v=0", "o=- 4858251974351650128 2 IN IP4 10.0.0.5", "s=call", "c=IN IP4 10.0.0.5",
                    "b=AS:2000", "t=0 0", "a=group:BUNDLE 0 1", "a=ice-options:trickle",
                    "m=audio 5004 UDP/TLS/RTP/SAVPF 111 9 0 101", "a=rtcp:5005 IN IP4 10.0.0.5",
                    "a=candidate:1 1 UDP 2130706431 10.0.0.5 5004 typ host", "a=rtpmap:111 opus/48000/2",
                    "a=fmtp:111 minptime=10", "a=rtpmap:101 telephone-event/8000", "a=sendrecv",
                    "m=video 0 RTP/AVPF 96 97", "a=rtpmap:96 VP8/90000", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96", ""),
            String.join("\n", "v=0", "o=x 1 1 IN IP6 2001:db8::1", "s= ", "t=2873397496 2873404696",
                    "r=7d 1h 0 25h", "x=unknown", "m=audio 6000/2 RTP/AVP 0", "c=IN IP6 ff15::101/2",
                    "c=IN IP4 233.252.0.1/127/2", "k=prompt", "a=rtcp:53020", "a=inactive", ""));

    private static final String ALPHABET = "v=oscmtab0123456789 :/.-*\r\n\t\0IPNé";

    @Property(tries = 3000)
    void mutatedSdpParsesOrFailsCleanly(@ForAll("mutatedSdp") String input) {
        SessionDescription parsed;
        try {
            parsed = SdpParser.parse(input);
            Statistics.label("outcome").collect("parsed");
        } catch (SdpParseException e) {
            Statistics.label("outcome").collect("rejected");
            assertThat(e.lineNumber()).isBetween(0, input.length() + 1);
            assertThat(e.reason()).isNotBlank();
            return;
        }
        String written = parsed.toString();
        assertThat(written).endsWith("\r\n");
        assertThat(SdpParser.parse(written)).isEqualTo(parsed);
        assertThat(SdpParser.parse(written).toString()).isEqualTo(written);
    }

    /** Both outcomes must be common, or the properties would exercise only one branch. */
    @Property(tries = 2000)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void mutationsHitBothOutcomes(@ForAll("mutatedSdp") String input) {
        boolean ok;
        try {
            SdpParser.parse(input);
            ok = true;
        } catch (SdpParseException e) {
            ok = false;
        }
        Statistics.label("parsed").collect(ok);
        Statistics.label("parsed").coverage(c -> {
            c.check(true).percentage(p -> p > 5.0);
            c.check(false).percentage(p -> p > 5.0);
        });
    }

    @Property(tries = 1000)
    void mutatedBytesParseOrFailCleanly(@ForAll("mutatedSdp") String input, @ForAll byte noise, @ForAll int where) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            bytes[Math.floorMod(where, bytes.length)] = noise;
        }
        try {
            SessionDescription parsed = SdpParser.parse(bytes);
            assertThat(SdpParser.parse(parsed.toBytes())).isEqualTo(parsed);
        } catch (SdpParseException expected) {
            assertThat(expected.reason()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> mutatedSdp() {
        Arbitrary<String> seed = Arbitraries.of(SEEDS);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(seed, mutations).as((s, ms) -> {
            String out = s;
            for (Mutation m : ms) {
                out = m.apply(out);
            }
            return out;
        });
    }

    private Arbitrary<Mutation> mutation() {
        Arbitrary<Integer> pos = Arbitraries.integers().between(0, 10_000);
        Arbitrary<Character> ch = Arbitraries.of(toChars(ALPHABET));
        Arbitrary<String> token = Arbitraries.of("0", "-1", "99999999999999999999", "/", "//", " ", "  ", "IP6",
                "IP4", "m=audio 0 RTP/AVP 0\n", "c=IN IP4 1.2.3.4\n", "a=rtcp:\n", "\r", ":", "=", "\n\n", "v=0\n");
        return Arbitraries.oneOf(
                Combinators.combine(pos, ch).as((p, c) -> (Mutation) s -> insert(s, p, String.valueOf(c))),
                Combinators.combine(pos, ch).as((p, c) -> (Mutation) s -> replace(s, p, c)),
                pos.map(p -> (Mutation) s -> delete(s, p)),
                Combinators.combine(pos, token).as((p, t) -> (Mutation) s -> insert(s, p, t)),
                pos.map(p -> (Mutation) s -> s.substring(0, p % (s.length() + 1))),
                pos.map(p -> (Mutation) s -> dropLine(s, p)),
                Combinators.combine(pos, pos).as((a, b) -> (Mutation) s -> swapLines(s, a, b)),
                pos.map(p -> (Mutation) s -> duplicateLine(s, p)));
    }

    @FunctionalInterface
    interface Mutation {
        String apply(String s);
    }

    private static Character[] toChars(String s) {
        Character[] out = new Character[s.length()];
        for (int i = 0; i < s.length(); i++) {
            out[i] = s.charAt(i);
        }
        return out;
    }

    private static String insert(String s, int p, String t) {
        int at = p % (s.length() + 1);
        return s.substring(0, at) + t + s.substring(at);
    }

    private static String replace(String s, int p, char c) {
        if (s.isEmpty()) {
            return s;
        }
        int at = p % s.length();
        return s.substring(0, at) + c + s.substring(at + 1);
    }

    private static String delete(String s, int p) {
        if (s.isEmpty()) {
            return s;
        }
        int at = p % s.length();
        return s.substring(0, at) + s.substring(at + 1);
    }

    private static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\n", -1)));
    }

    private static String dropLine(String s, int p) {
        List<String> l = lines(s);
        l.remove(p % l.size());
        return String.join("\n", l);
    }

    private static String swapLines(String s, int a, int b) {
        List<String> l = lines(s);
        int i = a % l.size();
        int j = b % l.size();
        String t = l.get(i);
        l.set(i, l.get(j));
        l.set(j, t);
        return String.join("\n", l);
    }

    private static String duplicateLine(String s, int p) {
        List<String> l = lines(s);
        int i = p % l.size();
        l.add(i, l.get(i));
        return String.join("\n", l);
    }
}
