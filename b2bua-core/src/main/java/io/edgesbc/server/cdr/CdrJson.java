package io.edgesbc.server.cdr;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import io.edgesbc.b2bua.MediaSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One CDR as one line of JSON (the fields are listed in docs/OPERATIONS.md). Jackson's generator
 * does the escaping, so a user part or a reason with quotes, backslashes or control characters
 * cannot break the line or the file: every record is exactly one line.
 *
 * <p>Not thread-safe: the CDR writer's one thread owns an instance and reuses its buffer.
 */
final class CdrJson {

    /** Bumped when a field changes meaning or disappears; new fields do not bump it. */
    static final int VERSION = 1;

    /** Fixed width (always milliseconds), UTC: sorts as text and parses as ISO-8601 everywhere. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    /** The record as UTF-8 JSON followed by one newline. */
    byte[] line(CallRecord record) {
        buffer.reset();
        try (JsonGenerator g = factory.createGenerator(buffer, JsonEncoding.UTF8)) {
            write(g, record);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        buffer.write('\n');
        return buffer.toByteArray();
    }

    private static void write(JsonGenerator g, CallRecord r) throws IOException {
        CallSnapshot c = r.call();
        CallLabels labels = c.labels() == null ? CallLabels.NONE : c.labels();
        g.writeStartObject();
        g.writeNumberField("cdr_version", VERSION);
        g.writeStringField("id", c.id());
        g.writeStringField("uas_call_id", c.uasCallId());
        g.writeStringField("uac_call_id", c.uacCallId());
        g.writeStringField("caller_realm", c.callerRealm());
        g.writeStringField("callee_realm", c.calleeRealm());
        g.writeStringField("source_trunk", labels.sourceTrunk());
        g.writeStringField("target_trunk", labels.targetTrunk());
        g.writeStringField("rule", labels.rule());
        g.writeStringField("caller", c.caller());
        g.writeStringField("called", c.called());
        g.writeStringField("start_time", time(c.startMillis()));
        g.writeStringField("ring_time", time(c.ringMillis()));
        g.writeStringField("answer_time", time(c.answerMillis()));
        g.writeStringField("end_time", time(r.endMillis()));
        g.writeNumberField("duration_seconds", r.durationSeconds());
        code(g, "uas_code", r.uasCode());
        code(g, "uac_code", r.uacCode());
        g.writeStringField("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
        g.writeStringField("ended_by", r.endedBy().name().toLowerCase(Locale.ROOT));
        g.writeStringField("reason", r.reason());
        MediaSummary media = r.media() == null ? MediaSummary.NONE : r.media();
        g.writeObjectFieldStart("media");
        g.writeBooleanField("anchored", media.anchored());
        side(g, "caller", media.caller());
        side(g, "callee", media.callee());
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A final code, or null when that leg never had one (0 in the record). */
    private static void code(JsonGenerator g, String name, int code) throws IOException {
        if (code > 0) {
            g.writeNumberField(name, code);
        } else {
            g.writeNullField(name);
        }
    }

    private static void side(JsonGenerator g, String name, MediaSummary.Side side) throws IOException {
        MediaSummary.Side s = side == null ? MediaSummary.Side.ZERO : side;
        g.writeObjectFieldStart(name);
        g.writeNumberField("packets", s.packets());
        g.writeNumberField("bytes", s.bytes());
        g.writeNumberField("lost", s.lost());
        g.writeNumberField("jitter_ms", s.jitterMillis());
        g.writeEndObject();
    }

    /** ISO-8601 UTC with milliseconds, or null for a moment that did not come (-1). */
    static String time(long epochMillis) {
        return epochMillis < 0 ? null : TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
