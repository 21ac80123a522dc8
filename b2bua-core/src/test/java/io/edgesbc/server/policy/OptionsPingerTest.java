package io.edgesbc.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.b2bua.RouteDecision;
import io.edgesbc.b2bua.RouteTarget;
import io.edgesbc.policy.Policy;
import io.edgesbc.policy.PolicyLoader;
import io.edgesbc.server.metrics.EdgeSbcMetrics;
import io.edgesbc.sip.message.SipRequest;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The OPTIONS keep-alive in virtual time with a fake prober: pings every interval per target, a
 * silent target out of rotation and back when it answers, the policy router skipping it, and a
 * reload followed at the next tick.
 */
class OptionsPingerTest {

    private static final String POLICY = """
            version: "ping-1"
            trunks:
              - name: carrier
                realm: outside
                from: [203.0.113.0/24]
                targets: ["sip:203.0.113.10:5060", "sip:203.0.113.11:5060"]
                options_ping: %s
              - name: pbx
                realm: inside
                from: [10.0.0.0/24]
                targets: ["sip:10.0.0.2:5060"]
            rules:
              - name: out
                match: {trunk: pbx, method: INVITE}
                route: {trunk: carrier}
            no_match: {code: 404, reason: Nobody Here}
            """;

    @TempDir
    Path dir;

    /** The policy with the carrier pinged every {@code interval}, or not at all when null. */
    private Policy policy(String interval) throws IOException {
        Path file = dir.resolve("p" + interval + ".yaml");
        String text = POLICY.formatted(interval);
        Files.writeString(file, interval == null ? text.replace("    options_ping: null\n", "") : text);
        return PolicyLoader.load(List.of(file)).policyOrThrow();
    }

    /** Records the pings and answers them for the targets in {@link #answering}. */
    private static final class FakeProber implements OptionsPinger.Prober {
        final List<String> pings = new ArrayList<>();
        final Set<String> answering = new HashSet<>();

        @Override
        public Mono<Boolean> probe(String realm, RouteTarget target) {
            String uri = target.uri().toString();
            pings.add(realm + " " + uri);
            return Mono.just(answering.contains(uri));
        }
    }

    @Test
    void silentTargetsLeaveTheRotationAndComeBackWhenTheyAnswer() throws IOException {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        FakeProber prober = new FakeProber();
        prober.answering.addAll(List.of("sip:203.0.113.10:5060", "sip:203.0.113.11:5060"));
        PolicyRouter router = new PolicyRouter(policy("20s"));
        EdgeSbcMetrics metrics = new EdgeSbcMetrics();
        OptionsPinger pinger = new OptionsPinger(router::policy, prober, router.health(), clock, metrics).start();
        try {
            assertThat(prober.pings).containsExactly("outside sip:203.0.113.10:5060", "outside sip:203.0.113.11:5060");
            clock.advanceTimeBy(Duration.ofSeconds(19));
            assertThat(prober.pings).as("the pbx trunk has no options_ping; the carrier every 20 s").hasSize(2);
            clock.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(prober.pings).hasSize(4);

            prober.answering.remove("sip:203.0.113.10:5060");
            clock.advanceTimeBy(Duration.ofSeconds(20));
            assertThat(router.health().down()).containsExactly("sip:203.0.113.10:5060");
            assertThat(metrics.scrape()).contains(
                    "edgesbc_trunk_target_up{target=\"sip:203.0.113.10:5060\",trunk=\"carrier\"} 0.0",
                    "edgesbc_trunk_target_up{target=\"sip:203.0.113.11:5060\",trunk=\"carrier\"} 1.0");
            RouteDecision.Route route = (RouteDecision.Route) router.decide("inside",
                    new InetSocketAddress("10.0.0.2", 5060), invite());
            assertThat(route.targets()).extracting(t -> t.uri().toString()).containsExactly("sip:203.0.113.11:5060");
            route.hooks().onCallEnded();

            prober.answering.clear();
            clock.advanceTimeBy(Duration.ofSeconds(20));
            RouteDecision none = router.decide("inside", new InetSocketAddress("10.0.0.2", 5060), invite());
            assertThat(none).isInstanceOfSatisfying(RouteDecision.Reject.class, r -> {
                assertThat(r.code()).isEqualTo(503);
                assertThat(r.headers()).anySatisfy(h -> assertThat(h.value()).isEqualTo("30"));
            });

            prober.answering.add("sip:203.0.113.10:5060");
            clock.advanceTimeBy(Duration.ofSeconds(20));
            assertThat(router.health().down()).containsExactly("sip:203.0.113.11:5060");
        } finally {
            pinger.dispose();
            metrics.close();
        }
    }

    @Test
    void aReloadChangesTheIntervalAtTheNextTick() throws IOException {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        FakeProber prober = new FakeProber();
        AtomicReference<Policy> current = new AtomicReference<>(policy("60s"));
        OptionsPinger pinger = new OptionsPinger(current::get, prober, new TargetHealth(), clock, null).start();
        try {
            assertThat(prober.pings).hasSize(2);
            clock.advanceTimeBy(Duration.ofSeconds(5));
            current.set(policy("10s"));
            clock.advanceTimeBy(Duration.ofSeconds(5));
            assertThat(prober.pings).as("10 s after the last ping under the reloaded interval").hasSize(4);
            current.set(policy(null));
            clock.advanceTimeBy(Duration.ofMinutes(5));
            assertThat(prober.pings).as("a trunk without options_ping is not pinged").hasSize(4);
        } finally {
            pinger.dispose();
        }
        assertThat(pinger.isDisposed()).isTrue();
    }

    @Test
    void oneProbeAtATimePerTarget() throws IOException {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        List<String> pings = new ArrayList<>();
        OptionsPinger.Prober never = (realm, target) -> {
            pings.add(target.uri().toString());
            return Mono.never();
        };
        OptionsPinger pinger = new OptionsPinger(() -> {
            try {
                return policy("5s");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, never, new TargetHealth(), clock, null).start();
        try {
            clock.advanceTimeBy(Duration.ofSeconds(30));
            assertThat(pings).hasSize(2);
        } finally {
            pinger.dispose();
        }
    }

    private static SipRequest invite() {
        String text = "INVITE sip:+4930123@10.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKping1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:100@10.0.0.2>;tag=a\r\nTo: <sip:+4930123@10.0.0.1>\r\n"
                + "Call-ID: ping-test-1\r\nCSeq: 1 INVITE\r\nContact: <sip:100@10.0.0.2:5060>\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SipRequest) ((ParseResult.Parsed) new SipParser()
                .parseDatagram(text.getBytes(StandardCharsets.UTF_8))).message();
    }
}
