package io.github.camelotel.bench;

import io.github.camelotel.load.LoadReport;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/** A run's results as written to its JSON (the records' component names are the JSON's field names). */
final class Results {

    private Results() {}

    record Run(
            String date,
            double minutes,
            Machine machine,
            Options options,
            List<String> jvmOptions,
            Headline headline,
            double commonRate,
            List<Target> targets,
            Map<String, Parity> ioPerPurchase,
            List<Block> blocks,
            List<Scenario> scenarios) {}

    record Machine(int cores, String cpuModel, String java, String loadAtStart, String loadAtEnd) {}

    /** The figures any tool reads first; cpuMsPerPurchase at the common rate, which every mode sustains. */
    record Headline(
            Modes<Double> maxSustainedPerSecond,
            Modes<Cpu> cpuMsPerPurchase,
            Double stackResidentMiB,
            Double firstPurchaseSeconds,
            boolean steadyState) {}

    record Modes<T>(T on, T off, T floor) {
        static <T> Modes<T> of(Function<String, T> figure) {
            return new Modes<>(figure.apply(Benchmark.ON), figure.apply(Benchmark.OFF), figure.apply(Benchmark.FLOOR));
        }
    }

    record Cpu(double apps, double servers) {}

    /** A target of the issue, met when the measured figure is within its limit (null: not measured in this run). */
    record Target(String name, Double measured, double limit, boolean atMost, Boolean met) {
        static Target of(String name, Double measured, double limit, boolean atMost) {
            boolean none = measured == null || measured.isNaN();
            return new Target(
                    name,
                    none ? null : Processes.round2(measured),
                    limit,
                    atMost,
                    none ? null : atMost == (measured <= limit));
        }
    }

    record Parity(long purchases, long failedOrLost, Map<String, Double> perPurchase) {}

    /** One block: a mode's processes (re)started, warmed up, searched and measured (resident at the common rate). */
    record Block(int block, String mode, WarmUp warmUp, double maxSustained, double stackResidentMiB) {}

    /** The warm-up's windows are load runs: met when the apps' CPU per purchase stopped falling. */
    record WarmUp(boolean met, double seconds, List<Scenario> windows) {

        /**
         * Whether costs (oldest first, at one rate) stopped falling: the median of the last {@code medianOf} is no
         * lower than that of the {@code medianOf} before, less {@code tolerance}. Medians, since one window's cost is
         * noisy and must neither meet the rule nor break it alone (bench/README.md, "Why the rules").
         */
        static boolean stoppedFalling(List<Double> costs, int medianOf, double tolerance) {
            int n = costs.size();
            return n >= 2 * medianOf
                    && median(costs.subList(n - medianOf, n))
                            >= median(costs.subList(n - 2 * medianOf, n - medianOf)) * (1 - tolerance);
        }

        private static double median(List<Double> values) {
            double[] sorted =
                    values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
        }
    }

    /** One load run at a fixed rate, its verdict and what it cost each process (CPU ms per completed purchase). */
    record Scenario(
            String name,
            String kind,
            String mode,
            int block,
            double offeredRate,
            double completedRate,
            boolean sustained,
            String verdict,
            Cpu cpuMs,
            Map<String, Double> cpuMsPerPurchase,
            LoadReport load) {}

    static Headline headline(List<Block> blocks, List<Scenario> scenarios, Double firstPurchaseSeconds) {
        Modes<Double> max =
                Modes.of(mode -> mean(blocks.stream().filter(b -> b.mode().equals(mode)), Block::maxSustained));
        Modes<Cpu> cpu = Modes.of(mode -> {
            List<Scenario> common = scenarios.stream()
                    .filter(s -> s.kind().equals(Benchmark.COMMON) && s.mode().equals(mode))
                    .toList();
            return common.isEmpty()
                    ? null
                    : new Cpu(
                            mean(common.stream(), s -> s.cpuMs().apps()),
                            mean(common.stream(), s -> s.cpuMs().servers()));
        });
        // the stack users run: the apps with tracing on
        Double rss = mean(blocks.stream().filter(b -> b.mode().equals(Benchmark.ON)), Block::stackResidentMiB);
        boolean steady =
                !blocks.isEmpty() && blocks.stream().allMatch(b -> b.warmUp().met());
        return new Headline(max, cpu, rss, firstPurchaseSeconds, steady);
    }

    /** The targets (2 cores, tracing on, ratios within one run), against this run's headline. */
    static List<Target> targets(Headline headline) {
        Modes<Double> max = headline.maxSustainedPerSecond();
        Cpu on = headline.cpuMsPerPurchase().on();
        Cpu off = headline.cpuMsPerPurchase().off();
        return List.of(
                Target.of(
                        "apps' CPU per purchase over the servers' (on, common rate)",
                        on == null ? null : on.apps() / on.servers(),
                        1,
                        true),
                Target.of("maximum sustained, on over the floor's", ratio(max.on(), max.floor()), 0.8, false),
                Target.of("maximum sustained, on (purchases/s)", max.on(), 110, false),
                Target.of(
                        "CPU per purchase, on over off (common rate)",
                        on == null || off == null ? null : (on.apps() + on.servers()) / (off.apps() + off.servers()),
                        1.05,
                        true),
                Target.of("whole stack resident, on (MiB)", headline.stackResidentMiB(), 1536, true),
                Target.of("first purchase after the stack starts (s)", headline.firstPurchaseSeconds(), 30, true));
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    private static <T> Double mean(Stream<T> values, ToDoubleFunction<T> figure) {
        var stats = values.mapToDouble(figure).summaryStatistics();
        return stats.getCount() == 0 ? null : Processes.round2(stats.getAverage());
    }
}
