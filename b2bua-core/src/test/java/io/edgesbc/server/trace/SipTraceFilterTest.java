package io.edgesbc.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.edgesbc.policy.match.CidrBlock;
import io.edgesbc.sip.message.SipMessage;
import io.edgesbc.sip.parse.ParseResult;
import io.edgesbc.sip.parse.SipParser;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The trace's filter on sent messages (no network): address blocks, realms, linked Call-IDs, off. */
class SipTraceFilterTest {

    private final Queue<ILoggingEvent> lines = new ConcurrentLinkedQueue<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            lines.add(event);
        }
    };
    private final SipTrace trace = new SipTrace();

    @BeforeEach
    void capture() {
        Logger logger = (Logger) LoggerFactory.getLogger(SipTrace.LOGGER);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        Logger logger = (Logger) LoggerFactory.getLogger(SipTrace.LOGGER);
        logger.detachAppender(appender);
        logger.setLevel(null);
    }

    private static SipMessage options(String callId) {
        String text = "OPTIONS sip:peer@192.0.2.5 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-0-1\r\n"
                + "From: <sip:edge@198.51.100.1>;tag=0-1\r\nTo: <sip:peer@192.0.2.5>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return ((ParseResult.Parsed) new SipParser().parseDatagram(text.getBytes(StandardCharsets.UTF_8))).message();
    }

    private static InetSocketAddress at(String ip) {
        return new InetSocketAddress(ip, 5060);
    }

    @Test
    void offItTracesNothingAndLinksNothing() {
        trace.sent(options("a"), "outside", at("192.0.2.5"));
        trace.link("a");
        assertThat(trace.active()).isFalse();
        assertThat(lines).isEmpty();
        assertThat(trace.describe()).containsEntry("linked_call_ids", 0);
    }

    @Test
    void anAddressBlockTracesWhatIsSentIntoItOnly() {
        trace.addBlocks(List.of(new SipTrace.Block(CidrBlock.parse("192.0.2.0/24", null).orElseThrow(),
                "192.0.2.0/24")), null);
        trace.sent(options("in-block"), "outside", at("192.0.2.5"));
        trace.sent(options("elsewhere"), "outside", at("198.51.100.9"));
        assertThat(lines).extracting(e -> e.getMDCPropertyMap().get(SipTrace.MDC_CALL)).containsExactly("in-block");
        assertThat(lines.peek().getFormattedMessage()).startsWith("OUT outside to 192.0.2.5:5060\nOPTIONS sip:peer@");
    }

    @Test
    void aRealmOrALinkedCallIdIsTracedAndClearForgetsBoth() {
        trace.addRealm("inside");
        trace.link("linked-1");
        trace.sent(options("linked-1"), "outside", at("203.0.113.1"));
        trace.sent(options("other"), "inside", at("203.0.113.1"));
        trace.sent(options("not-traced"), "outside", at("203.0.113.1"));
        assertThat(lines).extracting(e -> e.getMDCPropertyMap().get(SipTrace.MDC_CALL))
                .containsExactly("linked-1", "other");
        trace.clear();
        trace.sent(options("linked-1"), "inside", at("203.0.113.1"));
        assertThat(lines).hasSize(2);
        assertThat(trace.describe()).containsEntry("active", false);
    }
}
