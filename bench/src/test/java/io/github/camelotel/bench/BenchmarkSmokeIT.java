package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's code path at a few purchases per second for a few seconds (no timing is checked: a benchmark is
 * never a timed test): the stack starts, the pipeline with tracing on and the floor run (tracing off, the same
 * pipeline with one switch, only in the full run), the floor does exactly the pipeline's I/O per purchase (counted
 * on the servers), and the JSON, Markdown and PNG are written with their fields.
 */
class BenchmarkSmokeIT {

    @Test
    void runsEveryStepAndWritesTheResults() throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".."))
                .toAbsolutePath()
                .normalize();
        Options options = Options.smoke();
        options.output = "bench/target/smoke-results";

        Path base = new Benchmark(options, root).run();

        JsonNode results = new ObjectMapper()
                .readTree(base.resolveSibling(base.getFileName() + ".json").toFile());
        assertThat(results.path("machine").path("cores").asInt()).isPositive();
        assertThat(results.path("machine").path("memoryGiB").asDouble()).isPositive();
        JsonNode scenarios = results.path("scenarios");
        assertThat(scenarios.size())
                .as("search and fixed-rate scenarios in both modes")
                .isGreaterThanOrEqualTo(4);
        for (JsonNode scenario : scenarios) {
            assertThat(scenario.path("sent").asLong()).as(scenario.toString()).isPositive();
            assertThat(scenario.path("completed").asLong())
                    .as("completed end to end: %s", scenario)
                    .isPositive();
            assertThat(scenario.path("latencyMs").path("p99").asLong())
                    .isGreaterThanOrEqualTo(
                            scenario.path("latencyMs").path("p50").asLong());
            assertThat(scenario.path("perSecond").size()).isPositive();
        }
        assertThat(scenarios.findValuesAsText("tracing"))
                .contains("on", "floor")
                .doesNotContain("off");
        JsonNode io = results.path("ioPerPurchase");
        JsonNode pipeline = io.path("on").path("perPurchase");
        System.out.println("I/O per purchase: " + io);
        assertThat(io.path("on").path("purchases").asLong())
                .as("purchases counted")
                .isPositive();
        assertThat(pipeline.path("postgresql orders rows").asDouble()).isEqualTo(1.0);
        assertThat(pipeline.path("postgresql audit_log rows").asDouble()).isEqualTo(2.0);
        assertThat(pipeline.path("smtp mails").asDouble()).isEqualTo(1.0);
        assertThat(pipeline.path("s3 objects").asDouble()).isEqualTo(1.0);
        JsonNode floor = io.path("floor");
        assertThat(floor.path("failedOrLost").asLong()).isZero();
        pipeline.fieldNames().forEachRemaining(count -> {
            // PostgreSQL's table statistics are published late (best effort): counted, not compared
            if (!count.contains("tuples written") && !count.contains("index scans")) {
                assertThat(floor.path("perPurchase").path(count).asDouble())
                        .as("%s per purchase, floor vs pipeline", count)
                        .isEqualTo(pipeline.path(count).asDouble());
            }
        });
        JsonNode on = scenarios.get(0);
        assertThat(on.path("tracing").asText()).isEqualTo("on");
        assertThat(on.path("spansReceived").asLong())
                .as("tracing on exports spans to the sink")
                .isPositive();
        JsonNode summary = results.path("summary");
        assertThat(summary.path("headline")
                        .path("pipelineToFloorCpu")
                        .path("value")
                        .asDouble())
                .as("pipeline/floor CPU per purchase")
                .isPositive();
        assertThat(summary.path("atShareOfMax")
                        .path("50 %")
                        .path("floor")
                        .path("cpuMsPerPurchase")
                        .path("mean")
                        .asDouble())
                .isPositive();
        assertThat(summary.path("maxSustainedRate")
                        .path("floor")
                        .path("perBlock")
                        .size())
                .isEqualTo(1);
        assertThat(summary.path("targets").size()).isEqualTo(7);
        assertThat(summary.path("targets").findValuesAsText("boundBy"))
                .as("what bounds each target")
                .hasSize(7)
                .allSatisfy(bound -> assertThat(bound).isNotBlank());
        JsonNode app4Memory =
                results.path("blocks").get(0).path("memoryMiBAfter").path("app4-worker");
        assertThat(app4Memory.path("heapCommitted").asDouble()
                        + app4Memory.path("metaspaceCommitted").asDouble())
                .as("heap and metaspace are part of the resident set")
                .isPositive()
                .isLessThan(app4Memory.path("rss").asDouble());
        JsonNode benchGc = results.path("blocks").get(0).path("gc").path("bench JVM (Kafka, SMTP, span sink)");
        assertThat(benchGc.path("pauses").asLong())
                .as("the bench JVM collects while it hosts the broker")
                .isPositive();
        assertThat(benchGc.path("liveHeapMiBAfter").asLong())
                .as("the broker's live heap")
                .isPositive();
        assertThat(summary.path("rssMiBAfterEachBlock")
                        .path("app4-worker")
                        .get(0)
                        .asDouble())
                .isPositive();
        assertThat(summary.path("startupMsAllAppsTogetherPerBlock")
                        .path("executor")
                        .get(0)
                        .asLong())
                .isPositive();
        assertThat(Files.readString(base.resolveSibling(base.getFileName() + ".md")))
                .contains(
                        "## Against the targets",
                        "cores",
                        "## The floor",
                        "Headline",
                        "of it PostgreSQL + Redis + S3 (per block)");
        assertThat(Files.size(base.resolveSibling(base.getFileName() + ".png"))).isGreaterThan(10_000);
    }
}
