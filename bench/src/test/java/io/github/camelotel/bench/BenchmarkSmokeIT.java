package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's code path at a few purchases per second for a few seconds (no figure is checked: a benchmark is
 * never a timed test): the stack starts, both tracing modes run, and the JSON, Markdown and PNG are written with
 * their fields.
 */
class BenchmarkSmokeIT {

    @Test
    void runsEveryStepAndWritesTheResults() throws Exception {
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        Options options = Options.smoke();
        options.output = "bench/target/smoke-results";

        Path base = new Benchmark(options, root).run();

        JsonNode results = new ObjectMapper().readTree(base.resolveSibling(base.getFileName() + ".json").toFile());
        assertThat(results.path("machine").path("cores").asInt()).isPositive();
        assertThat(results.path("machine").path("memoryGiB").asDouble()).isPositive();
        JsonNode scenarios = results.path("scenarios");
        assertThat(scenarios.size()).as("search and fixed-rate scenarios in both modes").isGreaterThanOrEqualTo(4);
        for (JsonNode scenario : scenarios) {
            assertThat(scenario.path("sent").asLong()).as(scenario.toString()).isPositive();
            assertThat(scenario.path("completed").asLong()).as("completed end to end: %s", scenario).isPositive();
            assertThat(scenario.path("latencyMs").path("p99").asLong()).isGreaterThanOrEqualTo(scenario.path("latencyMs").path("p50").asLong());
            assertThat(scenario.path("perSecond").size()).isPositive();
        }
        assertThat(scenarios.findValuesAsText("tracing")).contains("on", "off");
        JsonNode on = scenarios.get(0);
        assertThat(on.path("tracing").asText()).isEqualTo("on");
        assertThat(on.path("spansReceived").asLong()).as("tracing on exports spans to the sink").isPositive();
        JsonNode summary = results.path("summary");
        assertThat(summary.path("targets").size()).isEqualTo(6);
        assertThat(summary.path("targets").findValuesAsText("boundBy")).as("what bounds each target").hasSize(6)
                .allSatisfy(bound -> assertThat(bound).isNotBlank());
        JsonNode app4Memory = results.path("blocks").get(0).path("memoryMiBAfter").path("app4-worker");
        assertThat(app4Memory.path("heapCommitted").asDouble() + app4Memory.path("metaspaceCommitted").asDouble())
                .as("heap and metaspace are part of the resident set").isPositive()
                .isLessThan(app4Memory.path("rss").asDouble());
        assertThat(summary.path("rssMiBAfterEachBlock").path("app4-worker").get(0).asDouble()).isPositive();
        assertThat(summary.path("startupMsAllAppsTogetherPerBlock").path("executor").get(0).asLong()).isPositive();
        assertThat(Files.readString(base.resolveSibling(base.getFileName() + ".md"))).contains("## Against the targets", "cores");
        assertThat(Files.size(base.resolveSibling(base.getFileName() + ".png"))).isGreaterThan(10_000);
    }
}
