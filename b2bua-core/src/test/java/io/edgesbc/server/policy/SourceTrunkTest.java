package io.edgesbc.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyLoader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source trunk a routed call is labelled with (metrics, CDRs): by address and realm. */
class SourceTrunkTest {

    @TempDir
    Path dir;

    private Policy policy() throws Exception {
        Path file = Files.writeString(dir.resolve("p.yaml"), """
                trunks:
                  - {name: zeta, realm: outside, from: [192.0.2.0/24]}
                  - {name: alpha, realm: outside, from: [192.0.2.7]}
                  - {name: pbx, realm: inside, from: [10.0.0.0/8]}
                  - {name: anywhere, from: [198.51.100.1]}
                rules:
                  - {name: all, match: {method: INVITE}, route: {targets: ["sip:10.0.0.1"]}}
                """);
        return PolicyLoader.load(List.of(file)).policyOrThrow();
    }

    private static InetSocketAddress from(String ip) {
        return new InetSocketAddress(ip, 5060);
    }

    @Test
    void theTrunkWhoseAddressesAndRealmHoldTheSource() throws Exception {
        Policy p = policy();
        assertThat(PolicyRouter.sourceTrunk(p, from("192.0.2.99"), "outside")).isEqualTo("zeta");
        assertThat(PolicyRouter.sourceTrunk(p, from("10.1.2.3"), "inside")).isEqualTo("pbx");
        assertThat(PolicyRouter.sourceTrunk(p, from("10.1.2.3"), "outside")).as("wrong realm").isNull();
        assertThat(PolicyRouter.sourceTrunk(p, from("198.51.100.1"), "inside")).as("a trunk without realm")
                .isEqualTo("anywhere");
        assertThat(PolicyRouter.sourceTrunk(p, from("203.0.113.1"), "outside")).isNull();
    }

    @Test
    void overlappingTrunksGiveTheSameAnswerEveryTimeTheFirstByName() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(PolicyRouter.sourceTrunk(policy(), from("192.0.2.7"), "outside")).isEqualTo("alpha");
        }
    }

    @Test
    void aRefusalCarriesTheSourceTrunkAndTheRule() throws Exception {
        Path file = Files.writeString(dir.resolve("refuse.yaml"), """
                trunks:
                  - {name: carrier, realm: outside, from: [192.0.2.0/24]}
                rules:
                  - {name: no-premium, match: {method: INVITE}, reject: {code: 403, reason: Premium Barred}}
                """);
        PolicyRouter router = new PolicyRouter(PolicyLoader.load(List.of(file)).policyOrThrow());
        List<String> counted = new java.util.ArrayList<>();
        router.onRejection((reason, trunk) -> counted.add(reason + " " + trunk));
        String text = "INVITE sip:0900123@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKst1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@192.0.2.9>;tag=1\r\nTo: <sip:0900123@192.0.2.1>\r\n"
                + "Call-ID: st-1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@192.0.2.9>\r\nContent-Length: 0\r\n\r\n";
        io.edgesbc.sip.message.SipRequest invite = (io.edgesbc.sip.message.SipRequest)
                ((io.edgesbc.sip.parse.ParseResult.Parsed) new io.edgesbc.sip.parse.SipParser()
                        .parseDatagram(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))).message();
        io.edgesbc.b2bua.RouteDecision decision = router.decide("outside", from("192.0.2.9"), invite);
        assertThat(decision).isInstanceOfSatisfying(io.edgesbc.b2bua.RouteDecision.Reject.class, r -> {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.labels().sourceTrunk()).isEqualTo("carrier");
            assertThat(r.labels().rule()).isEqualTo("no-premium");
        });
        assertThat(counted).containsExactly("rule carrier");
    }
}
