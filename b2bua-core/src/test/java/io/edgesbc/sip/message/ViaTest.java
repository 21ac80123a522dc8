package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ViaTest {

    @Test
    void parsesAllParts() {
        Via v = Via.parse("SIP/2.0/udp PC33.Atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5067;ttl=16;maddr=224.2.0.1;x");
        assertThat(v.protocolName()).isEqualTo("SIP");
        assertThat(v.protocolVersion()).isEqualTo("2.0");
        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("pc33.atlanta.com");
        assertThat(v.port()).isEqualTo(5066);
        assertThat(v.branch()).isEqualTo("z9hG4bK776asdhds");
        assertThat(v.hasMagicCookie()).isTrue();
        assertThat(v.received()).isEqualTo("192.0.2.1");
        assertThat(v.hasRport()).isTrue();
        assertThat(v.rport()).isEqualTo(5067);
        assertThat(v.ttl()).isEqualTo(16);
        assertThat(v.maddr()).isEqualTo("224.2.0.1");
        assertThat(v.parameters()).containsKey("x").containsEntry("x", null);
    }

    @Test
    void absentParts() {
        Via v = Via.parse("SIP/2.0/TCP example.com");
        assertThat(v.port()).isEqualTo(-1);
        assertThat(v.branch()).isNull();
        assertThat(v.hasMagicCookie()).isFalse();
        assertThat(v.received()).isNull();
        assertThat(v.maddr()).isNull();
        assertThat(v.ttl()).isEqualTo(-1);
        assertThat(v.hasRport()).isFalse();
        assertThat(v.rport()).isEqualTo(-1);
        Via flag = Via.parse("SIP/2.0/UDP example.com;rport;branch=1");
        assertThat(flag.hasRport()).isTrue();
        assertThat(flag.rport()).isEqualTo(-1);
        assertThat(flag.hasMagicCookie()).isFalse();
    }

    @Test
    void rfc4475TortuousVia() {
        Via v = Via.parse("SIP  /   2.0 /UDP     192.0.2.2;branch=390skdjuw");
        assertThat(v.transport()).isEqualTo("UDP");
        assertThat(v.host()).isEqualTo("192.0.2.2");
        assertThat(v.branch()).isEqualTo("390skdjuw");
        List<Via> list = Via.parseList("SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8  , "
                + "SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).transport()).isEqualTo("TCP");
        assertThat(list.get(0).host()).isEqualTo("spindle.example.com");
        assertThat(list.get(0).branch()).isEqualTo("z9hG4bK9ikj8");
        assertThat(list.get(1).host()).isEqualTo("192.168.255.111");
        assertThat(list.get(1).branch()).isEqualTo("z9hG4bK30239");
        // RFC 4475 §3.1.1.2
        assertThat(Via.parse("SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~").branch())
                .isEqualTo("z9hG4bK-.!%66*_+`'~");
    }

    @Test
    void rfc5118Ipv6() {
        Via v = Via.parse("SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111;received=2001:db8::9:255");
        assertThat(v.host()).isEqualTo("[2001:db8::9:1]");
        assertThat(v.port()).isEqualTo(6050);
        assertThat(v.received()).isEqualTo("2001:db8::9:255");
        // §4.5: the bracketed received form is accepted too
        assertThat(Via.parse("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255]").received())
                .isEqualTo("[2001:db8::9:255]");
        assertThat(Via.parse("SIP/2.0/UDP [::ffff:192.0.2.10] : 5060").port()).isEqualTo(5060);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SIP/2.0/UDP 192.0.2.15;;",          // RFC 4475 §3.1.2.1
        "SIP/2.0/UDP",
        "SIP/2.0 example.com",
        "SIP/2.0/UDPexample.com",
        "SIP//UDP example.com",
        "SIP/2.0/UDP 2001:db8::1",
        "SIP/2.0/UDP [2001:db8::1",
        "SIP/2.0/UDP example.com:",
        "SIP/2.0/UDP example.com:70000",
        "SIP/2.0/UDP example.com:5060abc",
        "SIP/2.0/UDP example.com;branch",
        "SIP/2.0/UDP example.com;branch=\"quoted\"",
        "SIP/2.0/UDP example.com;received=example.com",
        "SIP/2.0/UDP example.com;received=1.2.3.999",
        "SIP/2.0/UDP example.com;received",
        "SIP/2.0/UDP example.com;rport=abc",
        "SIP/2.0/UDP example.com;rport=65536",
        "SIP/2.0/UDP example.com;ttl=256",
        "SIP/2.0/UDP example.com;maddr=bad_host",
        "SIP/2.0/UDP example.com;branch=1;branch=2",
        "SIP/2.0/UDP example.com x",
        "",
    })
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> Via.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void listRejectsBadElementsWithOffsetInWholeValue() {
        assertThatThrownBy(() -> Via.parseList("SIP/2.0/UDP 192.0.2.15;;,;,,")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Via.parseList(" , ")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Via.parseList("SIP/2.0/UDP a, SIP/2.0/UDP b:x"))
                .isInstanceOfSatisfying(SipSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(29));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SIP/2.0/UDP PC33.Atlanta.com:5066;branch=z9hG4bK776asdhds",
        "SIP  /   2.0 /UDP     192.0.2.2;branch=390skdjuw",
        "SIP/2.0/TLS [2001:DB8::1] ; Branch = z9hG4bKx ; rport",
    })
    void toStringOfParsedIsByteExact(String text) {
        assertThat(Via.parse(text)).hasToString(text);
    }

    @Test
    void ofAndCopies() {
        Via v = Via.of("udp", "2001:db8::1", 5060, "z9hG4bK123");
        assertThat(v).hasToString("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK123");
        assertThat(Via.of("ws", "Edge.example.com", -1, "z9hG4bKa")).hasToString("SIP/2.0/WS edge.example.com;branch=z9hG4bKa");
        Via parsed = Via.parse("SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKx");
        Via nat = parsed.withReceived("[2001:db8::5]").withRport(40000);
        assertThat(nat).hasToString("SIP/2.0/UDP 10.0.0.1;rport=40000;branch=z9hG4bKx;received=2001:db8::5");
        assertThat(nat.rport()).isEqualTo(40000);
        assertThat(parsed.withReceived("192.0.2.7").received()).isEqualTo("192.0.2.7");
        assertThat(parsed.withoutParameter("rport").hasRport()).isFalse();
        assertThat(parsed.withoutParameter("nothing")).isSameAs(parsed);
        assertThat(parsed.withParameter("alias", null)).hasToString("SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKx;alias");
        assertThat(parsed.withParameter("received", "1.2.3.4").received()).isEqualTo("1.2.3.4");
        assertThat(parsed.withRport(-1).parameters()).containsEntry("rport", null);
        assertThatThrownBy(() -> parsed.withReceived("host.example.com")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> parsed.withParameter("ttl", "999")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> parsed.withParameter("branch", null)).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Via.of("udp", "bad host", 5060, "z9hG4bK1")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Via.of("udp", "h", 70000, "z9hG4bK1")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> Via.of("udp", "h", 1, "a b")).isInstanceOf(SipSyntaxException.class);
        assertThat(parsed.parameters()).containsExactly(entry("rport", null), entry("branch", "z9hG4bKx"));
    }

    @Property(tries = 300)
    void builtViasSurviveToStringAndParse(@ForAll("built") Via built) {
        Via parsed = Via.parse(built.toString());
        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.host()).isEqualTo(built.host());
        assertThat(parsed.port()).isEqualTo(built.port());
        assertThat(parsed.transport()).isEqualTo(built.transport());
        assertThat(parsed.branch()).isEqualTo(built.branch());
        assertThat(parsed.received()).isEqualTo(built.received());
        assertThat(parsed.rport()).isEqualTo(built.rport());
        assertThat(parsed.toString()).isEqualTo(built.toString());
    }

    @Provide
    Arbitrary<Via> built() {
        Arbitrary<String> transport = Arbitraries.of("udp", "TCP", "tls", "sctp", "ws", "WSS", "x-new");
        Arbitrary<String> host = Arbitraries.of("example.com", "192.0.2.1", "2001:db8::1", "[::1]", "h-1.example.");
        Arbitrary<String> branch = Arbitraries.strings().withCharRange('a', 'z').withChars("-.!%*_+`'~0123456789")
                .ofMinLength(1).ofMaxLength(10).map(b -> "z9hG4bK" + b);
        Arbitrary<String> received = Arbitraries.of("10.0.0.1", "2001:db8::9", "[2001:db8::a]").injectNull(0.4);
        Arbitrary<Integer> rport = Arbitraries.integers().between(-2, 65535);
        return Combinators.combine(transport, host, Arbitraries.integers().between(-1, 65535), branch, received, rport)
                .as((t, h, p, b, r, rp) -> {
                    Via v = Via.of(t, h, p, b);
                    if (r != null) {
                        v = v.withReceived(r);
                    }
                    return rp < -1 ? v : v.withRport(rp);
                });
    }
}
