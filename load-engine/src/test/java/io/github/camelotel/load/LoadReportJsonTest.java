package io.github.camelotel.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The report's JSON is GET /load's (routes/executor/openapi.yaml), and reads back as the same record. */
class LoadReportJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void writesThePlansRateAsANumberOrMaxAndReadsItBack() throws Exception {
        LoadRun run = new LoadRun(new LoadPlan(LoadPlan.parseRate("max"), 0, 1), 4);
        run.drain(0);

        JsonNode written = json.valueToTree(run.report());

        assertThat(written.fieldNames())
                .toIterable()
                .containsExactly(
                        "state",
                        "plan",
                        "concurrency",
                        "startedAt",
                        "sendingEndedAt",
                        "doneAt",
                        "sendingSeconds",
                        "sent",
                        "completed",
                        "failed",
                        "inFlight",
                        "lastFailure",
                        "latencyMs",
                        "seconds");
        assertThat(written.path("plan").toString()).isEqualTo("{\"rate\":\"max\",\"durationSeconds\":0,\"count\":1}");
        assertThat(written.path("latencyMs").fieldNames())
                .toIterable()
                .containsExactly("p50", "p95", "p99", "max", "mean");
        LoadReport read = json.treeToValue(written, LoadReport.class);
        assertThat(read).isEqualTo(run.report());
        assertThat(json.readValue("{\"rate\":20.0,\"durationSeconds\":60,\"count\":0}", LoadPlan.class))
                .isEqualTo(new LoadPlan(20, 60, 0));
    }
}
