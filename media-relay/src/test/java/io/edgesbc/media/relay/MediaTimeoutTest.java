package io.edgesbc.media.relay;

import static io.edgesbc.media.relay.Endpoint.rtp;
import static io.edgesbc.media.relay.MediaRelayLoopbackTest.sdp;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Media timeouts in fake time: the test owns the clock and fires the sweep itself. */
class MediaTimeoutTest {

    record Timeout(String callId, Duration silence, boolean onHold) {
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Runnable> sweeps = new CopyOnWriteArrayList<>();
    private final List<Timeout> timeouts = new CopyOnWriteArrayList<>();
    private MediaRelay relay;

    @BeforeEach
    void start() {
        int base = 40_000 + 200 * ThreadLocalRandom.current().nextInt(100);
        RelayConfig config = RelayConfig.of(RealmConfig.of("r", Endpoint.LOOPBACK, base, base + 99))
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(300));
        Ticker fake = (period, task) -> {
            sweeps.add(task);
            return () -> sweeps.remove(task);
        };
        relay = MediaRelay.create(config, (id, silence, hold) -> timeouts.add(new Timeout(id, silence, hold)),
                now::get, fake);
    }

    @AfterEach
    void stop() {
        relay.close();
        assertThat(sweeps).as("the sweep is cancelled on close").isEmpty();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
        sweeps.forEach(Runnable::run);
    }

    @Test
    void reportsACallWithoutRtpOnceAfterTheTimeout() throws IOException {
        try (Endpoint a = new Endpoint(); Endpoint b = new Endpoint()) {
            RelayResult offer = relay.offer("c1", "a", sdp("alice", 1, a.port()), CallOptions.within("r"));
            RelayResult answer = relay.answer("c1", "b", sdp("bob", 1, b.port()));
            int towardsB = ((RelayResult.Relayed) answer).description().media().get(0).port();
            assertThat(offer.isRelayed()).isTrue();

            advance(Duration.ofSeconds(20));
            a.send(towardsB, rtp(1, 0, 1, 160));
            assertThat(b.receive()).isNotNull(); // the relay has counted it
            advance(Duration.ofSeconds(5)); // the sweep sees the RTP: silence starts at t = 25 s
            advance(Duration.ofSeconds(29));
            assertThat(timeouts).isEmpty();
            advance(Duration.ofSeconds(1));
            assertThat(timeouts).containsExactly(new Timeout("c1", Duration.ofSeconds(30), false));
            advance(Duration.ofSeconds(10));
            assertThat(timeouts).as("reported once").hasSize(1);
        }
    }

    @Test
    void holdGetsTheLongerTimeout() {
        assertThat(relay.offer("c1", "a", sdp("alice", 1, 4000), CallOptions.within("r")).isRelayed()).isTrue();
        assertThat(relay.answer("c1", "b", sdp("bob", 1, 5000)).isRelayed()).isTrue();
        advance(Duration.ofSeconds(10));
        // RFC 3264 §8.4: A puts B on hold
        assertThat(relay.update("c1", "a", sdp("alice", 2, 4000, "a=sendonly")).isRelayed()).isTrue();
        assertThat(relay.answer("c1", "b", sdp("bob", 2, 5000, "a=recvonly")).isRelayed()).isTrue();
        advance(Duration.ofSeconds(60));
        assertThat(timeouts).isEmpty();
        assertThat(relay.stats("c1").orElseThrow().onHold()).isTrue();
        advance(Duration.ofSeconds(240));
        assertThat(timeouts).containsExactly(new Timeout("c1", Duration.ofSeconds(300), true));
    }

    @Test
    void anSdpChangeRestartsTheSilenceAndDeletedCallsAreNotReported() {
        relay.offer("c1", "a", sdp("alice", 1, 4000), CallOptions.within("r"));
        relay.answer("c1", "b", sdp("bob", 1, 5000));
        relay.offer("c2", "a", sdp("alice", 1, 4000), CallOptions.within("r").withBypass());
        advance(Duration.ofSeconds(20));
        relay.update("c1", "b", sdp("bob", 2, 5002));
        advance(Duration.ofSeconds(20));
        assertThat(timeouts).isEmpty();
        relay.delete("c1");
        advance(Duration.ofSeconds(60));
        assertThat(timeouts).as("deleted and bypassed calls").isEmpty();
    }

    @Test
    void aCallsOwnTimeoutReplacesTheRelaysAndHoldStillGetsTheLongerOne() {
        relay.offer("short", "a", sdp("alice", 1, 4000), CallOptions.within("r").withMediaTimeout(Duration.ofSeconds(5)));
        relay.answer("short", "b", sdp("bob", 1, 5000));
        relay.offer("long", "a", sdp("alice", 1, 4000), CallOptions.within("r").withMediaTimeout(Duration.ofSeconds(90)));
        relay.answer("long", "b", sdp("bob", 1, 5000));
        advance(Duration.ofSeconds(4));
        assertThat(timeouts).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(timeouts).containsExactly(new Timeout("short", Duration.ofSeconds(5), false));
        advance(Duration.ofSeconds(80)); // 85 s: past the relay's 30 s, not past the call's 90 s
        assertThat(timeouts).extracting(Timeout::callId).containsExactly("short");
        advance(Duration.ofSeconds(5));
        assertThat(timeouts).extracting(Timeout::callId).containsExactly("short", "long");

        // on hold: the relay's 300 s hold timeout, longer than the call's 5 s
        relay.offer("held", "a", sdp("alice", 1, 4000, "a=sendonly"),
                CallOptions.within("r").withMediaTimeout(Duration.ofSeconds(5)));
        relay.answer("held", "b", sdp("bob", 1, 5000, "a=recvonly"));
        advance(Duration.ofSeconds(299));
        assertThat(timeouts).extracting(Timeout::callId).doesNotContain("held");
        advance(Duration.ofSeconds(1));
        assertThat(timeouts).extracting(Timeout::callId).contains("held");
    }
}
