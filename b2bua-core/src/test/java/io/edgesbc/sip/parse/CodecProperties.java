package io.edgesbc.sip.parse;

import static io.edgesbc.sip.parse.SampleMessages.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.sip.message.HeaderName;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipUri;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the codec: no input makes it throw, and what it writes it reads back equal.
 * Seeds are the sample messages plus every RFC 4475/5118 vector under src/test/resources.
 */
class CodecProperties {

    private static final SipParser PARSER = new SipParser();
    private static final List<byte[]> SEEDS = seeds();

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(crlf(SampleMessages.INVITE));
        seeds.add(crlf(SampleMessages.OK_200));
        Path torture = Path.of("src/test/resources/torture");
        if (Files.isDirectory(torture)) {
            try (Stream<Path> files = Files.walk(torture)) {
                files.filter(p -> p.toString().endsWith(".dat")).sorted().forEach(p -> {
                    try {
                        seeds.add(Files.readAllBytes(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return seeds;
    }

    @Property(tries = 3000)
    void randomMutationsYieldAResultNeverAnException(@ForAll("mutations") byte[] input) {
        ParseResult result = PARSER.parseDatagram(input);
        assertThat(result).isNotNull();
        if (result instanceof ParseResult.Parsed parsed) {
            SipMessage m = parsed.message();
            // Whatever was accepted is written back and read again as the same message.
            ParseResult again = PARSER.parseDatagram(SipWriter.toBytes(m));
            assertThat(again).isInstanceOfSatisfying(ParseResult.Parsed.class,
                    p -> assertThat(p.message()).isEqualTo(m));
            // An edited copy is written in canonical form and also reads back equal.
            SipMessage edited = m.toBuilder().add("X-Edge", "1").build();
            ParseResult canonical = PARSER.parseDatagram(SipWriter.toBytes(edited));
            assertThat(canonical).isInstanceOfSatisfying(ParseResult.Parsed.class,
                    p -> assertThat(p.message()).isEqualTo(edited));
        } else if (result instanceof ParseResult.Invalid invalid) {
            assertThat(invalid.reason()).isNotBlank();
            assertThat(invalid.offset()).isBetween(0, input.length);
        }
    }

    /**
     * The writer's shortcuts (values copied from the received bytes, lines received in canonical
     * form copied whole, in blocks) give exactly the bytes of the canonical form written field by
     * field: the start line, each known header as "Long-Name: " and its unfolded value in UTF-8,
     * each untouched unknown header as received, the empty line, the body.
     */
    @Property(tries = 3000)
    void editedMessagesAreWrittenExactlyInCanonicalForm(@ForAll("mutations") byte[] input) {
        if (!(PARSER.parseDatagram(input) instanceof ParseResult.Parsed parsed)) {
            return;
        }
        SipMessage m = parsed.message();
        for (SipMessage edited : List.of(m.toBuilder().add("X-Edge", "1").build(),
                m.toBuilder().set(HeaderName.MAX_FORWARDS, "69").removeFirst(HeaderName.VIA).build(),
                m.toBuilder().addFirst(HeaderName.VIA, "SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-1-x;rport")
                        .set(HeaderName.CONTACT, "<sip:198.51.100.1>").addFirst(HeaderName.CSEQ, "2 BYE")
                        .remove(HeaderName.CSEQ).build())) {
            assertThat(new String(SipWriter.toBytes(edited), StandardCharsets.ISO_8859_1))
                    .isEqualTo(new String(fieldByField(edited), StandardCharsets.ISO_8859_1));
        }
    }

    /** The canonical form the slow way, as the reference for the writer. */
    private static byte[] fieldByField(SipMessage m) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(m.startLine().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {'\r', '\n'});
        for (int i = 0; i < m.headers().size(); i++) {
            HeaderName name = m.headers().name(i);
            if (!name.isKnown() && m.headers().hasSourceLine(i)) {
                byte[] line = new byte[m.headers().sourceLineLength(i)];
                m.headers().copySourceLine(i, line, 0);
                out.writeBytes(line);
            } else {
                out.writeBytes((name.canonical() + ": " + m.headers().value(i)).getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(new byte[] {'\r', '\n'});
        out.writeBytes(m.body());
        return out.toByteArray();
    }

    @Property(tries = 500)
    void streamFramingAgreesWithDatagramParsingForAnyChunking(@ForAll("seedIndex") int seed,
                                                              @ForAll long chunkSeed) {
        byte[] message = SEEDS.get(seed);
        ParseResult datagram = PARSER.parseDatagram(message);
        if (!(datagram instanceof ParseResult.Parsed parsed) || parsed.message().contentLength() < 0) {
            return; // streams need a framed, valid message
        }
        // Streams need the empty line; vectors published without it are written canonically.
        String text = new String(SipWriter.toBytes(parsed.message()), StandardCharsets.ISO_8859_1);
        SipMessage expected = text.contains("\n\n") || text.contains("\n\r\n")
                ? parsed.message() : parsed.message().toBuilder().add("X-Framed", "1").build();
        byte[] wire = SipWriter.toBytes(expected);
        List<ParseResult> out = new ArrayList<>();
        StreamFramer framer = new StreamFramer(PARSER);
        ByteBuf cumulation = Unpooled.buffer();
        try {
            Random random = new Random(chunkSeed);
            int at = 0;
            while (at < wire.length) {
                int n = Math.min(wire.length - at, 1 + random.nextInt(64));
                cumulation.writeBytes(wire, at, n);
                at += n;
                framer.decode(cumulation, new StreamFramer.Listener() {
                    @Override
                    public void onMessage(ParseResult result) {
                        out.add(result);
                    }

                    @Override
                    public void onFramingError(ParseResult.Invalid error) {
                        out.add(error);
                    }
                });
                cumulation.discardReadBytes();
            }
        } finally {
            cumulation.release();
        }
        assertThat(out).singleElement().isInstanceOfSatisfying(ParseResult.Parsed.class,
                p -> assertThat(p.message()).isEqualTo(expected));
    }

    @Property(tries = 1000)
    void builtMessagesSurviveAWriteAndARead(@ForAll("builtMessages") SipMessage m) {
        byte[] wire = SipWriter.toBytes(m);
        ParseResult result = PARSER.parseDatagram(wire);
        assertThat(result).isInstanceOfSatisfying(ParseResult.Parsed.class, p -> {
            assertThat(p.message()).isEqualTo(m);
            assertThat(SipWriter.toBytes(p.message())).isEqualTo(wire);
        });
    }

    @Provide
    Arbitrary<Integer> seedIndex() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1);
    }

    @Provide
    Arbitrary<byte[]> mutations() {
        return Combinators.combine(seedIndex(), Arbitraries.longs(), Arbitraries.integers().between(1, 8))
                .as((seed, randomSeed, count) -> mutate(SEEDS.get(seed), new Random(randomSeed), count));
    }

    private static final byte[][] INTERESTING = {
        {'\r', '\n'}, {'\r', '\n', '\r', '\n'}, {':'}, {';'}, {','}, {'<'}, {'>'}, {'"'}, {'\\'}, {' '}, {'\t'},
        {'%'}, {'['}, {']'}, {'@'}, {0}, {(byte) 0xff}, {(byte) 0xc3}, "SIP/2.0".getBytes(StandardCharsets.US_ASCII),
        "Content-Length: 99999999999999999999".getBytes(StandardCharsets.US_ASCII), {'-', '1'},
    };

    static byte[] mutate(byte[] input, Random random, int count) {
        byte[] out = input.clone();
        for (int k = 0; k < count; k++) {
            int at = out.length == 0 ? 0 : random.nextInt(out.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (out.length > 0) {
                        out[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> out = splice(out, at, 0, INTERESTING[random.nextInt(INTERESTING.length)]);
                case 2 -> out = splice(out, at, Math.min(out.length - at, 1 + random.nextInt(20)), new byte[0]);
                case 3 -> out = java.util.Arrays.copyOf(out, at);
                case 4 -> {
                    int len = Math.min(out.length - at, 1 + random.nextInt(40));
                    out = splice(out, random.nextInt(out.length + 1), 0, java.util.Arrays.copyOfRange(out, at, at + len));
                }
                default -> {
                    if (out.length > 0) {
                        out[at] = (byte) Character.toUpperCase((char) out[at]);
                    }
                }
            }
        }
        return out;
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
        return out;
    }

    @Provide
    Arbitrary<SipMessage> builtMessages() {
        Arbitrary<String> token = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-.!*_+`'~")
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> users = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-_.!~*'")
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> text = Arbitraries.strings().withChars("abc XYZ019;=,:<>\"/@é漢")
                .ofMinLength(0).ofMaxLength(30).map(String::strip);
        Arbitrary<List<String[]>> extra = Combinators.combine(
                        Arbitraries.of("X-Trace", "Subject", "User-Agent", "X-Empty", "Organization", "P-Charge-Info"),
                        text)
                .as((n, v) -> new String[] {n, v}).list().ofMaxSize(6);
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Combinators.combine(users, token, Arbitraries.integers().between(0, 2_000_000_000), extra, body,
                        Arbitraries.integers().between(100, 699), Arbitraries.of(true, false))
                .as((user, tag, cseq, headers, bytes, status, request) -> {
                    SipMessage.Builder<?, ?> b = request
                            ? SipRequest.builder("INVITE", SipUri.parse("sip:" + user + "@example.com"))
                            : SipResponse.builder(status, "Reason " + tag);
                    b.add(HeaderName.VIA, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK" + tag)
                            .add(HeaderName.FROM, "<sip:" + user + "@example.com>;tag=" + tag)
                            .add(HeaderName.TO, "<sip:bob@example.net>")
                            .add(HeaderName.CALL_ID, tag + "@host")
                            .add(HeaderName.CSEQ, cseq + " INVITE")
                            .add(HeaderName.MAX_FORWARDS, "70");
                    for (String[] h : headers) {
                        if (!h[1].isEmpty()) {
                            b.add(h[0], h[1]);
                        }
                    }
                    if (bytes.length > 0) {
                        b.body("application/octet-stream", bytes);
                    }
                    return b.build();
                });
    }
}
