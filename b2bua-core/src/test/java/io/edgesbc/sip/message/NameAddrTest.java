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
import org.junit.jupiter.params.provider.ValueSource;

class NameAddrTest {

    @Test
    void quotedDisplayNameWithParams() {
        NameAddr n = NameAddr.parse("\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf");
        assertThat(n.displayName()).isEqualTo("Bob");
        assertThat(n.uri()).isEqualTo(SipUri.parse("sip:bob@biloxi.com"));
        assertThat(n.tag()).isEqualTo("a6c85cf");
        assertThat(n.parameters()).containsExactly(entry("tag", "a6c85cf"));
    }

    @Test
    void addrSpecParamsAreHeaderParams() {
        // §20.10 / §20.20: without <> the ;params belong to the header
        NameAddr n = NameAddr.parse("sip:caller@example.org;tag=33242");
        assertThat(n.displayName()).isNull();
        assertThat(((SipUri) n.uri()).parameters()).isEmpty();
        assertThat(n.uri()).hasToString("sip:caller@example.org");
        assertThat(n.tag()).isEqualTo("33242");
    }

    @Test
    void angleBracketParamsBelongToTheUri() {
        NameAddr n = NameAddr.parse("<sip:p1.example.com;lr>");
        assertThat(((SipUri) n.uri()).looseRouting()).isTrue();
        assertThat(n.parameters()).isEmpty();
    }

    @Test
    void rfc4475TortuousValues() {
        // RFC 4475 §3.1.1.1 (after unfolding)
        NameAddr to = NameAddr.parse("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n");
        assertThat(to.tag()).isEqualTo("1918181833n");
        assertThat(to.uri()).hasToString("sip:vivekg@chair-dnrc.example.com");
        NameAddr from = NameAddr.parse("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com> ; tag = 98asjd8");
        assertThat(from.displayName()).isEqualTo("J Rosenberg \\\"");
        assertThat(from.tag()).isEqualTo("98asjd8");
        NameAddr m = NameAddr.parse("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam = newvalue ;  secondparam ; q = 0.33");
        assertThat(m.displayName()).isEqualTo("Quoted string \"\"");
        assertThat(m.parameters()).containsExactly(entry("newparam", "newvalue"), entry("secondparam", null), entry("q", "0.33"));
        assertThat(m.q()).isEqualTo(0.33);
    }

    @Test
    void rfc4475TokenDisplayNamesAndOddCharacters() {
        // RFC 4475 §3.1.1.2
        NameAddr from = NameAddr.parse("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"работающий\";tag=_token~1'+`*%!-.");
        assertThat(from.displayName()).isEqualTo("token1~` token2'+_ token3*%!.-");
        assertThat(from.parameter("FROMPARAM''~+*_!.-%")).isEqualTo("\"работающий\"");
        assertThat(from.tag()).isEqualTo("_token~1'+`*%!-.");
        NameAddr to = NameAddr.parse("\"BEL:\\\u0007 NUL:\\\0 DEL:\\\u007f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>");
        assertThat(to.displayName()).isEqualTo("BEL:\u0007 NUL:\0 DEL:\u007f");
        assertThat(((SipUri) to.uri()).user()).isEqualTo("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        // §3.1.1.6: no LWS between display name and <
        assertThat(NameAddr.parse("caller<sip:caller@example.com>;tag=323").displayName()).isEqualTo("caller");
        // §3.1.1.5: '%' in a display name is no escape
        assertThat(NameAddr.parse("\"%Z%45\" <sip:resource@example.com>").displayName()).isEqualTo("%Z%45");
        // multiple spaces between tokens collapse to one
        assertThat(NameAddr.parse("Alice   Smith <sip:a@x>").displayName()).isEqualTo("Alice Smith");
    }

    @Test
    void otherSchemesAndQuotedParams() {
        NameAddr n = NameAddr.parse("<tel:+1-201-555-0123>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";expires=3600");
        assertThat(n.uri()).isInstanceOf(TelUri.class);
        assertThat(n.parameter("+sip.instance")).isEqualTo("\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"");
        assertThat(n.expires()).isEqualTo(3600);
        assertThat(n.q()).isEqualTo(-1);
        assertThat(NameAddr.parse("<urn:service:sos>").uri()).isInstanceOf(OpaqueUri.class);
        assertThat(NameAddr.parse("<sip:a@b>;received=[2001:db8::1]").parameter("received")).isEqualTo("[2001:db8::1]");
        assertThat(NameAddr.parse("\"\" <sip:a@b>").displayName()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"Mr. J. User <sip:j.user@example.com>",          // RFC 4475 §3.1.2.6 unterminated quote
        "\"Watson, Thomas\" < sip:t.watson@example.org >",  // RFC 4475 §3.1.2.14 spaces inside <>
        "Bell, Alexander <sip:a.g.bell@example.com>;tag=43", // RFC 4475 §3.1.2.15 non-token display name
        "sip:user@example.com?Route=%3Csip:sip.example.com%3E", // RFC 4475 §3.1.2.13
        "\"Joe\" <sip:joe@example.org>;;;;",                // RFC 4475 §3.1.2.1
        "<sip:a@b",
        "Bob sip:a@b",
        "\"Bob\" sip:a@b",
        "<sip:a@b> x",
        "<sip:a@b>;tag=1;tag=2",
        "<sip:a@b>;x=\"unterminated",
        "<sip:a@b>;x=a b",
        "<sip:user@2001:db8::10>",
        "<>",
        "",
        "   ",
    })
    void rejectsInvalid(String text) {
        assertThatThrownBy(() -> NameAddr.parse(text)).isInstanceOf(SipSyntaxException.class);
    }

    @Test
    void offsetPointsIntoTheWholeValue() {
        assertThatThrownBy(() -> NameAddr.parse("\"A\" <sip:a@b:99999>"))
                .isInstanceOfSatisfying(SipSyntaxException.class, e -> assertThat(e.offset()).isEqualTo(13));
    }

    @Test
    void qAndExpires() {
        assertThat(NameAddr.parse("<sip:a@b>;q=1").q()).isEqualTo(1.0);
        assertThat(NameAddr.parse("<sip:a@b>;q=0.").q()).isEqualTo(0.0);
        assertThat(NameAddr.parse("<sip:a@b>;q=1.000").q()).isEqualTo(1.0);
        assertThat(NameAddr.parse("<sip:a@b>;q=0.125").q()).isEqualTo(0.125);
        for (String bad : new String[] {"1.5", "0.1234", "2", "abc", ".5", "1.001"}) {
            assertThatThrownBy(() -> NameAddr.parse("<sip:a@b>;q=" + bad).q()).isInstanceOf(SipSyntaxException.class);
        }
        assertThatThrownBy(() -> NameAddr.parse("<sip:a@b>;q").q()).isInstanceOf(SipSyntaxException.class);
        // RFC 4475 §3.1.2.4: overlarge expires clamps to 2^32-1
        assertThat(NameAddr.parse("<sip:user@host129.example.com>;expires=280297596632815").expires())
                .isEqualTo(4294967295L);
        assertThatThrownBy(() -> NameAddr.parse("<sip:a@b>;expires=soon").expires()).isInstanceOf(SipSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf",
        "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n",
        "caller<sip:caller@example.com>;tag=323",
        "  <sip:a@b> ; X=\"y\" ",
    })
    void toStringOfParsedIsByteExact(String text) {
        assertThat(NameAddr.parse(text)).hasToString(text);
    }

    @Test
    void copiesUseCanonicalForm() {
        NameAddr n = NameAddr.parse("sip:bob@biloxi.com ;tag=1");
        assertThat(n.withParameter("X", "y")).hasToString("<sip:bob@biloxi.com>;tag=1;x=y");
        assertThat(n.withoutParameter("tag")).hasToString("<sip:bob@biloxi.com>");
        assertThat(n.withoutParameter("nothere")).isSameAs(n);
        assertThat(n.withDisplayName("Bob \"B\"")).hasToString("\"Bob \\\"B\\\"\" <sip:bob@biloxi.com>;tag=1");
        assertThat(n.withUri(SipUri.parse("sip:b@x;lr"))).hasToString("<sip:b@x;lr>;tag=1");
        assertThat(n.withParameter("tag", "2").tag()).isEqualTo("2");
        assertThat(n).hasToString("sip:bob@biloxi.com ;tag=1");
        assertThatThrownBy(() -> n.withParameter("x", "a b")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> n.withParameter("x y", "a")).isInstanceOf(SipSyntaxException.class);
        assertThatThrownBy(() -> n.withDisplayName("a\r\nb")).isInstanceOf(SipSyntaxException.class);
    }

    @Property(tries = 300)
    void builtNameAddrsSurviveToStringAndParse(@ForAll("built") NameAddr built) {
        NameAddr parsed = NameAddr.parse(built.toString());
        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.displayName()).isEqualTo(built.displayName());
        assertThat(parsed.parameters()).containsExactlyEntriesOf(built.parameters());
        assertThat(parsed.uri().toString()).isEqualTo(built.uri().toString());
        assertThat(parsed.toString()).isEqualTo(built.toString());
    }

    @Provide
    Arbitrary<NameAddr> built() {
        Arbitrary<String> display = Arbitraries.strings().withCharRange(' ', '~').withChars("\t\0\u0007é").ofMaxLength(10);
        Arbitrary<Uri> uri = Arbitraries.of("sip:a@b", "sips:x.example.com:5061;lr", "sip:a@b?h=v", "tel:+123", "urn:x:y", "sip:[::1]")
                .map(Uri::parse);
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').withChars("-.!%*_+`'~").ofMinLength(1).ofMaxLength(5);
        Arbitrary<String> value = Arbitraries.oneOf(
                name, Arbitraries.of("[2001:db8::1]", "\"quoted \\\" value\"", "\"\"")).injectNull(0.3);
        return Combinators.combine(display.injectNull(0.4), uri, name.list().uniqueElements().ofMaxSize(3), value.list().ofSize(3))
                .as((d, u, names, values) -> {
                    NameAddr n = NameAddr.of(d, u);
                    for (int i = 0; i < names.size(); i++) {
                        n = n.withParameter(names.get(i), values.get(i));
                    }
                    return n;
                });
    }
}
