package io.edgesbc.sip.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Bad input must only ever surface as SipSyntaxException, whatever the parser. */
class RobustnessTest {
    private static final List<Function<String, Object>> PARSERS = List.of(
            Uri::parse, SipUri::parse, TelUri::parse, OpaqueUri::parse, NameAddr::parse,
            s -> NameAddr.parse(s).q(), s -> NameAddr.parse(s).expires(), ContactList::parse, Via::parse,
            Via::parseList, CSeq::parse, ContentType::parse, RetryAfter::parse, s -> RetryAfter.parse(s).duration(),
            HeaderValues::splitList, HeaderValues::tokens, HeaderValues::parseMaxForwards,
            HeaderValues::parseContentLength, HeaderValues::parseDeltaSeconds, HeaderValues::unquote);

    @Property(tries = 3000)
    void onlySipSyntaxExceptionEscapes(@ForAll("sipish") String text) {
        for (Function<String, Object> parser : PARSERS) {
            try {
                parser.apply(text);
            } catch (SipSyntaxException e) {
                assertThat(e.offset()).isBetween(-1, text.length());
            }
        }
    }

    @Provide
    Arbitrary<String> sipish() {
        Arbitrary<String> pieces = Arbitraries.of("sip:", "sips:", "tel:", "urn:", "<", ">", "\"", "\\", "@", ":", ";",
                "=", ",", "?", "&", "%", "%4", "%41", "[", "]", "::", "2001:db8::1", "1.2.3.4", "example.com", " ", "\t",
                "SIP/2.0/UDP ", "branch", "z9hG4bK", "received", "rport", "ttl", "maddr", "q", "expires", "0.5", "(", ")",
                "*", "+", "/", "tag", "9999999999999999999999", "65536", "5060", "\0", "é", "\uD800", "lr", "transport");
        return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    }
}
