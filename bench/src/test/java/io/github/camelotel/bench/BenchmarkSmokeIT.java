package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's whole code path at a few purchases per second for a few seconds (never a timing: a benchmark is no
 * timed test): the stack starts, the pipeline with tracing on, the floor and the pipeline with tracing off run, the
 * floor does exactly the pipeline's I/O per purchase (counted on the servers), and the JSON with its headline, the
 * Markdown table and the plot are written.
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
        JsonNode headline = results.path("headline");
        assertThat(headline.fieldNames())
                .toIterable()
                .containsExactly(
                        "maxSustainedPerSecond",
                        "cpuMsPerPurchase",
                        "stackResidentMiB",
                        "firstPurchaseSeconds",
                        "steadyState");
        for (String mode : List.of("on", "off", "floor")) {
            // a number, whatever it is: whether a few seconds at 5/s are sustained is the machine's timing
            assertThat(headline.path("maxSustainedPerSecond").path(mode).isNumber())
                    .as(mode)
                    .isTrue();
            assertThat(headline.path("cpuMsPerPurchase").path(mode).path("apps").asDouble())
                    .as(mode)
                    .isPositive();
            assertThat(headline.path("cpuMsPerPurchase")
                            .path(mode)
                            .path("servers")
                            .asDouble())
                    .as(mode)
                    .isPositive();
        }
        assertThat(headline.path("stackResidentMiB").asDouble()).isPositive();
        assertThat(headline.path("firstPurchaseSeconds").asDouble()).isPositive();
        assertThat(headline.path("steadyState").isBoolean()).isTrue();
        assertThat(results.path("targets").findValuesAsText("name")).hasSize(6);
        assertThat(results.path("blocks").findValues("warmUp"))
                .hasSize(3)
                .allSatisfy(warmUp -> assertThat(warmUp.path("windows").size()).isPositive());

        JsonNode scenarios = results.path("scenarios");
        assertThat(scenarios.findValuesAsText("kind")).contains("search", "common");
        for (JsonNode scenario : scenarios) {
            assertThat(scenario.path("load").path("completed").asLong())
                    .as("completed end to end: %s", scenario)
                    .isPositive();
            assertThat(scenario.path("cpuMsPerPurchase").path("span sink").isNumber())
                    .isTrue();
        }

        JsonNode io = results.path("ioPerPurchase");
        System.out.println("I/O per purchase: " + io);
        JsonNode pipeline = io.path("on").path("perPurchase");
        assertThat(io.path("on").path("purchases").asLong()).isPositive();
        assertThat(pipeline.path("postgresql orders rows").asDouble()).isEqualTo(1.0);
        assertThat(pipeline.path("postgresql audit_log rows").asDouble()).isEqualTo(2.0);
        assertThat(pipeline.path("smtp mails").asDouble()).isEqualTo(1.0);
        assertThat(pipeline.path("s3 objects").asDouble()).isEqualTo(1.0);
        for (String other : List.of("floor", "off")) {
            assertThat(io.path(other).path("failedOrLost").asLong()).isZero();
            pipeline.fieldNames()
                    .forEachRemaining(count -> assertThat(io.path(other)
                                    .path("perPurchase")
                                    .path(count)
                                    .asDouble())
                            .as("%s per purchase, %s vs on", count, other)
                            .isEqualTo(pipeline.path(count).asDouble()));
        }

        assertThat(Files.readString(base.resolveSibling(base.getFileName() + ".md")))
                .contains("| block | mode | scenario |", "| span sink |", "| kafka+smtp JVM |");
        assertThat(Files.size(base.resolveSibling(base.getFileName() + ".png"))).isGreaterThan(10_000);
    }
}
