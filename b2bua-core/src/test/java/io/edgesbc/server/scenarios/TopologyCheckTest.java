package io.edgesbc.server.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.server.scenarios.SippMessageLog.Direction;
import io.edgesbc.server.scenarios.TopologyCheck.Leak;
import io.edgesbc.server.scenarios.TopologyCheck.Side;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topology checker on sample SIPp message logs (src/test/resources/topology): one clean, one leaking. */
class TopologyCheckTest {

    private static SippMessageLog log(String name) throws IOException {
        try (InputStream in = TopologyCheckTest.class.getResourceAsStream("/topology/" + name)) {
            return SippMessageLog.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static Side caller() throws IOException {
        return new Side("caller", log("caller-clean.log"), "127.0.0.1", 41234);
    }

    @Test
    void theParserReadsBlocksDirectionsCompactAndFoldedHeadersAndSkipsRemarks() throws IOException {
        SippMessageLog log = log("caller-clean.log");
        assertThat(log.messages()).extracting(m -> m.startLine()).containsExactly(
                "INVITE sip:+4930123456@127.0.0.1:40001 SIP/2.0", "SIP/2.0 100 Trying", "SIP/2.0 200 OK");
        assertThat(log.messages()).extracting(m -> m.direction())
                .containsExactly(Direction.SENT, Direction.RECEIVED, Direction.RECEIVED);
        SippMessageLog.Message ok = log.messages().get(2);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.method()).isEqualTo("INVITE");
        assertThat(ok.header("Call-ID")).hasValue("1-24459@127.0.0.1");
        assertThat(ok.header("to")).hasValue("<sip:+4930123456@127.0.0.1:40001> ;tag=0-7f3a9c21e4");
        assertThat(log.messages().get(0).body()).isEqualTo("v=0");
    }

    @Test
    void aSidesIdentifiersAreTheOnesItMade() throws IOException {
        var ids = TopologyCheck.identifiers(caller());
        assertThat(ids.get("Call-ID")).containsExactly("1-24459@127.0.0.1");
        assertThat(ids.get("tag")).containsExactly("24459SIPpTag001");
        assertThat(ids.get("branch")).containsExactly("z9hG4bK-24459-1-0");
        assertThat(ids.get("Contact user")).containsExactly("alice-contact");
        var callee = TopologyCheck.identifiers(new Side("callee", log("callee-clean.log"), "127.0.0.1", 42345));
        assertThat(callee.get("tag")).containsExactly("24420SIPpTag011");
        assertThat(callee.get("Call-ID")).isEmpty();
        assertThat(callee.get("Contact user")).isEmpty();
    }

    @Test
    void aCleanPairHasNoLeak() throws IOException {
        Side callee = new Side("callee", log("callee-clean.log"), "127.0.0.1", 42345);
        assertThat(TopologyCheck.between(caller(), callee)).isEmpty();
    }

    @Test
    void aLeakingPairIsReportedWithWhatLeakedAndWhere() throws IOException {
        Side callee = new Side("callee", log("callee-leak.log"), "127.0.0.1", 42345);
        List<Leak> leaks = TopologyCheck.between(caller(), callee);
        assertThat(leaks).extracting(Leak::kind, Leak::value).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Call-ID", "1-24459@127.0.0.1"),
                org.assertj.core.groups.Tuple.tuple("branch", "z9hG4bK-24459-1-0"),
                org.assertj.core.groups.Tuple.tuple("Contact user", "alice-contact"),
                org.assertj.core.groups.Tuple.tuple("port", "41234"));
        assertThat(leaks).allSatisfy(l -> {
            assertThat(l.owner()).isEqualTo("caller");
            assertThat(l.receiver()).isEqualTo("callee");
        });
        assertThat(leaks.toString()).contains("X-Original-Call: 1-24459@127.0.0.1");
    }

    @Test
    void theListenAddressIsFoundAnywhereAndTheBarePortOnlyInAddressHeaders() {
        String owner = """
                -----------------------------------------------
                UDP message sent (1 bytes):

                OPTIONS sip:x@127.0.0.1:5 SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:41234;branch=z9hG4bK-1
                Call-ID: short

                """;
        String receiver = """
                -----------------------------------------------
                UDP message received [1] bytes :

                MESSAGE sip:y@127.0.0.1:7 SIP/2.0
                Subject: from 127.0.0.1:41234
                X-Count: 41234
                Record-Route: <sip:127.0.0.1:412345;lr>
                Call-ID: short

                """;
        List<Leak> leaks = TopologyCheck.leaks(new Side("a", SippMessageLog.parse(owner), "127.0.0.1", 41234),
                new Side("b", SippMessageLog.parse(receiver), "127.0.0.1", 9));
        // The address in Subject; not the port in X-Count (not an address header), not 412345, and
        // not the 5-character Call-ID "short" (shorter than TopologyCheck.MIN_LENGTH).
        assertThat(leaks).extracting(Leak::kind).containsExactly("address");
    }
}
