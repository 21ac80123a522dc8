package io.edgesbc.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

    @Test
    void findsMetricNamesAndSkipsFunctionsLabelsDurationsAndVariables() {
        assertThat(PromQlNames.of("sum by (direction, method) (rate(edgesbc_sip_messages_total"
                + "{instance=~\"$instance\", realm=~\"$realm\"}[$__rate_interval]))"))
                .containsExactly("edgesbc_sip_messages_total");
        assertThat(PromQlNames.of("sum(rate(a_total[10m])) > 0.1 and sum(rate(a_total[10m])) "
                + "> 3 * sum(rate(b_seconds_count[1h] offset 10m)) unless on (instance) up == 0"))
                .containsExactly("a_total", "b_seconds_count", "up");
        assertThat(PromQlNames.of("process_files_open_files{job=\"x}\"} / ignoring(id) process_files_max_files"))
                .containsExactly("process_files_open_files", "process_files_max_files");
        assertThat(PromQlNames.of("label_values(edgesbc_sip_messages_total{instance=~\"$instance\"}, realm)"))
                .containsExactly("edgesbc_sip_messages_total");
        assertThat(PromQlNames.of("max(x) by (gc) / min without (a) (y:rule) * 1e3"))
                .containsExactly("x", "y:rule");
    }
}
