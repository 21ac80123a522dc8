package io.edgesbc.server.media;

import io.edgesbc.b2bua.MediaSummary;
import io.edgesbc.media.relay.MediaRelay;
import io.edgesbc.media.relay.RelayMetrics;
import io.edgesbc.server.metrics.EdgeSbcMetrics;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/**
 * The media relay's meters on the server's registry ({@code edgesbc_media_*}, listed in
 * docs/OPERATIONS.md): calls and streams anchored now, each realm's port pairs in use and free
 * and its exhaustions, packets and bytes relayed, packets dropped by reason, packets lost, and
 * the jitter of each side of a call when it ends.
 *
 * <p>Gauges and counters read {@link MediaRelay#metrics()} at scrape time, at most once per
 * second however many meters ask: it sums the counters of every open stream.
 */
public final class MediaMeters {

    /** RFC 3550 §6.4.1 interarrival jitter buckets, in seconds: 1 ms to 200 ms. */
    private static final double[] JITTER_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2};
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final MediaRelay relay;
    private volatile Snapshot last;

    private record Snapshot(long atNanos, RelayMetrics metrics) {
    }

    private MediaMeters(MediaRelay relay) {
        this.relay = relay;
    }

    /** Registers the meters of {@code anchor}'s relay and records each released call's jitter. */
    public static void register(EdgeSbcMetrics metrics, RelayMediaAnchor anchor) {
        MediaMeters m = new MediaMeters(anchor.relay());
        MeterRegistry registry = metrics.registry();
        metrics.gauge("edgesbc.media.calls.active", "Calls known to the media relay (anchored or bypassed)", m,
                s -> s.now().activeCalls());
        metrics.gauge("edgesbc.media.streams.active", "Relay sockets open (RTP and RTCP, per media section and leg)",
                m, s -> s.now().activeStreams());
        for (RelayMetrics.Pool pool : m.now().pools()) {
            String realm = pool.realm();
            metrics.gauge("edgesbc.media.port.pairs.in.use", "RTP/RTCP port pairs allocated, per realm", m,
                    s -> s.now().pool(realm).inUse(), "realm", realm);
            metrics.gauge("edgesbc.media.port.pairs.free", "RTP/RTCP port pairs free, per realm", m,
                    s -> s.now().pool(realm).free(), "realm", realm);
            metrics.counter("edgesbc.media.port.exhaustions",
                    "Offers refused (503) because a realm had no free port pair", m,
                    s -> s.now().pool(realm).exhaustions(), "realm", realm);
        }
        traffic(metrics, m, "edgesbc.media.packets", "RTP and RTCP packets accepted from parties",
                RelayMetrics.Traffic::packets);
        traffic(metrics, m, "edgesbc.media.bytes", "UDP payload bytes of the packets accepted",
                RelayMetrics.Traffic::bytes);
        traffic(metrics, m, "edgesbc.media.packets.lost", "RTP packets lost on the way to the relay "
                + "(RFC 3550 §6.4.1, from sequence numbers)", RelayMetrics.Traffic::packetsLost);
        String dropped = "Packets dropped by the relay";
        traffic(metrics, m, "edgesbc.media.packets.dropped", dropped, RelayMetrics.Traffic::droppedUnexpectedSource,
                "reason", "unexpected_source");
        traffic(metrics, m, "edgesbc.media.packets.dropped", dropped, RelayMetrics.Traffic::droppedMalformed,
                "reason", "malformed");
        traffic(metrics, m, "edgesbc.media.packets.dropped", dropped, RelayMetrics.Traffic::droppedNoDestination,
                "reason", "no_destination");
        DistributionSummary caller = jitter(registry, "caller");
        DistributionSummary callee = jitter(registry, "callee");
        anchor.onSummary(summary -> record(summary, caller, callee));
    }

    private static void traffic(EdgeSbcMetrics metrics, MediaMeters m, String name, String description,
                                ToLongFunction<RelayMetrics.Traffic> value, String... tags) {
        metrics.counter(name, description, m, s -> value.applyAsLong(s.now().traffic()), tags);
    }

    private static DistributionSummary jitter(MeterRegistry registry, String side) {
        return DistributionSummary.builder("edgesbc.media.jitter")
                .description("Worst RTP interarrival jitter (RFC 3550 §6.4.1) of one side of a call, at its end")
                .baseUnit("seconds")
                .serviceLevelObjectives(JITTER_BUCKETS)
                .tags("side", side)
                .register(registry);
    }

    private static void record(MediaSummary summary, DistributionSummary caller, DistributionSummary callee) {
        if (!summary.anchored()) {
            return;
        }
        // a side that sent no RTP has no jitter to speak of
        if (summary.caller().packets() > 0) {
            caller.record(summary.caller().jitterMillis() / 1000.0);
        }
        if (summary.callee().packets() > 0) {
            callee.record(summary.callee().jitterMillis() / 1000.0);
        }
    }

    /** The relay's metrics, recomputed at most once per second. */
    private RelayMetrics now() {
        Snapshot s = last;
        long t = System.nanoTime();
        if (s == null || t - s.atNanos() > REFRESH_NANOS) {
            s = new Snapshot(t, relay.metrics());
            last = s;
        }
        return s.metrics();
    }
}
