package io.edgesbc.server.metrics;

import io.edgesbc.sip.transport.SipTransportLayer;
import io.edgesbc.sip.transport.TransportStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The server's metrics, in one Prometheus registry scraped at {@code GET /metrics}. Names follow
 * Prometheus conventions: the {@code edgesbc_} prefix, {@code _total} on counters, base units.
 * The list with meanings is in docs/OPERATIONS.md.
 */
public final class EdgeSbcMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public EdgeSbcMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Counts every SIP message the transport sees, and exports its counters. */
    public void bind(SipTransportLayer transport) {
        transport.observe(new SipMessageMeters(registry));
        TransportStats stats = transport.stats();
        counter("edgesbc.sip.malformed", "Malformed SIP messages", stats, TransportStats::malformedAnswered,
                "outcome", "answered_400");
        counter("edgesbc.sip.malformed", "Malformed SIP messages", stats, TransportStats::malformedDropped,
                "outcome", "dropped");
        counter("edgesbc.sip.responses.not.ours", "Responses whose top Via is not ours, dropped (RFC 3261 §18.1.2)",
                stats, TransportStats::responsesNotOurs);
        counter("edgesbc.sip.framing.errors", "Stream connections closed because framing was lost", stats,
                TransportStats::framingErrors);
        counter("edgesbc.sip.keepalives", "CRLF keep-alives received (RFC 5626)", stats, TransportStats::keepAlives);
        counter("edgesbc.sip.send.failures", "SIP messages that could not be sent", stats,
                TransportStats::sendFailures);
        counter("edgesbc.sip.connections.refused",
                "TCP/TLS connections refused, or not opened by us, at the connection limit", stats,
                TransportStats::connectionsRefused);
        counter("edgesbc.sip.send.buffer.full",
                "SIP messages not sent because their TCP/TLS connection's send buffer was full", stats,
                TransportStats::sendBufferFull);
        counter("edgesbc.sip.handler.failures", "Messages whose handling failed unexpectedly (a bug, logged)", stats,
                TransportStats::handlerFailures);
        Gauge.builder("edgesbc.sip.connections.open", transport, SipTransportLayer::openConnections)
                .description("TCP/TLS connections open").register(registry);
    }

    /**
     * The objects meters read from. Micrometer holds them weakly; a source made just for its
     * meters (a view over a relay, say) would be collected and its series would read 0 or NaN,
     * so the registry's owner keeps them for as long as the registry lives.
     */
    private final java.util.Set<Object> sources = java.util.Collections.newSetFromMap(
            new java.util.concurrent.ConcurrentHashMap<>());

    /** A counter read from {@code source} at scrape time. */
    public <T> void counter(String name, String description, T source, ToLongFunction<T> value, String... tags) {
        sources.add(source);
        FunctionCounter.builder(name, source, s -> value.applyAsLong(s)).description(description).tags(tags)
                .register(registry);
    }

    /** A gauge read from {@code source} at scrape time. */
    public <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value, String... tags) {
        sources.add(source);
        Gauge.builder(name, source, value).description(description).tags(tags).register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
