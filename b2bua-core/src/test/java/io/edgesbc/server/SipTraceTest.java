package io.edgesbc.server;

import static io.edgesbc.server.AdminApiTest.TOKEN;
import static io.edgesbc.server.AdminApiTest.json;
import static io.edgesbc.server.AdminApiTest.send;
import static io.edgesbc.server.PolicySippTest.await;
import static io.edgesbc.server.PolicySippTest.freePort;
import static io.edgesbc.server.PolicySippTest.realmPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import io.edgesbc.server.policy.PolicyRouter;
import io.edgesbc.server.trace.SipTrace;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The SIP trace switched by the admin API on a running EdgeSBC with real SIPp calls: one call
 * traced by its Call-ID among two, both of its legs and nothing of the other; switched off,
 * nothing more. Also the call's MDC on the shard's log lines. The trace logger's lines are
 * captured by an appender of the test.
 */
class SipTraceTest {

    private static EdgeSbcServer server;
    private static int uasPort;

    /** Keeps what was logged, from any thread. */
    static final class Captured extends AppenderBase<ILoggingEvent> {
        final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            events.add(event);
        }

        List<ILoggingEvent> snapshot() {
            return List.copyOf(events);
        }
    }

    private final Captured traced = new Captured();
    private final Captured routerLog = new Captured();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Sipp.available(), "SIPp (sip-tester) is not installed; ./edgesbc test installs it");
        uasPort = freePort();
        server = AdminApiTest.startServer(uasPort, Files.createTempDirectory("policy").resolve("calls.yaml"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @BeforeEach
    void capture() {
        attach(SipTrace.LOGGER, traced, Level.INFO);
        attach(PolicyRouter.class.getName(), routerLog, Level.DEBUG);
    }

    @AfterEach
    void release() throws Exception {
        detach(SipTrace.LOGGER, traced);
        detach(PolicyRouter.class.getName(), routerLog);
        send(server, "DELETE", "/trace", TOKEN, null);
    }

    private static void attach(String name, Captured appender, Level level) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.setLevel(level);
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    private static void detach(String name, Captured appender) {
        Logger logger = (Logger) LoggerFactory.getLogger(name);
        logger.detachAppender(appender);
        logger.setLevel(null);
        logger.setAdditive(true);
        appender.stop();
    }

    /** One SIPp call (UAC BYEs) with Call-ID {@code prefix-1@127.0.0.1}; the callee must have been started. */
    private static Sipp.Run call(String prefix) throws Exception {
        return Sipp.startUac("uac-invite-bye.xml", freePort(), realmPort(server, "outside"), 1, 1,
                "-cid_str", prefix + "-%u@%s");
    }

    private static void succeeded(Sipp.Run run) throws Exception {
        Sipp.Result result = run.await(30);
        assertThat(result.allCallsSucceeded()).as(result.output()).isTrue();
    }

    @Test
    void aTracedCallIdTracesBothLegsOfItsCallAndNothingOfAnotherCallUntilSwitchedOff() throws Exception {
        // Armed before the call exists: the caller's Call-ID, as the operator has it from the peer.
        HttpResponse<String> on = send(server, "POST", "/trace", TOKEN, "{\"call_id\": \"traced-1@127.0.0.1\"}");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(json(on).path("active").asBoolean()).isTrue();
        assertThat(json(on).path("call_ids").get(0).asText()).isEqualTo("traced-1@127.0.0.1");

        Sipp.Run callee = Sipp.startUas("uas-answer-200.xml", uasPort, 2);
        Sipp.Run tracedCall = call("traced");
        Sipp.Run otherCall = call("other");
        try {
            succeeded(tracedCall);
            succeeded(otherCall);
            succeeded(callee);
        } finally {
            tracedCall.kill();
            otherCall.kill();
            callee.kill();
        }
        await(() -> server.activeCalls() == 0, "both calls ended");

        List<ILoggingEvent> events = traced.snapshot();
        Set<String> callIds = events.stream().map(e -> e.getMDCPropertyMap().get(SipTrace.MDC_CALL))
                .collect(Collectors.toSet());
        assertThat(callIds).as("the caller's leg and the one EdgeSBC made for it").hasSize(2)
                .contains("traced-1@127.0.0.1")
                .noneMatch(id -> id.startsWith("other-"));
        String calleeLeg = callIds.stream().filter(id -> !id.startsWith("traced-")).findFirst().orElseThrow();
        String caller = text(events, "traced-1@127.0.0.1");
        String callee2 = text(events, calleeLeg);
        // Full messages, in and out, on both legs.
        assertThat(caller).contains("IN outside udp from 127.0.0.1:").contains("INVITE sip:+4930123456@")
                .contains("Call-ID: traced-1@127.0.0.1").contains("SIP/2.0 200 OK").contains("BYE sip:")
                .contains("v=0");
        assertThat(callee2).contains("OUT inside to 127.0.0.1:" + uasPort)
                .contains("INVITE sip:030123456@127.0.0.1:" + uasPort).contains("X-Edge-Route: to-callee")
                .contains("IN inside udp from 127.0.0.1:" + uasPort).contains("SIP/2.0 180 Ringing")
                .contains("BYE sip:").doesNotContain("traced-1@127.0.0.1");
        assertThat(events.stream().map(ILoggingEvent::getFormattedMessage)).noneMatch(m -> m.contains("other-1@"));

        HttpResponse<String> off = send(server, "DELETE", "/trace", TOKEN, null);
        assertThat(json(off).path("active").asBoolean()).isFalse();
        int before = traced.snapshot().size();
        // The very same Call-ID again: switched off means off.
        callee = Sipp.startUas("uas-answer-200.xml", uasPort, 1);
        Sipp.Run again = call("traced");
        try {
            succeeded(again);
            succeeded(callee);
        } finally {
            again.kill();
            callee.kill();
        }
        await(() -> server.activeCalls() == 0, "the call ended");
        assertThat(traced.snapshot()).hasSize(before);
    }

    private static String text(List<ILoggingEvent> events, String callId) {
        return events.stream().filter(e -> callId.equals(e.getMDCPropertyMap().get(SipTrace.MDC_CALL)))
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"));
    }

    @Test
    void aRealmTraceTakesEveryMessageOfThatRealmAndTheTraceRefusesWhatItCannotTrace() throws Exception {
        JsonNode on = json(send(server, "POST", "/trace", TOKEN, "{\"realm\": \"inside\", \"trunk\": \"sipp-callee\"}"));
        assertThat(on.path("realms").get(0).asText()).isEqualTo("inside");
        assertThat(on.path("trunks").get(0).asText()).isEqualTo("sipp-callee");
        assertThat(on.path("addresses").get(0).asText()).isEqualTo("trunk sipp-callee 127.0.0.1");
        for (String bad : List.of("{\"trunk\": \"nope\"}", "{\"address\": \"10.1.2.3/8\"}", "{\"colour\": \"x\"}",
                "{}", "[1", "{\"realm\": 5}")) {
            HttpResponse<String> r = send(server, "POST", "/trace", TOKEN, bad);
            assertThat(r.statusCode()).as(bad + " -> " + r.body()).isEqualTo(400);
        }
        assertThat(json(send(server, "GET", "/trace", TOKEN, null)).path("realms")).hasSize(1);
    }

    @Test
    void logLinesWrittenWhileACallsMessageIsHandledNameItsCallId() throws Exception {
        // Rule premium-barred refuses 0900 numbers; the router logs that (DEBUG) on the call's shard.
        Sipp.Result refused = Sipp.startUac("uac-policy-refused-403.xml", freePort(), realmPort(server, "outside"), 1,
                1, "-s", "0900123456", "-cid_str", "mdc-%u@%s").await(30);
        assertThat(refused.allCallsSucceeded()).as(refused.output()).isTrue();
        await(() -> routerLog.snapshot().stream().anyMatch(e -> e.getFormattedMessage().contains("rejects")),
                "the router's line");
        ILoggingEvent line = routerLog.snapshot().stream().filter(e -> e.getFormattedMessage().contains("rejects"))
                .findFirst().orElseThrow();
        assertThat(line.getThreadName()).startsWith("edgesbc-call-");
        assertThat(line.getMDCPropertyMap()).containsEntry(SipTrace.MDC_CALL, "mdc-1@127.0.0.1");
        assertThat(traced.snapshot()).as("nothing traced while the trace is off").isEmpty();
    }
}
