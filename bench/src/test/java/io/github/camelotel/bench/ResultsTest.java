package io.github.camelotel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.camelotel.bench.Results.Block;
import io.github.camelotel.bench.Results.Cpu;
import io.github.camelotel.bench.Results.Headline;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.bench.Results.Target;
import io.github.camelotel.bench.Results.WarmUp;
import io.github.camelotel.load.LoadPlan;
import io.github.camelotel.load.LoadReport;
import io.github.camelotel.load.LoadReport.Latency;
import io.github.camelotel.load.LoadReport.Second;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTest {

    @Test
    void theHeadlineAveragesEachModeAtTheCommonRateAndIsSteadyOnlyWhenEveryWarmUpWas() {
        List<Block> blocks = List.of(
                block(1, "on", 40, true, 1200),
                block(2, "floor", 80, true, 900),
                block(3, "off", 44, true, 1100),
                block(4, "on", 44, false, 1300));
        List<Scenario> scenarios = List.of(
                scenario("on", Benchmark.COMMON, 30, 10),
                scenario("on", Benchmark.COMMON, 34, 10),
                scenario("on", Benchmark.SEARCH, 99, 99),
                scenario("floor", Benchmark.COMMON, 12, 10),
                scenario("off", Benchmark.COMMON, 28, 10));

        Headline headline = Results.headline(blocks, scenarios, 25.0);

        assertThat(headline.maxSustainedPerSecond()).isEqualTo(new Results.Modes<>(42.0, 44.0, 80.0));
        assertThat(headline.cpuMsPerPurchase().on()).isEqualTo(new Cpu(32, 10));
        assertThat(headline.cpuMsPerPurchase().floor()).isEqualTo(new Cpu(12, 10));
        assertThat(headline.stackResidentMiB())
                .as("the stack users run: tracing on")
                .isEqualTo(1250.0);
        assertThat(headline.steadyState()).isFalse();
        assertThat(Results.headline(blocks.subList(0, 3), scenarios, 25.0).steadyState())
                .isTrue();
    }

    @Test
    void theWarmUpIsMetOnlyWhenTheMedianOfTheLastWindowsStoppedFalling() {
        // the run of 2026-12-04 18:15: a dear window after two cheaper ones met the earlier window-by-window rule
        assertThat(WarmUp.stoppedFalling(List.of(61.0, 57.0, 56.0, 53.4, 53.0, 71.4), 3, 0.03))
                .as("still falling: medians 57.0 then 53.4")
                .isFalse();
        assertThat(WarmUp.stoppedFalling(List.of(40.0, 52.0, 41.0, 43.0, 39.5, 55.0), 3, 0.03))
                .as("noise around a level: medians 41.0 then 43.0")
                .isTrue();
        assertThat(WarmUp.stoppedFalling(List.of(41.0, 40.0, 42.0, 30.0, 40.5, 40.8), 3, 0.03))
                .as("one cheap window does not break it: medians 41.0 then 40.5, within 3 %")
                .isTrue();
        assertThat(WarmUp.stoppedFalling(List.of(50.0, 50.0, 50.0, 50.0, 50.0), 3, 0.03))
                .as("fewer windows than two groups")
                .isFalse();
        assertThat(WarmUp.stoppedFalling(List.of(44.0, 40.0, 43.0, 42.0), 2, 0.03))
                .as("even groups: medians 42.0 then 42.5")
                .isTrue();
    }

    @Test
    void targetsAreMetWithinTheirLimitsAndUnmeasuredWhereAModeDidNotRun() {
        Headline headline = Results.headline(
                List.of(block(1, "on", 120, true, 1400), block(2, "floor", 140, true, 900)),
                List.of(scenario("on", Benchmark.COMMON, 10, 12), scenario("floor", Benchmark.COMMON, 5, 12)),
                40.0);

        Map<String, Boolean> met = new java.util.LinkedHashMap<>();
        Results.targets(headline).forEach(t -> met.put(t.name(), t.met()));

        assertThat(met)
                .containsEntry("apps' CPU per purchase over the servers' (on, common rate)", true)
                .containsEntry("maximum sustained, on over the floor's", true)
                .containsEntry("maximum sustained, on (purchases/s)", true)
                .containsEntry("CPU per purchase, on over off (common rate)", null)
                .containsEntry("whole stack resident, on (MiB)", true)
                .containsEntry("first purchase after the stack starts (s)", false);
        assertThat(Target.of("x", 1.005, 1, true).met()).isFalse();
    }

    @Test
    void aStepIsSustainedOnlyWhenItKeptTheRateWithoutFailuresOrARunawayBacklog() {
        LoadReport steady = report(10, 200, 0, 0, 20);
        double rate = Benchmark.completedRate(steady);

        assertThat(rate).isEqualTo(10.0);
        assertThat(Benchmark.problems(steady, 10, rate, false)).isEmpty();
        assertThat(Benchmark.problems(steady, 20, rate, false))
                .singleElement()
                .asString()
                .contains("completed 10/s");
        assertThat(Benchmark.problems(report(10, 200, 3, 1, 20), 10, rate, true))
                .containsExactly("3 failed, 1 not completed", "stopped early: backlog");
    }

    @Test
    void theMarkdownHasOneTableWithAColumnPerProcess() {
        Headline headline = Results.headline(
                List.of(block(1, "on", 40, true, 1200)), List.of(scenario("on", Benchmark.COMMON, 30, 10)), 20.0);
        Results.Run run = new Results.Run(
                "2026-12-04T10:00:00Z",
                1,
                new Results.Machine(2, "cpu", "java", "0.1", "0.2"),
                Options.smoke(),
                List.of(),
                headline,
                20,
                Results.targets(headline),
                Map.of(),
                List.of(block(1, "on", 40, true, 1200)),
                List.of(scenario("on", Benchmark.COMMON, 30, 10)));

        String markdown = Report.markdown(run, "x.png");

        assertThat(markdown.lines().filter(line -> line.startsWith("|---"))).hasSize(1);
        assertThat(markdown)
                .contains("| app1-api | postgresql |", "| 1 | on | 20/s | 20 | 20 | yes | 50 | 90 | 30 | 10 |", "![");
    }

    private static Block block(int number, String mode, double max, boolean met, double rss) {
        return new Block(number, mode, new WarmUp(met, 60, List.of()), max, rss);
    }

    private static Scenario scenario(String mode, String kind, double apps, double servers) {
        Map<String, Double> perProcess = new LinkedHashMap<>();
        perProcess.put("app1-api", apps);
        perProcess.put("postgresql", servers);
        LoadReport load = report(20, 400, 0, 0, 0);
        return new Scenario("20/s", kind, mode, 1, 20, 20, true, "sustained", new Cpu(apps, servers), perProcess, load);
    }

    /** {@code seconds} seconds at {@code rate}, every second completing it. */
    private static LoadReport report(double rate, long sent, long failed, long inFlight, long seconds) {
        List<Second> perSecond = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            perSecond.add(new Second(i, (long) rate, (long) rate, 0, new Latency(50, 90, 100, 150, 60)));
        }
        return new LoadReport(
                "done",
                new LoadPlan(rate, Math.max(1, seconds), 0),
                4,
                0,
                1L,
                1L,
                seconds,
                sent,
                sent - failed - inFlight,
                failed,
                inFlight,
                "",
                new Latency(50, 80, 90, 200, 55.5),
                perSecond);
    }
}
