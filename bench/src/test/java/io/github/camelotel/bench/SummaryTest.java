package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void aRatioStandsOnItsOwnRepeatsWhenTheMachineSlowsBothSidesAlike() {
        // every repeat of the pipeline costs 2 × the floor's, while the machine ran 20 % slower in the second repeat
        Map<String, Object> summary = Summary.of(
                fixedAtHalf(
                        Map.of(Benchmark.ON, new double[] {50, 60, 52}, Benchmark.FLOOR, new double[] {25, 30, 26})),
                blocks(),
                Map.of(),
                List.of(0.5));

        Map<String, Object> atHalf = at50(summary);
        assertThat(repeats(atHalf, Benchmark.ON).get("agree")).isEqualTo(false);
        assertThat(repeats(atHalf, Benchmark.FLOOR).get("agree")).isEqualTo(false);
        Map<?, ?> ratio = (Map<?, ?>) atHalf.get("pipelineToFloorCpu");
        assertThat(ratio.get("perRepeat")).isEqualTo(List.of(2.0, 2.0, 2.0));
        assertThat(ratio.get("stands")).isEqualTo(true);
        assertThat(ratio.get("value")).isEqualTo(2.0);
    }

    @Test
    void aRatioWhoseRepeatsDisagreeDoesNotStandAndEachTargetSaysHowManyRepeatsMeetIt() {
        // tracing off ran 25 % cheaper in the second repeat only: on/off is 1.0, 1.25, 1.0
        Map<String, Object> summary = Summary.of(
                fixedAtHalf(Map.of(Benchmark.ON, new double[] {50, 50, 50}, Benchmark.OFF, new double[] {50, 40, 50})),
                blocks(),
                Map.of(),
                List.of(0.5));

        Map<?, ?> ratio = (Map<?, ?>) at50(summary).get("onToOffCpu");
        assertThat(ratio.get("perRepeat")).isEqualTo(List.of(1.0, 1.25, 1.0));
        assertThat(ratio.get("stands")).isEqualTo(false);
        Map<?, ?> cpuTarget = target(summary, "tracing on vs off: ≤ 10 % more CPU");
        // 50 / 46.67 = 1.071 on the means meets ≤ 1.10, but the second repeat alone does not
        assertThat(cpuTarget.get("met")).isEqualTo(true);
        assertThat(cpuTarget.get("repeatsMeetingIt")).isEqualTo("2 of 3");
        assertThat(cpuTarget.get("measured").toString()).contains("per repeat [1.0, 1.25, 1.0]", "does not stand");
        // p99 per block 90, 110, 95 ms (see fixedAtHalf): the mean meets ≤ 100 ms, one repeat does not
        Map<?, ?> p99Target = target(summary, "p99 ≤ 100 ms");
        assertThat(p99Target.get("met")).isEqualTo(true);
        assertThat(p99Target.get("repeatsMeetingIt")).isEqualTo("2 of 3");
        assertThat(target(summary, "≥ 150 purchases/s").get("repeatsMeetingIt")).isEqualTo("0 of 3");
    }

    @Test
    void theMachineSpeedGaugeNamesTheServersCostOfEachBlockAtTheSameRate() {
        // the servers cost 25 % more in the first repeat and so does the whole pipeline: that block ran on a slower
        // machine
        List<Map<String, Object>> scenarios = fixedAtHalf(Map.of(Benchmark.ON, new double[] {70, 56, 56}));
        double[] servers = {5, 4, 4};
        for (int repeat = 0; repeat < 3; repeat++) {
            scenarios
                    .get(repeat)
                    .put(
                            "cpuMsPerPurchase",
                            Map.of(
                                    Processes.POSTGRESQL,
                                    servers[repeat] / 2,
                                    Processes.REDIS,
                                    servers[repeat] / 4,
                                    Processes.S3,
                                    servers[repeat] / 4,
                                    "app1-api",
                                    20.0));
        }

        assertThat(Bounds.machineSpeed(scenarios, Benchmark.ON))
                .contains(
                        "at the same 17/s in blocks 1, 4, 7",
                        "cost 5.0, 4.0, 4.0 ms of CPU per purchase (spread 23.1 %)",
                        "the whole pipeline 70.0, 56.0, 56.0 ms");
        assertThat(Bounds.machineSpeed(scenarios.subList(0, 1), Benchmark.ON)).isEmpty();
    }

    /** Fixed runs at 50 % of the maximum, one per mode and repeat, with the given CPU ms per purchase. */
    private static List<Map<String, Object>> fixedAtHalf(Map<String, double[]> cpuPerRepeat) {
        List<Map<String, Object>> scenarios = new ArrayList<>();
        double[] p99 = {90, 110, 95};
        for (int repeat = 0; repeat < 3; repeat++) {
            int block = repeat * 3;
            for (String mode : Benchmark.MODES) {
                block++;
                if (!cpuPerRepeat.containsKey(mode)) {
                    continue;
                }
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("kind", "fixed");
                s.put("tracing", mode);
                s.put("block", block);
                s.put("offeredRate", 17.0);
                s.put("shareOfMax", 0.5);
                s.put("cpuMsPerPurchaseTotal", cpuPerRepeat.get(mode)[repeat]);
                s.put("latencyMs", Map.of("p50", 40, "p99", p99[repeat]));
                s.put("completedRate", 17.0);
                s.put("failed", 0);
                s.put("lost", 0);
                s.put("sustained", true);
                scenarios.add(s);
            }
        }
        return scenarios;
    }

    private static List<Map<String, Object>> blocks() {
        List<Map<String, Object>> blocks = new ArrayList<>();
        for (int block = 1; block <= 3; block++) {
            blocks.add(Map.of(
                    "block",
                    block,
                    "tracing",
                    Benchmark.ON,
                    "maxSustainedRate",
                    34.0,
                    "startupMs",
                    Map.of(),
                    "rssMiBAfter",
                    Map.of()));
        }
        return blocks;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at50(Map<String, Object> summary) {
        return (Map<String, Object>) ((Map<String, Object>) summary.get("atShareOfMax")).get("50 %");
    }

    private static Map<?, ?> repeats(Map<String, Object> atShare, String mode) {
        return (Map<?, ?>) ((Map<?, ?>) atShare.get(mode)).get("cpuMsPerPurchase");
    }

    @SuppressWarnings("unchecked")
    private static Map<?, ?> target(Map<String, Object> summary, String prefix) {
        return ((List<Map<String, Object>>) summary.get("targets"))
                .stream()
                        .filter(t -> t.get("target").toString().startsWith(prefix))
                        .findFirst()
                        .orElseThrow();
    }
}
