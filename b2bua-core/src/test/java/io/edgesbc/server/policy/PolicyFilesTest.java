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
        // The PBX trunk asks for TCP, which the UAC leg cannot do yet: said at start-up.
        assertThat(PolicyFiles.warnings(((PolicyFiles.Outcome.Loaded) outcome).policy()))
                .singleElement().asString().contains("trunk 'pbx'").contains("transport=tcp");
    }

    @Test
    void carrierToPbxIsRefusedWhenARealmIsMissing() {
        PolicyFiles.Outcome outcome = PolicyFiles.load(List.of(CARRIER_TO_PBX), Set.of("external"));
        assertThat(outcome).isInstanceOfSatisfying(PolicyFiles.Outcome.Invalid.class, invalid ->
                assertThat(invalid.errors()).singleElement().asString()
                        .contains("trunk 'pbx' is in realm 'internal'"));
    }
}
