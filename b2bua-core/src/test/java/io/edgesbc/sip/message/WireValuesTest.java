package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * What {@link WireValues} recognises in bytes is what the String parsers accept, with the same
 * result; everything else it leaves to them (null). Seeds are everyday values and awkward ones,
 * mutated at random.
 */
class WireValuesTest {

    private static final List<String> URIS = List.of(
            "sip:+4930123456@sbc.example.net;user=phone",
            "sips:alice@atlanta.com:5061;transport=tls;lr",
            "sip:192.0.2.10:5060",
            "sip:bob@biloxi.example.com",
            "sip:user;x=y@host;method=INVITE",
            "sip:host.example.com.;maddr=192.0.2.1;ttl=5",
            "sip:a%40b@host",
            "SIP:bob@host",
            "sip:[2001:db8::1]:5060",
            "sip:bob:secret@host",
            "sip:bob@host?subject=hi",
            "tel:+4930123456");

    private static final List<String> NAME_ADDRS = List.of(
            "\"Alice\" <sip:+4940987654@carrier.example.com;user=phone>;tag=1928301774",
            "<sip:+4930123456@sbc.example.net;user=phone>",
            "<sip:bob@biloxi.example.com>;tag=a6c85cf;x;Tag2=y",
            "\"\" <sip:anon@anonymous.invalid>",
            "\"A \\\"q\\\"\" <sip:a@host>",
            "Bob <sip:bob@host>",
            "sip:bob@host;tag=1",
            "<sip:bob@host> ;tag=1",
            "<sip:bob@host>;tag=\"q\"",
            "<sip:bob@host>;tag=1;TAG=2",
            "\"Zoe\"<sip:zoe@192.0.2.1:5060;transport=udp>;tag=zz");

    private static final List<String> VIAS = List.of(
            "SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport",
            "SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1;rport=5060",
            "SIP/2.0/UDP host;branch=a;ttl=16;maddr=224.2.0.1",
            "SIP/2.0/UDP host:5060;received=[2001:db8::9]",
            "SIP / 2.0 / UDP host ; branch = x",
            "SIP/2.0/UDP  host;branch=x",
            "SIP/2.0/UDP host;branch=x, SIP/2.0/UDP other;branch=y",
            "SIP/2.0/UDP host;rport=99999;branch=x",
            "SIP/2.0/UDP host;branch=x;BRANCH=y",
            "SIP/2.0/UDP [2001:db8::1]:5060;branch=x");

    private static final String ALPHABET = " \t;=:@%<>\"[],.?-_!~*'()&+$/\\aAzZ09sipSIP\u00e9\u007f";

    private static String mutate(String seed, long randomSeed, int edits) {
        Random random = new Random(randomSeed);
        StringBuilder b = new StringBuilder(seed);
        for (int k = 0; k < edits && b.length() > 0; k++) {
            int at = random.nextInt(b.length());
            char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            switch (random.nextInt(4)) {
                case 0 -> b.setCharAt(at, c);
                case 1 -> b.insert(at, c);
                case 2 -> b.deleteCharAt(at);
                default -> b.setCharAt(at, Character.toUpperCase(b.charAt(at)));
            }
        }
        return b.toString().strip();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> uris() {
        return mutations(URIS);
    }

    @Provide
    Arbitrary<String> nameAddrs() {
        return mutations(NAME_ADDRS);
    }

    @Provide
    Arbitrary<String> vias() {
        return mutations(VIAS);
    }

    private static Arbitrary<String> mutations(List<String> seeds) {
        return Combinators.combine(Arbitraries.of(seeds), Arbitraries.longs(), Arbitraries.integers().between(0, 4))
                .as(WireValuesTest::mutate);
    }

    @Property(tries = 4000)
    void aRecognisedUriIsWhatTheStringParserReads(@ForAll("uris") String value) {
        byte[] b = bytes(value);
        SipUri wire = new WireValues().sipUri(b, 0, b.length);
        if (wire == null) {
            return;
        }
        Uri parsed = Uri.parse(value);
        assertThat(parsed).isInstanceOf(SipUri.class);
        SipUri sip = (SipUri) parsed;
        assertThat(wire.toString()).isEqualTo(value);
        assertThat(wire).isEqualTo(sip);
        assertThat(wire.secure()).isEqualTo(sip.secure());
        assertThat(wire.user()).isEqualTo(sip.user());
        assertThat(wire.rawUser()).isEqualTo(sip.rawUser());
        assertThat(wire.password()).isEqualTo(sip.password());
        assertThat(wire.host()).isEqualTo(sip.host());
        assertThat(wire.port()).isEqualTo(sip.port());
        assertThat(wire.parameters()).containsExactlyEntriesOf(sip.parameters());
        assertThat(wire.headers()).isEqualTo(sip.headers());
    }

    @Property(tries = 4000)
    void aRecognisedNameAddrIsWhatTheStringParserReads(@ForAll("nameAddrs") String value) {
        byte[] b = bytes(value);
        NameAddr wire = new WireValues().nameAddr(b, 0, b.length);
        if (wire == null) {
            return;
        }
        NameAddr parsed = NameAddr.parse(value);
        assertThat(wire.toString()).isEqualTo(value);
        assertThat(wire).isEqualTo(parsed);
        assertThat(wire.tag()).isEqualTo(parsed.tag());
        assertThat(wire.displayName()).isEqualTo(parsed.displayName());
        assertThat(wire.uri()).isEqualTo(parsed.uri());
        assertThat(wire.uri().toString()).isEqualTo(parsed.uri().toString());
        assertThat(wire.parameters()).containsExactlyEntriesOf(parsed.parameters());
    }

    @Property(tries = 4000)
    void aRecognisedViaIsWhatTheStringParserReads(@ForAll("vias") String value) {
        byte[] b = bytes(value);
        Via wire = new WireValues().via(b, 0, b.length);
        if (wire == null) {
            return;
        }
        Via parsed = Via.parse(value);
        assertThat(Via.parseList(value)).hasSize(1);
        assertThat(wire.toString()).isEqualTo(value);
        assertThat(wire).isEqualTo(parsed);
        assertThat(wire.branch()).isEqualTo(parsed.branch());
        assertThat(wire.protocolName()).isEqualTo(parsed.protocolName());
        assertThat(wire.protocolVersion()).isEqualTo(parsed.protocolVersion());
        assertThat(wire.transport()).isEqualTo(parsed.transport());
        assertThat(wire.host()).isEqualTo(parsed.host());
        assertThat(wire.port()).isEqualTo(parsed.port());
        assertThat(wire.parameters()).containsExactlyEntriesOf(parsed.parameters());
    }

    @Test
    void everydayValuesAreRecognised() {
        WireValues w = new WireValues();
        for (String uri : URIS.subList(0, 5)) {
            assertThat(w.sipUri(bytes(uri), 0, bytes(uri).length)).as(uri).isNotNull();
        }
        for (String nameAddr : NAME_ADDRS.subList(0, 4)) {
            assertThat(w.nameAddr(bytes(nameAddr), 0, bytes(nameAddr).length)).as(nameAddr).isNotNull();
        }
        for (String via : VIAS.subList(0, 2)) {
            assertThat(w.via(bytes(via), 0, bytes(via).length)).as(via).isNotNull();
        }
    }

    @Test
    void unusualFormsAreLeftToTheStringParsers() {
        WireValues w = new WireValues();
        for (String uri : URIS.subList(5, URIS.size())) {
            assertThat(w.sipUri(bytes(uri), 0, bytes(uri).length)).as(uri).isNull();
        }
        for (String nameAddr : NAME_ADDRS.subList(4, NAME_ADDRS.size() - 1)) {
            assertThat(w.nameAddr(bytes(nameAddr), 0, bytes(nameAddr).length)).as(nameAddr).isNull();
        }
        for (String via : VIAS.subList(2, VIAS.size())) {
            assertThat(w.via(bytes(via), 0, bytes(via).length)).as(via).isNull();
        }
    }

    @Test
    void aValueInsideALargerBufferKeepsItsOwnOffsets() {
        String value = "\"Alice\" <sip:alice@atlanta.com;transport=udp>;tag=88";
        byte[] b = bytes("From: " + value + "\r\n");
        NameAddr wire = new WireValues().nameAddr(b, 6, 6 + value.length());
        assertThat(wire.toString()).isEqualTo(value);
        assertThat(wire.uri().toString()).isEqualTo("sip:alice@atlanta.com;transport=udp");
        assertThat(wire.displayName()).isEqualTo("Alice");
        assertThatCode(() -> wire.parameters()).doesNotThrowAnyException();
        assertThat(wire.tag()).isEqualTo("88");
    }
}
