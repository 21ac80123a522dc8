package io.edgesbc.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.edgesbc.media.relay.LatchMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code media:} section: defaults resolved against the realms, and errors at their key. */
class MediaConfigTest {

    private static final String TWO_REALMS = """
            realms:
              - {name: outside, address: 127.0.0.1, udp: 5060}
              - {name: inside, address: 127.0.0.1, udp: 5070}
            """;

    private static ServerConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(Path.of("sbc.yaml"), yaml.getBytes(StandardCharsets.UTF_8), "sbc.yaml");
    }

    private static java.util.List<String> errors(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected configuration errors");
    }

    @Test
    void withoutTheSectionMediaIsAnchoredOnEachRealmsAddressAndTheDefaultRangeIsShared() throws ConfigException {
        MediaConfig media = parse(TWO_REALMS).media();
        assertThat(media.enabled()).isTrue();
        assertThat(media.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(media.holdTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(media.realms()).extracting(MediaConfig.Realm::name, r -> r.address().getHostAddress(),
                        MediaConfig.Realm::advertise, MediaConfig.Realm::minPort, MediaConfig.Realm::maxPort,
                        MediaConfig.Realm::latching)
                .containsExactly(tuple("outside", "127.0.0.1", null, 30000, 34999, LatchMode.LATCH),
                        tuple("inside", "127.0.0.1", null, 35000, 39999, LatchMode.LATCH));
    }

    @Test
    void realmsOnTheirOwnAddressesEachGetTheWholeDefaultRange() throws ConfigException {
        MediaConfig media = parse("""
                realms:
                  - {name: outside, address: 127.0.0.1, udp: 5060}
                  - {name: inside, address: 0.0.0.0, advertise: 10.0.0.5, udp: 5070}
                  - {name: lab, address: 127.0.0.3, udp: 5080}
                media: {realms: [{name: lab, ports: 20000-20999}]}
                """).media();
        // a wildcard bind collides with every address: the realms without ports share the range
        assertThat(media.realms()).extracting(MediaConfig.Realm::name, MediaConfig.Realm::minPort,
                        MediaConfig.Realm::maxPort)
                .containsExactly(tuple("outside", 30000, 34999), tuple("inside", 35000, 39999),
                        tuple("lab", 20000, 20999));
        MediaConfig.Realm inside = media.realms().get(1);
        assertThat(inside.address().isAnyLocalAddress()).isTrue();
        assertThat(inside.advertise().getHostAddress()).as("the realm's advertise goes into SDP")
                .isEqualTo("10.0.0.5");
    }

    @Test
    void readsEveryKey() throws ConfigException {
        MediaConfig media = parse(TWO_REALMS + """
                media:
                  enabled: true
                  timeout: 20s
                  hold_timeout: 10m
                  latching: strict
                  bypass: [[outside, inside]]
                  realms:
                    - {name: outside, address: 127.0.0.2, advertise: 192.0.2.1, ports: 41001-41100, latching: latch}
                    - {name: inside, ports: 42000-42009}
                """).media();
        assertThat(media.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(media.holdTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(media.bypass()).containsExactly(new MediaConfig.BypassPair("outside", "inside"));
        assertThat(media.realms()).extracting(MediaConfig.Realm::name, r -> r.address().getHostAddress(),
                        r -> r.advertise() == null ? null : r.advertise().getHostAddress(), MediaConfig.Realm::minPort,
                        MediaConfig.Realm::maxPort, MediaConfig.Realm::latching)
                .containsExactly(tuple("outside", "127.0.0.2", "192.0.2.1", 41001, 41100, LatchMode.LATCH),
                        tuple("inside", "127.0.0.1", null, 42000, 42009, LatchMode.STRICT));
    }

    @Test
    void canBeSwitchedOff() throws ConfigException {
        assertThat(parse(TWO_REALMS + "media: {enabled: false}\n").media().enabled()).isFalse();
    }

    @Test
    void theEmbeddedDemoAnchorsOnLoopbackWithASmallRange() throws ConfigException {
        MediaConfig media = ConfigLoader.loadDefault().media();
        assertThat(media.enabled()).isTrue();
        assertThat(media.realms()).extracting(MediaConfig.Realm::name, r -> r.address().getHostAddress(),
                        MediaConfig.Realm::minPort, MediaConfig.Realm::maxPort)
                .containsExactly(tuple("outside", "127.0.0.1", 40000, 40099), tuple("inside", "127.0.0.1", 40100, 40199));
    }

    @Test
    void reportsEachProblemAtItsKey() {
        assertThat(errors(TWO_REALMS + """
                media:
                  timeout: 2h
                  hold_timeout: 1m
                  latching: sticky
                  bypass: [[outside, mars], [inside]]
                  realms:
                    - {name: outside, ports: 30001-30001}
                    - {name: pluto, ports: 40000-40099}
                    - {name: inside, address: 0.0.0.0}
                """)).contains(
                "sbc.yaml:6:17: hold_timeout (PT1M) must not be shorter than timeout (PT2H): a held party may send "
                        + "no RTP at all (RFC 3264 §8.4)",
                "sbc.yaml:7:13: latching must be 'latch' (learn the source from the first packet, RFC 4961) or "
                        + "'strict' (only the SDP address), got 'sticky'",
                "sbc.yaml:8:22: bypass names realm 'mars', which is not one of the realms: outside, inside",
                "sbc.yaml:8:29: a bypass pair names two realms, e.g. [inside, lab]",
                "sbc.yaml:10:30: ports must be a range 'MIN-MAX' within 1024-65535 holding an even RTP port and the "
                        + "RTCP port after it, got '30001-30001'",
                "sbc.yaml:11:14: media realm 'pluto' is not one of the realms: outside, inside",
                "sbc.yaml:12:31: media realm 'inside' binds the wildcard 0.0.0.0: add 'advertise: IP', the address "
                        + "parties send media to");
    }

    @Test
    void overlappingRangesOnOneAddressAreRefused() {
        assertThat(errors(TWO_REALMS + """
                media:
                  realms:
                    - {name: outside, ports: 30000-30999}
                    - {name: inside, ports: 30900-31999}
                """)).containsExactly("sbc.yaml:7:29: media realm 'inside' (ports 30900-31999) overlaps realm "
                + "'outside' (ports 30000-30999) on 127.0.0.1: give them separate port ranges");
    }
}
