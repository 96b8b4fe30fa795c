package io.github.camelotel.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/** The figures of a run against the targets, as a map (in the JSON) and as the Markdown summary. */
final class Summary {

    private Summary() {
    }

    static String rate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(List<Scenario> scenarios, List<Map<String, Object>> blocks, Map<String, Object> startupAlone) {
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> max = new LinkedHashMap<>();
        for (String tracing : List.of(Benchmark.ON, Benchmark.OFF)) {
            List<Double> perBlock = new ArrayList<>();
            List<Double> completed = new ArrayList<>();
            for (Map<String, Object> block : blocks) {
                if (tracing.equals(block.get("tracing"))) {
                    double rate = ((Number) block.get("maxSustainedRate")).doubleValue();
                    perBlock.add(rate);
                    scenarios.stream().filter(s -> s.kind.equals("search") && s.tracing.equals(tracing)
                            && s.block == ((Number) block.get("block")).intValue() && s.offeredRate == rate)
                            .findFirst().ifPresent(s -> completed.add(s.completedRate));
                }
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("perBlock", perBlock);
            entry.put("mean", mean(perBlock));
            entry.put("completedRatePerBlock", completed);
            max.put(tracing, entry);
        }
        summary.put("maxSustainedRate", max);
        double maxOn = (double) ((Map<String, Object>) max.get(Benchmark.ON)).get("mean");
        double maxOff = (double) ((Map<String, Object>) max.get(Benchmark.OFF)).get("mean");
        summary.put("throughputRatioOnToOff", maxOff == 0 ? null : round3(maxOn / maxOff));

        Map<String, Object> latency = new LinkedHashMap<>();
        List<Double> rates = scenarios.stream().filter(s -> s.kind.equals("fixed")).map(s -> s.offeredRate).distinct().toList();
        for (double rate : rates) {
            Map<String, Object> perMode = new LinkedHashMap<>();
            for (String tracing : List.of(Benchmark.ON, Benchmark.OFF)) {
                List<Scenario> runs = scenarios.stream().filter(s -> s.kind.equals("fixed") && s.offeredRate == rate
                        && s.tracing.equals(tracing)).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("runs", runs.size());
                figures.put("p50", mean(runs, s -> s.p50));
                figures.put("p95", mean(runs, s -> s.p95));
                figures.put("p99", mean(runs, s -> s.p99));
                figures.put("max", runs.stream().mapToLong(s -> s.max).max().orElse(0));
                figures.put("completedRate", mean(runs, s -> s.completedRate));
                figures.put("failed", runs.stream().mapToLong(s -> s.failed + s.lost).sum());
                figures.put("sustained", runs.stream().allMatch(s -> s.sustained));
                perMode.put(tracing, figures);
            }
            if (perMode.containsKey(Benchmark.ON) && perMode.containsKey(Benchmark.OFF)) {
                double on = (double) ((Map<String, Object>) perMode.get(Benchmark.ON)).get("p99");
                double off = (double) ((Map<String, Object>) perMode.get(Benchmark.OFF)).get("p99");
                perMode.put("p99RatioOnToOff", off == 0 ? null : round3(on / off));
            }
            latency.put(rate(rate), perMode);
        }
        summary.put("latencyMsAtFixedRates", latency);

        Map<String, Object> startup = new LinkedHashMap<>();
        Map<String, Object> rss = new LinkedHashMap<>();
        for (Map<String, Object> block : blocks) {
            ((Map<String, Object>) block.get("startupMs")).forEach((app, ms) ->
                    ((List<Object>) startup.computeIfAbsent(app, a -> new ArrayList<>())).add(ms));
            ((Map<String, Object>) block.get("rssMiBAfter")).forEach((app, mib) ->
                    ((List<Object>) rss.computeIfAbsent(app, a -> new ArrayList<>())).add(mib));
        }
        summary.put("startupMsAllAppsTogetherPerBlock", startup);
        summary.put("startupMsEachAlone", startupAlone);
        summary.put("rssMiBAfterEachBlock", rss);
        Map<String, Object> cpu = new LinkedHashMap<>();
        List<Map<String, Object>> all = new ArrayList<>();
        scenarios.forEach(s -> all.add(s.toMap()));
        for (Map<String, Object> best : bestSearchSteps(all)) {
            cpu.put("block " + best.get("block") + " (tracing " + best.get("tracing") + ", " + best.get("name") + ")",
                    best.get("cpuMsPerPurchaseTotal"));
        }
        summary.put("cpuMsPerPurchaseAtMax", cpu);
        summary.put("targets", targets(maxOn, summary, startup, startupAlone, rss));
        return summary;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> targets(double maxOn, Map<String, Object> summary, Map<String, Object> startup,
            Map<String, Object> startupAlone, Map<String, Object> rss) {
        List<Map<String, Object>> targets = new ArrayList<>();
        targets.add(target("≥ 1000 purchases/s end to end, tracing on", rate(maxOn) + "/s", maxOn >= 1000));
        Object ratio = summary.get("throughputRatioOnToOff");
        targets.add(target("tracing costs ≤ 5 % of throughput", ratio == null ? "n/a"
                : String.format(Locale.ROOT, "max on / off = %.2f (cost %.0f %%)", ((Number) ratio).doubleValue(),
                        (1 - ((Number) ratio).doubleValue()) * 100),
                ratio != null && ((Number) ratio).doubleValue() >= 0.95));
        List<String> p99Ratios = new ArrayList<>();
        boolean p99Met = true;
        for (var entry : ((Map<String, Object>) summary.get("latencyMsAtFixedRates")).entrySet()) {
            Object r = ((Map<String, Object>) entry.getValue()).get("p99RatioOnToOff");
            if (r != null) {
                double value = ((Number) r).doubleValue();
                p99Ratios.add(String.format(Locale.ROOT, "%+.0f %% at %s/s", (value - 1) * 100, entry.getKey()));
                p99Met &= value <= 1.10;
            }
        }
        targets.add(target("tracing costs ≤ 10 % of p99 latency", p99Ratios.isEmpty() ? "n/a" : String.join(", ", p99Ratios),
                !p99Ratios.isEmpty() && p99Met));
        Map<String, Object> at100 = (Map<String, Object>) ((Map<String, Object>) summary.get("latencyMsAtFixedRates")).get("100");
        Object p99At100 = at100 == null || at100.get(Benchmark.ON) == null ? null
                : ((Map<String, Object>) at100.get(Benchmark.ON)).get("p99");
        targets.add(target("p99 ≤ 100 ms at 100 purchases/s (tracing on)", p99At100 == null ? "not run" : rate(((Number) p99At100).doubleValue()) + " ms",
                p99At100 != null && ((Number) p99At100).doubleValue() <= 100
                        && Boolean.TRUE.equals(((Map<String, Object>) at100.get(Benchmark.ON)).get("sustained"))));
        Map<String, Object> readiness = startupAlone.isEmpty() ? lastOf(startup) : startupAlone;
        long slowest = readiness.entrySet().stream().filter(e -> !e.getKey().endsWith("cpuSeconds"))
                .mapToLong(e -> ((Number) e.getValue()).longValue()).max().orElse(0);
        targets.add(target("each app ready ≤ 3 s" + (startupAlone.isEmpty() ? "" : " (started alone)"),
                "slowest " + String.format(Locale.ROOT, "%.1f s", slowest / 1000.0), slowest > 0 && slowest <= 3000));
        double biggest = lastOf(rss).values().stream().filter(v -> v != null).mapToDouble(v -> ((Number) v).doubleValue())
                .max().orElse(0);
        targets.add(target("each app ≤ 256 MB resident", "largest " + Math.round(biggest) + " MiB", biggest > 0 && biggest <= 256));
        return targets;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lastOf(Map<String, Object> lists) {
        Map<String, Object> last = new LinkedHashMap<>();
        lists.forEach((key, list) -> {
            List<Object> values = (List<Object>) list;
            last.put(key, values.isEmpty() ? null : values.get(values.size() - 1));
        });
        return last;
    }

    private static Map<String, Object> target(String target, String measured, boolean met) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", target);
        map.put("measured", measured);
        map.put("met", met);
        return map;
    }

    private static double mean(List<Double> values) {
        OptionalDouble mean = values.stream().mapToDouble(Double::doubleValue).average();
        return mean.isPresent() ? Scenario.round1(mean.getAsDouble()) : 0;
    }

    private static double mean(List<Scenario> runs, ToDoubleFunction<Scenario> figure) {
        return Scenario.round1(runs.stream().mapToDouble(figure).average().orElse(0));
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The Markdown summary: machine, targets, then the tables behind them. */
    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> results, String plot) {
        Map<String, Object> machine = (Map<String, Object>) results.get("machine");
        Map<String, Object> summary = (Map<String, Object>) results.get("summary");
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark ").append(results.get("date")).append("\n\n");
        md.append(String.format(Locale.ROOT, "Machine: **%s cores, %s GiB**, %s; %s; %s. ", machine.get("cores"),
                machine.get("memoryGiB"), machine.get("cpuModel"), machine.get("os"), machine.get("java")));
        md.append("Load average (1/5/15 min) at start ").append(machine.get("loadAverageAtStart")).append(", at end ")
                .append(results.get("loadAverageAtEnd")).append(" (the machine is shared: a load above the core count ")
                .append("means other work competed for the CPU). Run took ").append(results.get("durationMinutes"))
                .append(" min; apps' JVM options ").append(results.get("jvmOptions")).append(", options ")
                .append(results.get("options")).append(".\n\n");
        md.append("## Against the targets\n\n| target | measured | met | what bounds it (measured in this run) |\n|---|---|---|---|\n");
        for (Map<String, Object> target : (List<Map<String, Object>>) summary.get("targets")) {
            md.append("| ").append(target.get("target")).append(" | ").append(target.get("measured")).append(" | ")
                    .append(Boolean.TRUE.equals(target.get("met")) ? "yes" : "**no**").append(" | ")
                    .append(target.getOrDefault("boundBy", "")).append(" |\n");
        }
        md.append("\n![throughput and latency over time](").append(plot).append(")\n\n");

        md.append("## Maximum sustained throughput (purchases/s completed end to end)\n\n");
        md.append("| block | tracing | max sustained | CPU the rest of the machine used meanwhile (cores, mean over the block's scenarios) |\n|---|---|---|---|\n");
        for (Map<String, Object> block : (List<Map<String, Object>>) results.get("blocks")) {
            double other = ((List<Map<String, Object>>) results.get("scenarios")).stream()
                    .filter(s -> block.get("block").equals(s.get("block")))
                    .mapToDouble(s -> ((Number) s.getOrDefault("otherCores", 0)).doubleValue()).average().orElse(0);
            md.append("| ").append(block.get("block")).append(" | ").append(block.get("tracing")).append(" | ")
                    .append(block.get("maxSustainedRate")).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", other)).append(" |\n");
        }
        md.append("\n| tracing | per block | mean |\n|---|---|---|\n");
        Map<String, Object> max = (Map<String, Object>) summary.get("maxSustainedRate");
        max.forEach((tracing, entry) -> {
            Map<String, Object> e = (Map<String, Object>) entry;
            md.append("| ").append(tracing).append(" | ").append(e.get("perBlock")).append(" | ").append(e.get("mean")).append(" |\n");
        });
        md.append("\nThroughput with tracing on / off: ").append(summary.get("throughputRatioOnToOff")).append("\n\n");

        md.append("## End-to-end latency at fixed rates (ms, executor → app4-worker)\n\n");
        md.append("| rate/s | tracing | p50 | p95 | p99 | max | completed/s | failed | sustained |\n|---|---|---|---|---|---|---|---|---|\n");
        ((Map<String, Object>) summary.get("latencyMsAtFixedRates")).forEach((rate, perMode) -> {
            ((Map<String, Object>) perMode).forEach((tracing, figures) -> {
                if (figures instanceof Map<?, ?> f) {
                    md.append("| ").append(rate).append(" | ").append(tracing).append(" | ").append(f.get("p50")).append(" | ")
                            .append(f.get("p95")).append(" | ").append(f.get("p99")).append(" | ").append(f.get("max"))
                            .append(" | ").append(f.get("completedRate")).append(" | ").append(f.get("failed")).append(" | ")
                            .append(f.get("sustained")).append(" |\n");
                }
            });
            Object ratio = ((Map<String, Object>) perMode).get("p99RatioOnToOff");
            if (ratio != null) {
                md.append("| ").append(rate).append(" | p99 on/off | ").append(ratio).append(" | | | | | | |\n");
            }
        });

        md.append("\n## Every scenario\n\n| block | tracing | scenario | sent/s | completed/s | p50 | p99 | max | max lag (app2/app4/executor) | cores busy (all / not the stack) | verdict |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) results.get("scenarios")) {
            Map<String, Object> l = (Map<String, Object>) s.get("latencyMs");
            Map<String, Object> lag = (Map<String, Object>) s.get("maxLag");
            md.append("| ").append(s.get("block")).append(" | ").append(s.get("tracing")).append(" | ").append(s.get("name"))
                    .append(" | ").append(s.get("sendRate")).append(" | ").append(s.get("completedRate")).append(" | ")
                    .append(l.get("p50")).append(" | ").append(l.get("p99")).append(" | ").append(l.get("max")).append(" | ")
                    .append(lag.get("app2-consumer")).append("/").append(lag.get("app4-worker")).append("/")
                    .append(lag.get("executor")).append(" | ").append(s.get("machineBusyCores")).append(" / ")
                    .append(s.get("otherCores")).append(" | ")
                    .append(s.get("verdict")).append(" |\n");
        }

        md.append("\n## Where the CPU goes at the highest sustained search step\n\n");
        md.append("CPU milliseconds each process spent per completed purchase (a 2-core machine has 2000 ms of CPU per ")
                .append("second, so 2000 / total is the most it could complete per second with nothing else running), ")
                .append("and the cores each used:\n\n");
        for (Map<String, Object> s : bestSearchSteps((List<Map<String, Object>>) results.get("scenarios"))) {
            md.append("- block ").append(s.get("block")).append(", tracing ").append(s.get("tracing")).append(", ")
                    .append(s.get("name")).append(": **").append(s.get("cpuMsPerPurchaseTotal")).append(" ms per purchase** ")
                    .append(s.get("cpuMsPerPurchase")).append("; cores ").append(s.get("coresUsed"))
                    .append(" (whole machine busy: ").append(s.get("machineBusyCores")).append(", of which not the stack: ")
                    .append(s.get("otherCores")).append(")\n");
            md.append("  - mean ms per exchange of each route: ").append(s.get("routeMeanMs")).append("\n");
        }
        md.append("\n## CPU profiles (JFR) at ").append(Math.round(((Number) ((Map<String, Object>) results.get("options"))
                .get("fractionOfMax")).doubleValue() * 100)).append(" % of the maximum: share of samples by library\n\n");
        boolean profiledApart = ((List<Map<String, Object>>) results.get("scenarios")).stream()
                .anyMatch(s -> "profile".equals(s.get("kind")));
        md.append(profiledApart ? "A run of its own after the fixed rates, as the profiler slows the apps.\n\n"
                : "Recorded during the fixed-rate run at that rate, whose latencies the profiler slowed.\n\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) results.get("scenarios")) {
            Map<String, Object> profiles = (Map<String, Object>) s.get("profiles");
            if (profiles == null) {
                continue;
            }
            md.append("### tracing ").append(s.get("tracing")).append(", ").append(s.get("name")).append("\n\n");
            profiles.forEach((app, p) -> {
                Map<String, Object> profile = (Map<String, Object>) p;
                md.append("- **").append(app).append("** (").append(profile.get("samples")).append(" samples): ")
                        .append(profile.get("byLibrary")).append("\n");
            });
            md.append("\n");
        }
        md.append("## Start-up (ms to ready) and memory\n\n| app | all apps starting together, per block | alone | RSS MiB after each block | GC pauses (last block) |\n|---|---|---|---|---|\n");
        Map<String, Object> startup = (Map<String, Object>) summary.get("startupMsAllAppsTogetherPerBlock");
        Map<String, Object> alone = (Map<String, Object>) summary.get("startupMsEachAlone");
        Map<String, Object> rss = (Map<String, Object>) summary.get("rssMiBAfterEachBlock");
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) results.get("blocks");
        Map<String, Object> lastGc = blocks.isEmpty() ? Map.of() : (Map<String, Object>) blocks.get(blocks.size() - 1).get("gc");
        startup.forEach((app, times) -> md.append("| ").append(app).append(" | ").append(times).append(" | ")
                .append(alone.getOrDefault(app, "")).append(alone.containsKey(app + " cpuSeconds")
                        ? " (" + alone.get(app + " cpuSeconds") + " s of CPU)" : "").append(" | ").append(rss.get(app)).append(" | ")
                .append(lastGc.getOrDefault(app, "")).append(" |\n"));
        return md.toString();
    }

    /** The highest sustained search step of each block. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> bestSearchSteps(List<Map<String, Object>> scenarios) {
        Map<Object, Map<String, Object>> best = new LinkedHashMap<>();
        for (Map<String, Object> s : scenarios) {
            if ("search".equals(s.get("kind")) && Boolean.TRUE.equals(s.get("sustained"))) {
                Map<String, Object> current = best.get(s.get("block"));
                if (current == null || ((Number) s.get("offeredRate")).doubleValue() > ((Number) current.get("offeredRate")).doubleValue()) {
                    best.put(s.get("block"), s);
                }
            }
        }
        return new ArrayList<>(best.values());
    }
}
