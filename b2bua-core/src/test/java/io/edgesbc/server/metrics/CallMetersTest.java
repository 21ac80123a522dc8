package io.edgesbc.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgesbc.b2bua.CallLabels;
import io.edgesbc.b2bua.CallRecord;
import io.edgesbc.b2bua.CallSnapshot;
import io.edgesbc.b2bua.MediaSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The call meters as Prometheus exposes them, fed with the events of a few calls. */
class CallMetersTest {

    private static final CallLabels CARRIER = new CallLabels("carrier-a", "pbx", "to-pbx");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final CallMeters meters = new CallMeters(registry);

    private static CallSnapshot call(String id, CallLabels labels, long start, long ring, long answer) {
        return new CallSnapshot(id, "uas-" + id, id, "outside", "inside", labels, "x", "alice", "+49301", start, ring,
                answer);
    }

    private static CallRecord end(CallSnapshot c, long end, CallRecord.Outcome outcome, int uasCode,
                                  CallRecord.EndedBy by) {
        return new CallRecord(c, end, outcome, uasCode, uasCode, by, "test", MediaSummary.NONE);
    }

    /**
     * The value of one sample of the scrape: {@code name{a="x",b="y"}} with the labels in any order
     * (the exposition orders them its own way).
     */
    private double sample(String nameAndLabels) {
        String name = nameAndLabels.substring(0, nameAndLabels.indexOf('{'));
        java.util.Set<String> labels = labelsOf(nameAndLabels);
        for (String line : registry.scrape().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.startsWith(name + "{") && labelsOf(line.substring(0, space)).equals(labels)) {
                return Double.parseDouble(line.substring(space + 1).trim());
            }
        }
        throw new AssertionError("no sample " + nameAndLabels + " in\n" + registry.scrape());
    }

    private static java.util.Set<String> labelsOf(String sample) {
        String inner = sample.substring(sample.indexOf('{') + 1, sample.lastIndexOf('}'));
        return java.util.Set.of(inner.split(","));
    }

    @Test
    void anAnsweredCallCountsItsAttemptAnswerDelaysAndDuration() {
        CallSnapshot started = call("c1", CARRIER, 1_000, -1, -1);
        meters.started(started);
        assertThat(sample("edgesbc_calls_active{realm=\"outside\",trunk=\"carrier-a\"}")).isEqualTo(1);
        meters.ringing(call("c1", CARRIER, 1_000, 1_700, -1));
        meters.answered(call("c1", CARRIER, 1_000, 1_700, 4_500));
        meters.ended(end(call("c1", CARRIER, 1_000, 1_700, 4_500), 94_500, CallRecord.Outcome.ANSWERED, 200,
                CallRecord.EndedBy.CALLER));

        String l = "realm=\"outside\",trunk=\"carrier-a\"";
        assertThat(sample("edgesbc_calls_attempts_total{" + l + "}")).isEqualTo(1);
        assertThat(sample("edgesbc_calls_answered_total{" + l + "}")).isEqualTo(1);
        assertThat(sample("edgesbc_calls_active{" + l + "}")).isZero();
        // PDD 0.7 s: in the 1 s bucket, not in the 0.5 s one.
        assertThat(sample("edgesbc_call_post_dial_delay_seconds_bucket{" + l + ",le=\"0.5\"}")).isZero();
        assertThat(sample("edgesbc_call_post_dial_delay_seconds_bucket{" + l + ",le=\"1.0\"}")).isEqualTo(1);
        assertThat(sample("edgesbc_call_post_dial_delay_seconds_sum{" + l + "}")).isEqualTo(0.7);
        // 3.5 s to the answer (a bucket's le is inclusive: 3.0 would count in le="3.0").
        assertThat(sample("edgesbc_call_answer_delay_seconds_bucket{" + l + ",le=\"3.0\"}")).isZero();
        assertThat(sample("edgesbc_call_answer_delay_seconds_bucket{" + l + ",le=\"5.0\"}")).isEqualTo(1);
        // 90 s of talk.
        assertThat(sample("edgesbc_call_duration_seconds_bucket{" + l + ",le=\"60.0\"}")).isZero();
        assertThat(sample("edgesbc_call_duration_seconds_bucket{" + l + ",le=\"120.0\"}")).isEqualTo(1);
        assertThat(sample("edgesbc_call_duration_seconds_sum{" + l + "}")).isEqualTo(90);
        assertThat(sample("edgesbc_call_duration_seconds_count{" + l + "}")).isEqualTo(1);
        assertThat(sample("edgesbc_calls_ended_total{ended_by=\"caller\",outcome=\"answered\"," + l + "}"))
                .isEqualTo(1);
        assertThat(registry.scrape()).doesNotContain("edgesbc_calls_failed_total{");
    }

    @Test
    void unansweredCallsCountAsFailedByTheCallersFinalCodeAndRefusalsAreAttemptsToo() {
        CallSnapshot busy = call("c2", CARRIER, 0, 300, -1);
        meters.started(busy);
        meters.ringing(busy);
        meters.ended(end(busy, 2_000, CallRecord.Outcome.FAILED, 486, CallRecord.EndedBy.CALLEE));
        CallSnapshot odd = call("c3", CARRIER, 0, -1, -1);
        meters.started(odd);
        meters.ended(end(odd, 1_000, CallRecord.Outcome.FAILED, 499, CallRecord.EndedBy.CALLEE));
        // A refusal before any UAC leg: its only event is ended(); no labels, so trunk "none".
        CallSnapshot refused = new CallSnapshot("r1", "uas-r1", null, "outside", null, CallLabels.NONE, "ended",
                "mallory", "0900", 0, -1, -1);
        meters.ended(end(refused, 0, CallRecord.Outcome.REJECTED, 403, CallRecord.EndedBy.EDGESBC));

        String l = "realm=\"outside\",trunk=\"carrier-a\"";
        assertThat(sample("edgesbc_calls_attempts_total{" + l + "}")).isEqualTo(2);
        assertThat(sample("edgesbc_calls_active{" + l + "}")).isZero();
        assertThat(sample("edgesbc_calls_failed_total{code=\"486\"," + l + ",status_class=\"4xx\"}")).isEqualTo(1);
        assertThat(sample("edgesbc_calls_failed_total{code=\"other\"," + l + ",status_class=\"4xx\"}"))
                .as("an unknown code does not become a label value").isEqualTo(1);
        assertThat(sample("edgesbc_calls_attempts_total{realm=\"outside\",trunk=\"none\"}")).isEqualTo(1);
        assertThat(sample("edgesbc_calls_active{realm=\"outside\",trunk=\"none\"}")).as("never active").isZero();
        assertThat(sample("edgesbc_calls_failed_total{code=\"403\",realm=\"outside\",status_class=\"4xx\","
                + "trunk=\"none\"}")).isEqualTo(1);
        assertThat(sample("edgesbc_calls_ended_total{ended_by=\"edgesbc\",outcome=\"rejected\",realm=\"outside\","
                + "trunk=\"none\"}")).isEqualTo(1);
        assertThat(sample("edgesbc_call_post_dial_delay_seconds_count{" + l + "}")).isEqualTo(1);
        assertThat(sample("edgesbc_call_duration_seconds_count{" + l + "}")).as("only answered calls").isZero();
    }

    @Test
    void aCallAnsweredThenEndedByATimeoutIsAnsweredNotFailed() {
        CallSnapshot c = call("c4", CARRIER, 0, -1, 500);
        meters.started(c);
        meters.answered(c);
        meters.ended(end(c, 32_500, CallRecord.Outcome.TIMED_OUT, 200, CallRecord.EndedBy.EDGESBC));
        String l = "realm=\"outside\",trunk=\"carrier-a\"";
        assertThat(sample("edgesbc_call_duration_seconds_sum{" + l + "}")).isEqualTo(32);
        assertThat(registry.scrape()).doesNotContain("edgesbc_calls_failed_total{");
        assertThat(sample("edgesbc_calls_ended_total{ended_by=\"edgesbc\",outcome=\"timed_out\"," + l + "}"))
                .isEqualTo(1);
    }

    @Test
    void preparedSeriesExistAtZeroBeforeTheFirstCall() {
        meters.prepare("inside", null);
        meters.prepare("outside", "carrier-b");
        assertThat(sample("edgesbc_calls_attempts_total{realm=\"inside\",trunk=\"none\"}")).isZero();
        assertThat(sample("edgesbc_calls_answered_total{realm=\"outside\",trunk=\"carrier-b\"}")).isZero();
        assertThat(sample("edgesbc_calls_active{realm=\"outside\",trunk=\"carrier-b\"}")).isZero();
        assertThat(sample("edgesbc_call_post_dial_delay_seconds_count{realm=\"inside\",trunk=\"none\"}")).isZero();
    }

    @Test
    void noLabelCarriesACallIdOrAUser() {
        CallSnapshot c = call("secret-call-id", CARRIER, 0, 100, 200);
        meters.started(c);
        meters.ringing(c);
        meters.answered(c);
        meters.ended(end(c, 300, CallRecord.Outcome.ANSWERED, 200, CallRecord.EndedBy.CALLEE));
        assertThat(registry.scrape()).doesNotContain("secret-call-id", "alice", "+49301");
    }
}
