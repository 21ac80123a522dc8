package io.edgesbc.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesbc.server.trace.SipTrace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped logback.xml (src/main/resources), loaded into a context of its own: the log format
 * variable picks the readable or the JSON console encoder, both show the call's MDC, and the SIP
 * trace logger writes to its own file under EDGESBC_LOG_DIR.
 */
class LogbackConfigTest {

    @TempDir
    Path logDir;

    private LoggerContext configure(String format) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        // Context properties come first when logback resolves ${...}, before system properties and
        // the environment, so this stands for EDGESBC_LOG_FORMAT=... without touching the JVM's.
        if (format != null) {
            context.putProperty("EDGESBC_LOG_FORMAT", format);
        }
        context.putProperty("EDGESBC_LOG_DIR", logDir.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogbackConfigTest.class.getResource("/logback.xml"));
        StringBuilder problems = new StringBuilder();
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            if (s.getLevel() >= Status.WARN) {
                problems.append(s).append('\n');
            }
        }
        assertThat(problems.toString()).as("logback status").isEmpty();
        return context;
    }

    @SuppressWarnings("unchecked")
    private static OutputStreamAppender<ILoggingEvent> console(LoggerContext context) {
        AsyncAppender async = (AsyncAppender) context.getLogger("ROOT").getAppender("ASYNC");
        var it = async.iteratorForAppenders();
        return (OutputStreamAppender<ILoggingEvent>) it.next();
    }

    private static LoggingEvent event(LoggerContext context, Map<String, String> mdc) {
        LoggingEvent e = new LoggingEvent(LogbackConfigTest.class.getName(),
                context.getLogger("io.edgesbc.server.SipCore"), Level.INFO, "no client transaction for {}", null,
                new Object[] {"SIP/2.0 200 OK"});
        e.setMDCPropertyMap(mdc);
        return e;
    }

    @Test
    void jsonFormatWritesOneParsableObjectPerLineWithTheCallFromTheMdc() throws Exception {
        LoggerContext context = configure("json");
        try {
            OutputStreamAppender<ILoggingEvent> console = console(context);
            assertThat(console.getName()).isEqualTo("CONSOLE");
            assertThat(console.getEncoder()).isInstanceOf(JsonEncoder.class);
            byte[] bytes = console.getEncoder().encode(event(context, Map.of(SipTrace.MDC_CALL, "3-9f2c4a")));
            String line = new String(bytes, StandardCharsets.UTF_8);
            assertThat(line).endsWith("\n").doesNotContain("\n{");
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.path("level").asText()).isEqualTo("INFO");
            assertThat(json.path("loggerName").asText()).isEqualTo("io.edgesbc.server.SipCore");
            assertThat(json.path("formattedMessage").asText()).as(line).isEqualTo("no client transaction for SIP/2.0 200 OK");
            assertThat(json.path("mdc").path("call").asText()).isEqualTo("3-9f2c4a");
        } finally {
            context.stop();
        }
    }

    @Test
    void textIsTheDefaultAndNamesTheCallOnlyWhenThereIsOne() throws Exception {
        LoggerContext context = configure(null);
        try {
            OutputStreamAppender<ILoggingEvent> console = console(context);
            assertThat(console.getName()).isEqualTo("CONSOLE");
            String with = new String(console.getEncoder().encode(event(context, Map.of("call", "3-9f2c4a"))),
                    StandardCharsets.UTF_8);
            String without = new String(console.getEncoder().encode(event(context, Map.of())), StandardCharsets.UTF_8);
            assertThat(with).contains("SipCore [call 3-9f2c4a] - no client transaction for SIP/2.0 200 OK");
            assertThat(without).contains("SipCore - no client transaction").doesNotContain("[call");
        } finally {
            context.stop();
        }
    }

    @Test
    void theSipTraceGoesToItsOwnFileOnly() throws Exception {
        LoggerContext context = configure("text");
        var trace = context.getLogger(SipTrace.LOGGER);
        assertThat(trace.isAdditive()).as("trace lines stay off the console").isFalse();
        context.getMDCAdapter().put("call", "traced-1@127.0.0.1");
        trace.info("IN outside udp from 127.0.0.1:5099\nINVITE sip:+4930123456@127.0.0.1 SIP/2.0");
        context.getMDCAdapter().remove("call");
        context.stop(); // drains the async appender into the file
        String file = Files.readString(logDir.resolve("edgesbc-sip-trace.log"));
        assertThat(file).contains("call=traced-1@127.0.0.1 IN outside udp from 127.0.0.1:5099\n"
                + "INVITE sip:+4930123456@127.0.0.1 SIP/2.0");
    }
}
