package io.edgesbc.server.metrics;

import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.message.SipResponse;
import io.edgesbc.sip.message.SipSyntaxException;
import io.edgesbc.sip.transport.MessageObserver;
import io.edgesbc.sip.transport.MessageSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code edgesbc_sip_messages_total{direction, realm, method, status_class}}: every message in
 * and out. Requests count under their method with status_class "none"; responses under their
 * CSeq method and class ("2xx"). Methods outside the known set count as "other", so a peer
 * cannot blow up the label space. Counters are created once per label set and cached.
 */
final class SipMessageMeters implements MessageObserver {

    private static final java.util.Set<String> METHODS = java.util.Set.of("INVITE", "ACK", "BYE", "CANCEL",
            "OPTIONS", "REGISTER", "PRACK", "UPDATE", "INFO", "MESSAGE", "NOTIFY", "SUBSCRIBE", "REFER", "PUBLISH");
    private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx", "6xx"};

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    SipMessageMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void received(SipMessage message, MessageSource source) {
        count("in", source.realm(), message);
    }

    @Override
    public void sent(SipMessage message, String realm) {
        count("out", realm, message);
    }

    private void count(String direction, String realm, SipMessage message) {
        String method;
        try {
            method = message.method();
        } catch (SipSyntaxException e) {
            method = null; // a 400 echoing the unusable CSeq it answers (RFC 4475 scalar02)
        }
        if (method == null || !METHODS.contains(method)) {
            method = "other";
        }
        String statusClass = message instanceof SipResponse r ? CLASSES[Math.min(6, r.statusClass())] : CLASSES[0];
        String key = direction + '|' + realm + '|' + method + '|' + statusClass;
        Counter counter = counters.get(key);
        if (counter == null) {
            String m = method;
            counter = counters.computeIfAbsent(key, k -> Counter.builder("edgesbc.sip.messages")
                    .description("SIP messages received and sent")
                    .tag("direction", direction).tag("realm", realm).tag("method", m)
                    .tag("status_class", statusClass)
                    .register(registry));
        }
        counter.increment();
    }
}
