package io.edgesbc.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every folder under {@code sdp/golden}: parse {@code input.sdp}, rewrite with
 * {@code allocation.properties} (and {@code codecs.properties} if present) on a fresh leg, and
 * compare with {@code expected.sdp} (whose line ends are normalised to CRLF).
 *
 * <p>{@code allocation.properties}: {@code session=<addr>}, {@code media.<i>=<addr> <rtp port>
 * [<rtcp port>]}, optional {@code keepIce=true}. {@code codecs.properties}: comma separated
 * {@code allow}, {@code deny}, {@code order}.
 */
class GoldenSdpTest {

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(goldenRoot())) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void everyRequiredCaseIsPresent() throws IOException {
        assertThat(cases().toList()).contains("simple-audio-pcmu-pcma-dtmf", "audio-video",
                "session-level-c-only", "media-level-c-only", "ipv6-to-ipv4", "ipv4-to-ipv6",
                "rtcp-with-address", "rtcp-port-only", "rejected-stream-kept", "ice-removed",
                "hold-sendonly", "hold-old-style-0000", "unknown-lines-kept",
                "codec-deny-rejects-section", "codec-ordering");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rewritesAsExpected(String name) throws IOException {
        Path dir = goldenRoot().resolve(name);
        SessionDescription input = SdpParser.parse(Files.readAllBytes(dir.resolve("input.sdp")));
        Properties alloc = load(dir.resolve("allocation.properties"));
        Path codecsFile = dir.resolve("codecs.properties");
        CodecPolicy policy = Files.exists(codecsFile) ? policy(load(codecsFile)) : CodecPolicy.allowAll();
        SdpRewriter rewriter = new SdpRewriter(
                new SdpRewriter.Options(Boolean.parseBoolean(alloc.getProperty("keepIce", "false")), policy));

        SdpRewriter.Result result = rewriter.rewrite(input, allocation(alloc), LegSdpState.initial());

        String expected = toCrlf(Files.readString(dir.resolve("expected.sdp"), StandardCharsets.UTF_8));
        assertThat(result.description().toString()).isEqualTo(expected);
        // the written result parses back to the same model
        assertThat(SdpParser.parse(result.description().toString())).isEqualTo(result.description());
        // a repeat of the same offer on the same leg keeps the version (RFC 3264 §8)
        SdpRewriter.Result again = rewriter.rewrite(input, allocation(alloc), result.state());
        assertThat(again.description().toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inputRoundTripsThroughTheWriter(String name) throws IOException {
        String input = Files.readString(goldenRoot().resolve(name).resolve("input.sdp"), StandardCharsets.UTF_8);
        assertThat(SdpParser.parse(input).toString()).isEqualTo(toCrlf(input));
    }

    private static RelayAllocation allocation(Properties p) throws IOException {
        RelayAllocation.Builder b = RelayAllocation.builder(InetAddress.getByName(p.getProperty("session").trim()));
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("media.")) {
                continue;
            }
            int index = Integer.parseInt(key.substring("media.".length()));
            String[] v = p.getProperty(key).trim().split(" +");
            InetAddress addr = InetAddress.getByName(v[0]);
            if (v.length == 2) {
                b.media(index, addr, Integer.parseInt(v[1]));
            } else {
                b.media(index, addr, Integer.parseInt(v[1]), Integer.parseInt(v[2]));
            }
        }
        return b.build();
    }

    private static CodecPolicy policy(Properties p) {
        return new CodecPolicy(Set.copyOf(list(p, "allow")), Set.copyOf(list(p, "deny")), list(p, "order"));
    }

    private static List<String> list(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        List<String> out = new ArrayList<>();
        if (!v.isEmpty()) {
            Arrays.stream(v.split(",")).map(String::trim).forEach(out::add);
        }
        return out;
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static String toCrlf(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    private static Path goldenRoot() {
        URL url = GoldenSdpTest.class.getResource("/sdp/golden");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
