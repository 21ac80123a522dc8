package io.edgesbc.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The example policies of deploy/policies against the realms of a server configuration. */
class PolicyFilesTest {

    private static final Path CARRIER_TO_PBX = Path.of("../deploy/policies/carrier-to-pbx.yaml");

    @Test
    void carrierToPbxLoadsWhenTheServerHasItsRealms() {
        PolicyFiles.Outcome outcome = PolicyFiles.load(List.of(CARRIER_TO_PBX), Set.of("external", "internal"));
        assertThat(outcome).isInstanceOf(PolicyFiles.Outcome.Loaded.class);
        io.edgesbc.policy.Policy policy = ((PolicyFiles.Outcome.Loaded) outcome).policy();
        // The PBX trunk asks for TCP: a realm without a TCP listener is worth a start-up warning.
        assertThat(PolicyFiles.warnings(policy, realm -> Set.of(io.edgesbc.sip.transport.TransportKind.UDP)))
                .singleElement().asString().contains("trunk 'pbx'").contains("needs TCP");
        assertThat(PolicyFiles.warnings(policy, realm -> Set.of(io.edgesbc.sip.transport.TransportKind.UDP,
                io.edgesbc.sip.transport.TransportKind.TCP))).isEmpty();
    }

    @Test
    void carrierToPbxIsRefusedWhenARealmIsMissing() {
        PolicyFiles.Outcome outcome = PolicyFiles.load(List.of(CARRIER_TO_PBX), Set.of("external"));
        assertThat(outcome).isInstanceOfSatisfying(PolicyFiles.Outcome.Invalid.class, invalid ->
                assertThat(invalid.errors()).singleElement().asString()
                        .contains("trunk 'pbx' is in realm 'internal'"));
    }
}
