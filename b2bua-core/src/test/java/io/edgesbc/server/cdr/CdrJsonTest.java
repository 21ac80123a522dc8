package io.edgesbc.server.cdr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import io.edgesbc.b2bua.MediaSummary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON line of a CDR: its fields, their formats, and escaping that keeps a record on one line. */
class CdrJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CdrJson cdrJson = new CdrJson();

    private JsonNode parse(CallRecord record) throws Exception {
        String line = new String(cdrJson.line(record), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).as("one line per record").doesNotContain("\n", "\r");
        return JSON.readTree(line);
    }

    @Test
    void anAnsweredCallHasEveryFieldInUtcWithMilliseconds() throws Exception {
        JsonNode cdr = parse(CdrRecords.answered("0-77aa"));
        List<String> fields = new java.util.ArrayList<>();
        cdr.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("cdr_version", "id", "uas_call_id", "uac_call_id", "caller_realm",
                "callee_realm", "source_trunk", "target_trunk", "rule", "caller", "called", "start_time", "ring_time",
                "answer_time", "end_time", "duration_seconds", "uas_code", "uac_code", "outcome", "ended_by",
                "reason", "media");
        assertThat(cdr.get("cdr_version").asInt()).isEqualTo(1);
        assertThat(cdr.get("id").asText()).isEqualTo("0-77aa");
        assertThat(cdr.get("uas_call_id").asText()).isEqualTo("a84b4c76e66710@pc33.example.com");
        assertThat(cdr.get("uac_call_id").asText()).isEqualTo("0-77aa");
        assertThat(cdr.get("caller_realm").asText()).isEqualTo("outside");
        assertThat(cdr.get("callee_realm").asText()).isEqualTo("inside");
        assertThat(cdr.get("source_trunk").asText()).isEqualTo("carrier-a");
        assertThat(cdr.get("target_trunk").asText()).isEqualTo("pbx");
        assertThat(cdr.get("rule").asText()).isEqualTo("to-pbx");
        assertThat(cdr.get("caller").asText()).isEqualTo("alice");
        assertThat(cdr.get("called").asText()).isEqualTo("+4930123456");
        assertThat(cdr.get("start_time").asText()).isEqualTo("2026-11-23T08:15:30.250Z");
        assertThat(cdr.get("ring_time").asText()).isEqualTo("2026-11-23T08:15:31.750Z");
        assertThat(cdr.get("answer_time").asText()).isEqualTo("2026-11-23T08:15:34.250Z");
        assertThat(cdr.get("end_time").asText()).isEqualTo("2026-11-23T08:16:36.750Z");
        assertThat(cdr.get("duration_seconds").asDouble()).isEqualTo(62.5);
        assertThat(cdr.get("uas_code").asInt()).isEqualTo(200);
        assertThat(cdr.get("uac_code").asInt()).isEqualTo(200);
        assertThat(cdr.get("outcome").asText()).isEqualTo("answered");
        assertThat(cdr.get("ended_by").asText()).isEqualTo("caller");
        assertThat(cdr.get("reason").asText()).isEqualTo("BYE from the caller");
        JsonNode media = cdr.get("media");
        assertThat(media.get("anchored").asBoolean()).isTrue();
        assertThat(media.get("caller").get("packets").asLong()).isEqualTo(3125);
        assertThat(media.get("caller").get("bytes").asLong()).isEqualTo(537_500);
        assertThat(media.get("caller").get("lost").asLong()).isEqualTo(2);
        assertThat(media.get("caller").get("jitter_ms").asDouble()).isEqualTo(1.25);
        assertThat(media.get("callee").get("packets").asLong()).isEqualTo(3120);
    }

    @Test
    void momentsThatNeverCameAndCodesNeverGivenAreNull() throws Exception {
        JsonNode cdr = parse(CdrRecords.rejected("0-1"));
        for (String f : List.of("uac_call_id", "callee_realm", "source_trunk", "target_trunk", "rule", "ring_time",
                "answer_time", "uac_code")) {
            assertThat(cdr.get(f).isNull()).as(f).isTrue();
        }
        assertThat(cdr.get("start_time").asText()).isEqualTo(cdr.get("end_time").asText());
        assertThat(cdr.get("uas_code").asInt()).isEqualTo(403);
        assertThat(cdr.get("outcome").asText()).isEqualTo("rejected");
        assertThat(cdr.get("ended_by").asText()).isEqualTo("edgesbc");
        assertThat(cdr.get("duration_seconds").asDouble()).isZero();
        assertThat(cdr.get("media").get("anchored").asBoolean()).isFalse();
        assertThat(cdr.get("media").get("callee").get("packets").asLong()).isZero();
    }

    @Test
    void whateverAPartySentIsEscapedAndComesBackUnchanged() throws Exception {
        // User parts and Call-IDs come from the wire; a reason may quote them.
        String nasty = "al\"ice\\\n\r\t\u0000\u001f\u2028 <script> ünïcødé 📞";
        CallSnapshot call = new CallSnapshot("0-9", "id\"with\nbreak", null, "outside", null,
                new CallLabels("trunk\"q", null, "rule\\x"), "ended", nasty, "}{\"", CdrRecords.START, -1, -1);
        CallRecord record = new CallRecord(call, CdrRecords.START, CallRecord.Outcome.FAILED, 400, 0,
                CallRecord.EndedBy.EDGESBC, "bad: " + nasty, MediaSummary.NONE);
        JsonNode cdr = parse(record);
        assertThat(cdr.get("caller").asText()).isEqualTo(nasty);
        assertThat(cdr.get("called").asText()).isEqualTo("}{\"");
        assertThat(cdr.get("uas_call_id").asText()).isEqualTo("id\"with\nbreak");
        assertThat(cdr.get("source_trunk").asText()).isEqualTo("trunk\"q");
        assertThat(cdr.get("rule").asText()).isEqualTo("rule\\x");
        assertThat(cdr.get("reason").asText()).isEqualTo("bad: " + nasty);
    }
}
