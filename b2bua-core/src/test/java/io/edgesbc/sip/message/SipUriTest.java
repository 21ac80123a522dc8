package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriTest {

    @Test
    void parsesAllComponents() {
        SipUri u = SipUri.parse("sips:Alice:secr%65t@Atlanta.COM:5061;Transport=TCP;lr;maddr=239.255.255.1?Subject=project%20x&Priority=urgent");
        assertThat(u.secure()).isTrue();
        assertThat(u.scheme()).isEqualTo("sips");
        assertThat(u.user()).isEqualTo("Alice");
        assertThat(u.password()).isEqualTo("secret");
        assertThat(u.host()).isEqualTo("atlanta.com");
        assertThat(u.port()).isEqualTo(5061);
        assertThat(u.parameters()).containsExactly(
                entry("transport", "TCP"), entry("lr", null), entry("maddr", "239.255.255.1"));
        assertThat(u.transport()).isEqualTo("tcp");
        assertThat(u.parameter("TRANSPORT")).isEqualTo("TCP");
        assertThat(u.looseRouting()).isTrue();
        assertThat(u.headers()).containsExactly(entry("Subject", "project x"), entry("Priority", "urgent"));
    }

    @Test
    void minimalUriHasNoUserNoPortNoParams() {
        SipUri u = SipUri.parse("sip:example.com");
        assertThat(u.user()).isNull();
        assertThat(u.rawUser()).isNull();
        assertThat(u.password()).isNull();
        assertThat(u.port()).isEqualTo(-1);
        assertThat(u.parameters()).isEmpty();
        assertThat(u.headers()).isEmpty();
        assertThat(u.transport()).isNull();
        assertThat(u.looseRouting()).isFalse();
    }

    @Test
    void rfc4475SemicolonInUserPart() {
        // RFC 4475 §3.1.1.9
        SipUri u = SipUri.parse("sip:user;par=u%40example.net@example.com");
        assertThat(u.rawUser()).isEqualTo("user;par=u%40example.net");
        assertThat(u.user()).isEqualTo("user;par=u@example.net");
        assertThat(u.host()).isEqualTo("example.com");
        assertThat(u.parameters()).isEmpty();
    }

    @Test
    void rfc4475EscapedContactParameters() {
        // RFC 4475 §3.1.1.3: escaped "lr" and escaped name/value
        SipUri u = SipUri.parse("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
        assertThat(u.user()).isEqualTo("caller");
        assertThat(u.looseRouting()).isTrue();
        assertThat(u.parameter("name")).isEqualTo("value%41");
        assertThat(SipUri.parse("sip:sips%3Auser%40example.com@example.net").user()).isEqualTo("sips:user@example.com");
    }

    @Test
    void rfc4475EscapedNulls() {
        // RFC 4475 §3.1.1.4
        assertThat(SipUri.parse("sip:null-%00-null@example.com").user()).isEqualTo("null-\0-null");
        assertThat(SipUri.parse("sip:%00%00@host5.example.com").user()).isEqualTo("\0\0");
    }

    @Test
    void rfc4475WideRangeOfCharacters() {
        // RFC 4475 §3.1.1.2 Request-URI
        String text = "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com";
        SipUri u = SipUri.parse(text);
        assertThat(u.user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        assertThat(u.password()).isEqualTo("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
        assertThat(u.host()).isEqualTo("example.com");
        assertThat(u.toString()).isEqualTo(text);
    }

    @Test
    void rfc5118Ipv6References() {
        SipUri good = SipUri.parse("sip:[2001:db8::10]");
        assertThat(good.host()).isEqualTo("[2001:db8::10]");
        assertThat(good.port()).isEqualTo(-1);
        // §4.3: the last group is part of the address, not a port
        SipUri ambiguous = SipUri.parse("sip:[2001:db8::10:5070]");
        assertThat(ambiguous.host()).isEqualTo("[2001:db8::10:5070]");
        assertThat(ambiguous.port()).isEqualTo(-1);
        SipUri withPort = SipUri.parse("sip:user@[2001:DB8::10]:5070");
        assertThat(withPort.host()).isEqualTo("[2001:db8::10]");
        assertThat(withPort.port()).isEqualTo(5070);
        // §4.9 IPv4-mapped
        assertThat(SipUri.parse("sip:[::ffff:192.0.2.10]").host()).isEqualTo("[::ffff:192.0.2.10]");
        assertThat(SipUri.parse("sip:[::1]").host()).isEqualTo("[::1]");
        assertThat(SipUri.parse("sip:[1:2:3:4:5:6:7:8]").host()).isEqualTo("[1:2:3:4:5:6:7:8]");
        assertThat(SipUri.parse("sip:a@[2001:db8::1];maddr=[2001:db8::2]").parameter("maddr")).isEqualTo("[2001:db8::2]");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:user@2001:db8::10",            // RFC 5118 §4.2: IPv6 without brackets
        "sip:[2001:db8::10",                // unterminated reference
        "sip:[2001:db8::10]:",              // empty port
        "sip:[2001:db8::10]:abc",
        "sip:[2001:db8::10]x",
        "sip:[2001:db8:::10]",
        "sip:[1:2:3:4:5:6:7:8:9]",
        "sip:[1:2:3:4:5:6:7]",
        "sip:[12345::1]",
        "sip:[::1.2.3.256]",
        "sip:[2001:db8::10::1]",
        "sip:example.com:5060abc",
        "sip:example.com:abc",
        "sip:example.com:65536",
        "sip:example.com:99999999999999999999999",
        "sip:example.com:",
        "sip:",
        "sip:@example.com",
        "sip:user@",
        "sip:us er@example.com",
        "sip:user@example.com; lr",          // RFC 4475 §3.1.2.8 embedded LWS
        "sip:user@exa_mple.com",
        "sip:user@-example.com",
        "sip:user@example-.com",
        "sip:user@example..com",
        "sip:user@123",
        "sip:user@1.2.3.256",
        "sip:a@b@c",
        "sip:user@example.com;",
        "sip:user@example.com;=x",
        "sip:user@example.com;a=",
        "sip:user@example.com;ttl=256",
        "sip:user@example.com;ttl=abc",
        "sip:user@example.com;maddr=bad_host",
        "sip:user@example.com;transport",
        "sip:user@example.com;lr;lr",
        "sip:user@example.com?",
        "sip:user@example.com?=x",
        "sip:user@example.com?a",
        "sip:user%4@example.com",
        "sip:user%zz@example.com",
        "sip:user@example.com;a=%2",
        "sip:us\"er@example.com",
        "sip:user:pa:ss@example.com",
        "sip:user@example.com>",
        "tel:+1234",
        "sip",
        "sip//example.com",
        "",
    })
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> SipUri.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> SipUri.parse(null)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void reportsOffsetOfTheProblem() {
        assertThatThrownBy(() -> SipUri.parse("sip:example.com:5060abc"))
                .isInstanceOfSatisfying(SipSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(20));
        assertThatThrownBy(() -> SipUri.parse("sip:user@example.com:70000"))
                .isInstanceOfSatisfying(SipSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(21));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "sip:alice@atlanta.com",
        "SIP:ALICE@AtLanTa.CoM;Transport=udp",
        "sip:%61lice@atlanta.com;transport=TCP",
        "sip:[2001:DB8::10]:5070;lr",
        "sip:user;par=u%40example.net@example.com",
        "sips:a:b@host.example.com.:1;x=%5B?h=%20v&g=",
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
    })
    void toStringOfParsedIsByteExact(String text) {
        assertThat(SipUri.parse(text).toString()).isEqualTo(text);
        assertThat(Uri.parse(text)).isInstanceOf(SipUri.class).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // RFC 3261 §19.1.4 equivalent pairs
        "sip:%61lice@atlanta.com;transport=TCP | sip:alice@AtLanTa.CoM;Transport=tcp",
        "sip:carol@chicago.com | sip:carol@chicago.com;newparam=5",
        "sip:carol@chicago.com;security=on | sip:carol@chicago.com;newparam=5",
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com | sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
        "sip:alice@atlanta.com?subject=project%20x&priority=urgent | sip:alice@atlanta.com?priority=urgent&subject=project%20x",
        // RFC 5954 §4.2: IPv6 compared as addresses
        "sip:[2001:db8::10] | sip:[2001:0db8:0:0:0:0:0:0010]",
    })
    void equivalent(String a, String b) {
        assertThat(SipUri.parse(a).equivalentTo(SipUri.parse(b))).isTrue();
        assertThat(SipUri.parse(b).equivalentTo(SipUri.parse(a))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // RFC 3261 §19.1.4 non-equivalent pairs
        "SIP:ALICE@AtLanTa.CoM;Transport=udp | sip:alice@AtLanTa.CoM;Transport=UDP",
        "sip:bob@biloxi.com | sip:bob@biloxi.com:5060",
        "sip:bob@biloxi.com | sip:bob@biloxi.com;transport=udp",
        "sip:bob@biloxi.com | sip:bob@biloxi.com:6000;transport=tcp",
        "sip:carol@chicago.com | sip:carol@chicago.com?Subject=next%20meeting",
        "sip:bob@phone21.boxesbybob.example.com | sip:bob@192.0.2.4",
        "sip:bob@biloxi.com | sips:bob@biloxi.com",
        "sip:bob@biloxi.com;maddr=1.2.3.4 | sip:bob@biloxi.com",
        "sip:bob@biloxi.com;x=1 | sip:bob@biloxi.com;x=2",
        "sip:a%3Bb@biloxi.com | sip:a;b@biloxi.com",
        "sip:bob:x@biloxi.com | sip:bob@biloxi.com",
    })
    void notEquivalent(String a, String b) {
        assertThat(SipUri.parse(a).equivalentTo(SipUri.parse(b))).isFalse();
        assertThat(SipUri.parse(b).equivalentTo(SipUri.parse(a))).isFalse();
    }

    @Test
    void builderEscapesWhatTheGrammarDoesNotAllow() {
        SipUri u = SipUri.builder().user("I have spaces@x:y").password("p@ss word").host("Example.COM").port(5070)
                .param("transport", "tcp").param("lr", null).param("n", "a b;c").header("Subject", "hi there&more")
                .build();
        assertThat(u).hasToString(
                "sip:I%20have%20spaces%40x%3Ay:p%40ss%20word@example.com:5070;transport=tcp;lr;n=a%20b%3Bc?Subject=hi%20there%26more");
        SipUri back = SipUri.parse(u.toString());
        assertThat(back).isEqualTo(u);
        assertThat(back.user()).isEqualTo("I have spaces@x:y");
    }

    @Test
    void builderKeepsAllowedUserCharactersAndBracketsIpv6() {
        SipUri u = SipUri.builder().user("+1;phone-context=x").host("2001:DB8::1").build();
        assertThat(u).hasToString("sip:+1;phone-context=x@[2001:db8::1]");
        assertThat(SipUri.parse(u.toString()).user()).isEqualTo("+1;phone-context=x");
    }

    @Test
    void toBuilderEditsAndUnchangedBuildKeepsText() {
        SipUri u = SipUri.parse("sip:Bob@Biloxi.com;LR");
        assertThat(u.toBuilder().build()).isSameAs(u);
        SipUri edited = u.toBuilder().removeParam("lr").port(5080).param("transport", "udp").build();
        assertThat(edited).hasToString("sip:Bob@biloxi.com:5080;transport=udp");
        assertThat(u).hasToString("sip:Bob@Biloxi.com;LR");
        assertThat(u.toBuilder().secure(true).build()).hasToString("sips:Bob@biloxi.com;lr");
    }

    @Test
    void builderRejectsBadInput() {
        assertThatThrownBy(() -> SipUri.builder().build()).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> SipUri.builder().host("bad host")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> SipUri.builder().port(70000)).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> SipUri.builder().param("ttl", "300")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> SipUri.builder().param("", "x")).isInstanceOf(SipSyntaxException.class);
    }

    @Property(tries = 300)
    void builtUrisSurviveToStringAndParse(@ForAll("builtUris") SipUri built) {
        SipUri parsed = SipUri.parse(built.toString());
        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.user()).isEqualTo(built.user());
        assertThat(parsed.password()).isEqualTo(built.password());
        assertThat(parsed.host()).isEqualTo(built.host());
        assertThat(parsed.port()).isEqualTo(built.port());
        assertThat(parsed.parameters()).containsExactlyEntriesOf(built.parameters());
        assertThat(parsed.headers()).containsExactlyEntriesOf(built.headers());
        assertThat(parsed.toString()).isEqualTo(built.toString());
        assertThat(parsed.equivalentTo(built)).isTrue();
    }

    @Provide
    Arbitrary<SipUri> builtUris() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("é€\0\t").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> host = Arbitraries.of("example.com", "a.b-c.example.", "192.0.2.1", "[2001:db8::1]", "[::ffff:1.2.3.4]", "x9");
        Arbitrary<Integer> port = Arbitraries.integers().between(-1, 65535);
        Arbitrary<String> pname = Arbitraries.strings().withCharRange('a', 'z').withChars("-%;= ").ofMinLength(1).ofMaxLength(6)
                .filter(n -> !n.equals("ttl") && !n.equals("maddr"));
        return Combinators.combine(Arbitraries.of(true, false), text.injectNull(0.3), text.injectNull(0.5), host, port,
                pname.list().ofMaxSize(3), text.injectNull(0.3).list().ofSize(3), text.list().ofMaxSize(2))
                .as((secure, user, password, h, p, names, values, hvals) -> {
                    SipUri.Builder b = SipUri.builder().secure(secure).user(user).password(password).host(h).port(p);
                    for (int i = 0; i < names.size(); i++) {
                        b.param(names.get(i), values.get(i) == null || values.get(i).isEmpty() ? null : values.get(i));
                    }
                    for (int i = 0; i < hvals.size(); i++) {
                        b.header("H" + i, hvals.get(i));
                    }
                    return b.build();
                });
    }
}
