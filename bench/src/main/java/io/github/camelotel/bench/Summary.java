package io.github.camelotel.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The figures of a run against the benchmark's targets (bench/README.md, "Results on this machine"), as a map (in
 * the JSON) and as the Markdown summary.
 */
final class Summary {

    private Summary() {}

    static String rate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.format(Locale.ROOT, "%.1f", rate);
    }

    /** Repeats of one figure agree when their spread (max − min) is within this share of their mean. */
    static final double AGREEMENT = 0.10;

    /**
     * The summary of a run, from its JSON parts alone (so {@code --summarize} can recompute it from a results file):
     * the scenarios and blocks as written there, the start-up of each app alone, and the shares of the maximum run.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(
            List<Map<String, Object>> scenarios,
            List<Map<String, Object>> blocks,
            Map<String, Object> startupAlone,
            List<Double> fractionsOfMax) {
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> max = new LinkedHashMap<>();
        for (String mode : Benchmark.MODES) {
            List<Double> perBlock = new ArrayList<>();
            for (Map<String, Object> block : blocks) {
                if (mode.equals(block.get("tracing"))) {
                    perBlock.add(number(block.get("maxSustainedRate")));
                }
            }
            if (!perBlock.isEmpty()) {
                max.put(mode, repeats(perBlock));
            }
        }
        summary.put("maxSustainedRate", max);

        // how cost grows with work: CPU per purchase and latency at each share of the maximum, per mode, over the
        // repeats
        Map<String, Object> byShare = new LinkedHashMap<>();
        for (double share : fractionsOfMax) {
            Map<String, Object> perMode = new LinkedHashMap<>();
            for (String mode : Benchmark.MODES) {
                List<Map<String, Object>> runs = scenarios.stream()
                        .filter(s -> "fixed".equals(s.get("kind"))
                                && number(s.get("shareOfMax")) == share
                                && mode.equals(s.get("tracing")))
                        .toList();
                if (runs.isEmpty()) {
                    continue;
                }
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("rate", runs.get(0).get("offeredRate"));
                figures.put("runs", runs.size());
                figures.put(
                        "cpuMsPerPurchase",
                        repeats(runs.stream()
                                .map(s -> number(s.get("cpuMsPerPurchaseTotal")))
                                .toList()));
                figures.put(
                        "p99", repeats(runs.stream().map(s -> latency(s, "p99")).toList()));
                figures.put("p50", mean(runs, s -> latency(s, "p50")));
                figures.put("completedRate", mean(runs, s -> number(s.get("completedRate"))));
                figures.put(
                        "failed",
                        runs.stream()
                                .mapToLong(s -> (long) (number(s.get("failed")) + number(s.get("lost"))))
                                .sum());
                figures.put("sustained", runs.stream().allMatch(s -> Boolean.TRUE.equals(s.get("sustained"))));
                perMode.put(mode, figures);
            }
            perMode.put("pipelineToFloorCpu", ratio(perMode, Benchmark.ON, Benchmark.FLOOR, "cpuMsPerPurchase"));
            perMode.put("onToOffCpu", ratio(perMode, Benchmark.ON, Benchmark.OFF, "cpuMsPerPurchase"));
            perMode.put("onToOffP99", ratio(perMode, Benchmark.ON, Benchmark.OFF, "p99"));
            byShare.put(Math.round(share * 100) + " %", perMode);
        }
        summary.put("atShareOfMax", byShare);
        summary.put("headline", headline(byShare));

        Map<String, Object> startup = new LinkedHashMap<>();
        Map<String, Object> rss = new LinkedHashMap<>();
        for (Map<String, Object> block : blocks) {
            String prefix = Benchmark.FLOOR.equals(block.get("tracing")) ? "floor " : "";
            ((Map<String, Object>) block.get("startupMs"))
                    .forEach((app, ms) ->
                            ((List<Object>) startup.computeIfAbsent(prefix + app, a -> new ArrayList<>())).add(ms));
            ((Map<String, Object>) block.get("rssMiBAfter"))
                    .forEach((app, mib) ->
                            ((List<Object>) rss.computeIfAbsent(prefix + app, a -> new ArrayList<>())).add(mib));
        }
        summary.put("startupMsAllAppsTogetherPerBlock", startup);
        summary.put("startupMsEachAlone", startupAlone);
        summary.put("rssMiBAfterEachBlock", rss);
        Map<String, Object> cpu = new LinkedHashMap<>();
        for (Map<String, Object> best : bestSearchSteps(scenarios)) {
            cpu.put(
                    "block " + best.get("block") + " (" + best.get("tracing") + ", " + best.get("name") + ")",
                    best.get("cpuMsPerPurchaseTotal"));
        }
        summary.put("cpuMsPerPurchaseAtMax", cpu);
        summary.put("targets", targets(summary, startup, startupAlone, rss));
        return summary;
    }

    /** The summary recomputed from a results file's measurements. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> results) {
        List<Double> fractionsOfMax = ((List<Number>)
                        ((Map<String, Object>) results.get("options")).get("fractionsOfMax"))
                .stream().map(Number::doubleValue).toList();
        return of(
                (List<Map<String, Object>>) results.get("scenarios"),
                (List<Map<String, Object>>) results.get("blocks"),
                (Map<String, Object>) results.get("startupAloneMs"),
                fractionsOfMax);
    }

    @SuppressWarnings("unchecked")
    private static double latency(Map<String, Object> scenario, String percentile) {
        return number(((Map<String, Object>) scenario.get("latencyMs")).get(percentile));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    /**
     * CPU per purchase of PostgreSQL, Redis and the S3 server in each block's run of one fixed step: the same
     * statements, commands and PUT in every mode and block, so where it differs between the repeats of a step, the
     * machine itself ran slower or faster then.
     */
    @SuppressWarnings("unchecked")
    static List<Double> serversCpuPerBlock(List<Map<String, Object>> scenarios, String mode, String share) {
        return scenarios.stream()
                .filter(s -> "fixed".equals(s.get("kind"))
                        && mode.equals(s.get("tracing"))
                        && s.get("shareOfMax") instanceof Number n
                        && share.equals(Math.round(n.doubleValue() * 100) + " %"))
                .map(s -> (Map<String, Object>) s.get("cpuMsPerPurchase"))
                .map(cpu -> Processes.round2(Stream.of(Processes.POSTGRESQL, Processes.REDIS, Processes.S3)
                        .mapToDouble(name -> ((Number) cpu.getOrDefault(name, 0)).doubleValue())
                        .sum()))
                .toList();
    }

    /** A figure measured once per block: each value, mean, spread (max − min, % of the mean), and whether they agree. */
    static Map<String, Object> repeats(List<Double> values) {
        Map<String, Object> entry = new LinkedHashMap<>();
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double spread = values.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        entry.put("perBlock", values);
        entry.put("mean", Math.round(mean * 100) / 100.0);
        entry.put("spreadPercent", mean == 0 ? 0 : Scenario.round1(spread / mean * 100));
        entry.put("agree", values.size() >= 2 && (mean == 0 || spread / mean <= AGREEMENT));
        entry.put("repeats", values.size());
        return entry;
    }

    /**
     * a's mean over b's, and the same ratio repeat by repeat: the i-th run of a over the i-th of b. The two ran in
     * the same repeat, minutes apart, so a change of the machine's speed between repeats moves both alike and cancels;
     * the ratio stands where its per-repeat values agree.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> ratio(Map<String, Object> perMode, String a, String b, String figure) {
        if (!(perMode.get(a) instanceof Map<?, ?> left) || !(perMode.get(b) instanceof Map<?, ?> right)) {
            return null;
        }
        Map<String, Object> x = (Map<String, Object>) left.get(figure);
        Map<String, Object> y = (Map<String, Object>) right.get(figure);
        List<?> xs = (List<?>) x.get("perBlock");
        List<?> ys = (List<?>) y.get("perBlock");
        List<Double> perRepeat = new ArrayList<>();
        for (int i = 0; i < Math.min(xs.size(), ys.size()); i++) {
            if (number(ys.get(i)) > 0) {
                perRepeat.add(round3(number(xs.get(i)) / number(ys.get(i))));
            }
        }
        double denominator = number(y.get("mean"));
        Map<String, Object> repeats = repeats(perRepeat);
        Map<String, Object> ratio = new LinkedHashMap<>();
        ratio.put("value", denominator == 0 ? null : round3(number(x.get("mean")) / denominator));
        ratio.put("perRepeat", perRepeat);
        ratio.put("spreadPercent", repeats.get("spreadPercent"));
        ratio.put("stands", repeats.get("agree"));
        return ratio;
    }

    /** The headline: pipeline (tracing on) CPU per purchase over the floor's, at 50 % of each one's maximum. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> headline(Map<String, Object> byShare) {
        Map<String, Object> at = (Map<String, Object>) byShare.getOrDefault(
                "50 %", byShare.values().stream().findFirst().orElse(Map.of()));
        Map<String, Object> headline = new LinkedHashMap<>();
        headline.put(
                "share",
                byShare.containsKey("50 %")
                        ? "50 %"
                        : byShare.keySet().stream().findFirst().orElse(""));
        for (String mode : List.of(Benchmark.ON, Benchmark.FLOOR)) {
            if (at.get(mode) instanceof Map<?, ?> figures) {
                headline.put(mode + "CpuMsPerPurchase", figures.get("cpuMsPerPurchase"));
            }
        }
        headline.put("pipelineToFloorCpu", at.get("pipelineToFloorCpu"));
        return headline;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> targets(
            Map<String, Object> summary,
            Map<String, Object> startup,
            Map<String, Object> startupAlone,
            Map<String, Object> rss) {
        List<Map<String, Object>> targets = new ArrayList<>();
        Map<String, Object> at50 = (Map<String, Object>)
                ((Map<String, Object>) summary.get("atShareOfMax")).getOrDefault("50 %", Map.of());
        Map<String, Object> cpuRatio = (Map<String, Object>) at50.get("pipelineToFloorCpu");
        targets.add(ratioTarget(
                "pipeline CPU per purchase ≤ 3 × the floor's (at 50 % of each maximum)",
                cpuRatio,
                3,
                figure(at50, Benchmark.ON, "cpuMsPerPurchase") + " vs "
                        + figure(at50, Benchmark.FLOOR, "cpuMsPerPurchase") + " ms"));
        Map<String, Object> maxOn =
                (Map<String, Object>) ((Map<String, Object>) summary.get("maxSustainedRate")).get(Benchmark.ON);
        Map<String, Object> maxFloor =
                (Map<String, Object>) ((Map<String, Object>) summary.get("maxSustainedRate")).get(Benchmark.FLOOR);
        targets.add(
                maxOn == null
                        ? target("≥ 150 purchases/s sustained end to end, tracing on", "not run", false, null)
                        : target(
                                "≥ 150 purchases/s sustained end to end, tracing on",
                                rate(number(maxOn.get("mean"))) + "/s "
                                        + repeatsText(maxOn, "/s")
                                        + (maxFloor == null
                                                ? ""
                                                : "; the floor " + rate(number(maxFloor.get("mean"))) + "/s "
                                                        + repeatsText(maxFloor, "/s")),
                                number(maxOn.get("mean")) >= 150,
                                meeting((List<?>) maxOn.get("perBlock"), v -> v >= 150)));
        targets.add(ratioTarget(
                "tracing on vs off: ≤ 10 % more CPU per purchase (at 50 % of max)",
                (Map<String, Object>) at50.get("onToOffCpu"),
                1.10,
                figure(at50, Benchmark.ON, "cpuMsPerPurchase") + " vs "
                        + figure(at50, Benchmark.OFF, "cpuMsPerPurchase") + " ms"));
        targets.add(ratioTarget(
                "tracing on vs off: ≤ 10 % more p99 (at 50 % of max)",
                (Map<String, Object>) at50.get("onToOffP99"),
                1.10,
                figure(at50, Benchmark.ON, "p99") + " vs " + figure(at50, Benchmark.OFF, "p99") + " ms"));
        Map<String, Object> p99 =
                at50.get(Benchmark.ON) instanceof Map<?, ?> f ? (Map<String, Object>) f.get("p99") : null;
        targets.add(
                p99 == null
                        ? target("p99 ≤ 100 ms at 50 % of the maximum (tracing on)", "not run", false, null)
                        : target(
                                "p99 ≤ 100 ms at 50 % of the maximum (tracing on)",
                                rate(number(p99.get("mean"))) + " ms " + repeatsText(p99, " ms"),
                                number(p99.get("mean")) <= 100,
                                meeting((List<?>) p99.get("perBlock"), v -> v <= 100)));
        Map<String, Object> readiness = startupAlone.isEmpty() ? lastOf(startup) : startupAlone;
        long slowest = readiness.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("cpuSeconds") && !e.getKey().startsWith("floor "))
                .mapToLong(e -> ((Number) e.getValue()).longValue())
                .max()
                .orElse(0);
        targets.add(target(
                "each app ready ≤ 2 s" + (startupAlone.isEmpty() ? "" : " (started alone)"),
                "slowest " + String.format(Locale.ROOT, "%.1f s", slowest / 1000.0),
                slowest > 0 && slowest <= 2000,
                null));
        double biggest = lastOf(rss).entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getKey().startsWith("floor "))
                .mapToDouble(e -> ((Number) e.getValue()).doubleValue())
                .max()
                .orElse(0);
        targets.add(target(
                "each app ≤ 200 MB resident after the run",
                "largest " + Math.round(biggest * 1.048576) + " MB (" + Math.round(biggest) + " MiB)",
                biggest > 0 && biggest * 1.048576 <= 200,
                null));
        return targets;
    }

    /** A target on a ratio: met on the ratio of the means; how many of its per-repeat values meet it too. */
    private static Map<String, Object> ratioTarget(
            String target, Map<String, Object> ratio, double limit, String inputs) {
        if (ratio == null || ratio.get("value") == null) {
            return target(target, "n/a", false, null);
        }
        return target(
                target,
                describe(ratio, "×", inputs),
                number(ratio.get("value")) <= limit,
                meeting((List<?>) ratio.get("perRepeat"), v -> v <= limit));
    }

    /** "2 of 3": how many repeats meet a target by themselves (null with fewer than two repeats). */
    private static String meeting(List<?> perRepeat, DoublePredicate meets) {
        return perRepeat.size() < 2
                ? null
                : perRepeat.stream().filter(v -> meets.test(number(v))).count() + " of " + perRepeat.size();
    }

    @SuppressWarnings("unchecked")
    private static String figure(Map<String, Object> perMode, String mode, String figure) {
        return perMode.get(mode) instanceof Map<?, ?> f
                ? String.valueOf(((Map<String, Object>) f.get(figure)).get("mean"))
                : "n/a";
    }

    /** "1.481 × (59.57 vs 40.22 ms; per repeat [1.432, 1.455, 1.559], spread 8.6 %)", marked where it does not stand. */
    private static String describe(Map<String, Object> ratio, String unit, String inputs) {
        if (ratio == null || ratio.get("value") == null) {
            return "n/a";
        }
        List<?> perRepeat = (List<?>) ratio.get("perRepeat");
        String repeats = perRepeat.size() < 2
                ? "one repeat: does not stand"
                : "per repeat " + perRepeat + ", spread " + ratio.get("spreadPercent") + " %"
                        + (Boolean.TRUE.equals(ratio.get("stands")) ? "" : ", **does not stand**");
        return ratio.get("value") + " " + unit + " (" + (inputs.isEmpty() ? "" : inputs + "; ") + repeats + ")";
    }

    static String repeatsText(Map<String, Object> repeats, String unit) {
        if (((List<?>) repeats.get("perBlock")).size() < 2) {
            return "(one block: no repeats)";
        }
        return "(per block " + repeats.get("perBlock") + unit + ", spread " + repeats.get("spreadPercent") + " %"
                + (Boolean.TRUE.equals(repeats.get("agree")) ? "" : ", **repeats disagree**") + ")";
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

    private static Map<String, Object> target(String target, String measured, boolean met, String repeatsMeeting) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("target", target);
        map.put("measured", measured);
        map.put("met", met);
        if (repeatsMeeting != null) {
            map.put("repeatsMeetingIt", repeatsMeeting);
        }
        return map;
    }

    private static double mean(List<Map<String, Object>> runs, ToDoubleFunction<Map<String, Object>> figure) {
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
        md.append(String.format(
                Locale.ROOT,
                "Machine: **%s cores, %s GiB**, %s; %s; %s. ",
                machine.get("cores"),
                machine.get("memoryGiB"),
                machine.get("cpuModel"),
                machine.get("os"),
                machine.get("java")));
        md.append("Load average (1/5/15 min) at start ")
                .append(machine.get("loadAverageAtStart"))
                .append(", at end ")
                .append(results.get("loadAverageAtEnd"))
                .append(" (the machine is shared: a load above the core count ")
                .append("means other work competed for the CPU). Run took ")
                .append(results.get("durationMinutes"))
                .append(" min; apps' JVM options ")
                .append(results.get("jvmOptions"))
                .append(", options ")
                .append(results.get("options"))
                .append(".\n\n");
        md.append(
                "## Against the targets\n\n| target | measured | met | what bounds it (measured in this run) |\n|---|---|---|---|\n");
        for (Map<String, Object> target : (List<Map<String, Object>>) summary.get("targets")) {
            md.append("| ")
                    .append(target.get("target"))
                    .append(" | ")
                    .append(target.get("measured"))
                    .append(" | ")
                    .append(Boolean.TRUE.equals(target.get("met")) ? "yes" : "**no**")
                    .append(
                            target.containsKey("repeatsMeetingIt")
                                    ? " (met in " + target.get("repeatsMeetingIt") + " repeats)"
                                    : "")
                    .append(" | ")
                    .append(target.getOrDefault("boundBy", ""))
                    .append(" |\n");
        }
        md.append("\n![throughput and latency over time](").append(plot).append(")\n\n");

        md.append("## Maximum sustained throughput (purchases/s completed end to end)\n\n");
        md.append(
                "| block | tracing | max sustained | CPU the rest of the machine used meanwhile (cores, mean over the block's scenarios) "
                        + "| GC of the bench JVM in the block (pauses, ms, share; live heap after it) |\n|---|---|---|---|---|\n");
        for (Map<String, Object> block : (List<Map<String, Object>>) results.get("blocks")) {
            double other = ((List<Map<String, Object>>) results.get("scenarios"))
                    .stream()
                            .filter(s -> block.get("block").equals(s.get("block")))
                            .mapToDouble(s -> ((Number) s.getOrDefault("otherCores", 0)).doubleValue())
                            .average()
                            .orElse(0);
            Map<String, Object> benchGc =
                    (Map<String, Object>) ((Map<String, Object>) block.getOrDefault("gc", Map.of()))
                            .getOrDefault(Processes.BENCH_JVM, Map.of());
            md.append("| ")
                    .append(block.get("block"))
                    .append(" | ")
                    .append(block.get("tracing"))
                    .append(" | ")
                    .append(block.get("maxSustainedRate"))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", other))
                    .append(" | ")
                    .append(
                            benchGc.isEmpty()
                                    ? ""
                                    : benchGc.get("pauses") + ", " + benchGc.get("totalMs") + " ms, "
                                            + benchGc.get("shareOfBlockPercent") + " %; "
                                            + benchGc.get("liveHeapMiBAfter") + " MiB")
                    .append(" |\n");
        }
        md.append("\n| mode | per block | mean | spread | repeats agree (≤ 10 %) |\n|---|---|---|---|---|\n");
        Map<String, Object> max = (Map<String, Object>) summary.get("maxSustainedRate");
        max.forEach((mode, entry) -> {
            Map<String, Object> e = (Map<String, Object>) entry;
            md.append("| ")
                    .append(mode)
                    .append(" | ")
                    .append(e.get("perBlock"))
                    .append(" | ")
                    .append(e.get("mean"))
                    .append(" | ")
                    .append(e.get("spreadPercent"))
                    .append(" % | ")
                    .append(agree(e))
                    .append(" |\n");
        });

        Map<String, Object> headline = (Map<String, Object>) summary.get("headline");
        md.append("\n## The floor: what the same I/O costs without the framework\n\n");
        Map<String, Object> headlineRatio = (Map<String, Object>) headline.get("pipelineToFloorCpu");
        md.append("**Headline: pipeline (tracing on) CPU per purchase / floor's, at ")
                .append(headline.get("share"))
                .append(" of each one's maximum: ")
                .append(
                        headlineRatio == null
                                ? "n/a**"
                                : headlineRatio.get("value") + " ×** "
                                        + describe(headlineRatio, "×", "").replaceFirst("^\\S+ × ", ""))
                .append(
                        ". CPU per purchase sums every process: the five apps (or the floor's five processes), PostgreSQL, ")
                .append(
                        "Redis, the S3 server and the benchmark JVM (Kafka broker, SMTP server, span sink). A ratio's repeats ")
                .append("are its value in each repeat (blocks 1–3, 4–6, …), whose modes ran minutes apart.\n\n");
        Map<String, Object> io = (Map<String, Object>) results.get("ioPerPurchase");
        if (io != null && !io.isEmpty()) {
            md.append("I/O of one purchase, counted on the servers around a short run at 5/s (parity of the floor and ")
                    .append(
                            "the pipeline; PostgreSQL's table statistics can lag a few seconds):\n\n| count per purchase |");
            io.keySet().forEach(mode -> md.append(" ").append(mode).append(" |"));
            md.append("\n|---|").append("---|".repeat(io.size())).append("\n");
            Map<String, Object> first = (Map<String, Object>)
                    ((Map<String, Object>) io.values().iterator().next()).get("perPurchase");
            for (String count : first.keySet()) {
                md.append("| ").append(count).append(" |");
                io.values()
                        .forEach(v -> md.append(" ")
                                .append(((Map<String, Object>) ((Map<String, Object>) v).get("perPurchase")).get(count))
                                .append(" |"));
                md.append("\n");
            }
            md.append("\n");
        }

        md.append("## How cost grows with work: CPU per purchase and latency at shares of the maximum\n\n");
        md.append(
                "Tracing off runs at tracing on's rates (so the two compare); the floor at shares of its own maximum.\n\n");
        md.append(
                "The servers' column is a gauge of the machine's speed: PostgreSQL, Redis and the S3 server do the same work per "
                        + "purchase in every block, so repeats of a step that differ there and in the total alike ran on a slower or faster machine.\n\n");
        md.append(
                "| share of max | mode | rate/s | CPU ms/purchase (per block; spread) | of it PostgreSQL + Redis + S3 (per block) | p50 | p99 (per block; spread) | completed/s | failed | sustained |\n|---|---|---|---|---|---|---|---|---|---|\n");
        ((Map<String, Object>) summary.get("atShareOfMax")).forEach((share, perMode) -> {
            ((Map<String, Object>) perMode).forEach((mode, figures) -> {
                if (figures instanceof Map<?, ?> f && f.containsKey("cpuMsPerPurchase")) {
                    Map<String, Object> cpu = (Map<String, Object>) f.get("cpuMsPerPurchase");
                    Map<String, Object> p99 = (Map<String, Object>) f.get("p99");
                    md.append("| ")
                            .append(share)
                            .append(" | ")
                            .append(mode)
                            .append(" | ")
                            .append(rate(((Number) f.get("rate")).doubleValue()))
                            .append(" | **")
                            .append(cpu.get("mean"))
                            .append("** ")
                            .append(repeatsText(cpu, ""))
                            .append(" | ")
                            .append(serversCpuPerBlock(
                                    (List<Map<String, Object>>) results.get("scenarios"), mode, share))
                            .append(" | ")
                            .append(f.get("p50"))
                            .append(" | **")
                            .append(p99.get("mean"))
                            .append("** ")
                            .append(repeatsText(p99, ""))
                            .append(" | ")
                            .append(f.get("completedRate"))
                            .append(" | ")
                            .append(f.get("failed"))
                            .append(" | ")
                            .append(f.get("sustained"))
                            .append(" |\n");
                }
            });
            Map<String, Object> m = (Map<String, Object>) perMode;
            md.append("| ")
                    .append(share)
                    .append(" | ratios | | pipeline/floor ")
                    .append(describe((Map<String, Object>) m.get("pipelineToFloorCpu"), "×", ""))
                    .append("; on/off ")
                    .append(describe((Map<String, Object>) m.get("onToOffCpu"), "×", ""))
                    .append(" | | | p99 on/off ")
                    .append(describe((Map<String, Object>) m.get("onToOffP99"), "×", ""))
                    .append(" | | | |\n");
        });

        md.append(
                "\n## Every scenario\n\n| block | mode | scenario | sent/s | completed/s | p50 | p99 | max | max lag (app2/app4/executor) | cores busy (all / not the stack) | verdict |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) results.get("scenarios")) {
            Map<String, Object> l = (Map<String, Object>) s.get("latencyMs");
            Map<String, Object> lag = (Map<String, Object>) s.get("maxLag");
            md.append("| ")
                    .append(s.get("block"))
                    .append(" | ")
                    .append(s.get("tracing"))
                    .append(" | ")
                    .append(s.get("name"))
                    .append(" | ")
                    .append(s.get("sendRate"))
                    .append(" | ")
                    .append(s.get("completedRate"))
                    .append(" | ")
                    .append(l.get("p50"))
                    .append(" | ")
                    .append(l.get("p99"))
                    .append(" | ")
                    .append(l.get("max"))
                    .append(" | ")
                    .append(lag.get("app2-consumer"))
                    .append("/")
                    .append(lag.get("app4-worker"))
                    .append("/")
                    .append(lag.get("executor"))
                    .append(" | ")
                    .append(s.get("machineBusyCores"))
                    .append(" / ")
                    .append(s.get("otherCores"))
                    .append(" | ")
                    .append(s.get("verdict"))
                    .append(" |\n");
        }

        md.append("\n## Where the CPU goes at the highest sustained search step\n\n");
        md.append(
                        "CPU milliseconds each process spent per completed purchase (a 2-core machine has 2000 ms of CPU per ")
                .append("second, so 2000 / total is the most it could complete per second with nothing else running), ")
                .append("and the cores each used:\n\n");
        for (Map<String, Object> s : bestSearchSteps((List<Map<String, Object>>) results.get("scenarios"))) {
            md.append("- block ")
                    .append(s.get("block"))
                    .append(", tracing ")
                    .append(s.get("tracing"))
                    .append(", ")
                    .append(s.get("name"))
                    .append(": **")
                    .append(s.get("cpuMsPerPurchaseTotal"))
                    .append(" ms per purchase** ")
                    .append(s.get("cpuMsPerPurchase"))
                    .append("; cores ")
                    .append(s.get("coresUsed"))
                    .append(" (whole machine busy: ")
                    .append(s.get("machineBusyCores"))
                    .append(", of which not the stack: ")
                    .append(s.get("otherCores"))
                    .append(")\n");
            md.append("  - mean ms per exchange of each route: ")
                    .append(s.get("routeMeanMs"))
                    .append("\n");
        }
        md.append("\n## CPU profiles (JFR) at ")
                .append(Math.round(
                        ((Number) ((Map<String, Object>) results.get("options")).get("fractionOfMax")).doubleValue()
                                * 100))
                .append(" % of the maximum: share of samples by library\n\n");
        boolean profiledApart = ((List<Map<String, Object>>) results.get("scenarios"))
                .stream().anyMatch(s -> "profile".equals(s.get("kind")));
        md.append(
                profiledApart
                        ? "A run of its own after the fixed rates, as the profiler slows the apps.\n\n"
                        : "Recorded during the fixed-rate run at that rate, whose latencies the profiler slowed.\n\n");
        for (Map<String, Object> s : (List<Map<String, Object>>) results.get("scenarios")) {
            Map<String, Object> profiles = (Map<String, Object>) s.get("profiles");
            if (profiles == null) {
                continue;
            }
            md.append("### tracing ")
                    .append(s.get("tracing"))
                    .append(", ")
                    .append(s.get("name"))
                    .append("\n\n");
            profiles.forEach((app, p) -> {
                Map<String, Object> profile = (Map<String, Object>) p;
                md.append("- **")
                        .append(app)
                        .append("** (")
                        .append(profile.get("samples"))
                        .append(" samples): ")
                        .append(profile.get("byLibrary"))
                        .append("\n");
            });
            md.append("\n");
        }
        md.append(
                "## Start-up (ms to ready) and memory\n\n| app | all apps starting together, per block | alone | RSS MiB after each block | GC pauses (last block) |\n|---|---|---|---|---|\n");
        Map<String, Object> startup = (Map<String, Object>) summary.get("startupMsAllAppsTogetherPerBlock");
        Map<String, Object> alone = (Map<String, Object>) summary.get("startupMsEachAlone");
        Map<String, Object> rss = (Map<String, Object>) summary.get("rssMiBAfterEachBlock");
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) results.get("blocks");
        Map<String, Object> lastGc = blocks.isEmpty()
                ? Map.of()
                : (Map<String, Object>) blocks.get(blocks.size() - 1).get("gc");
        startup.forEach((app, times) -> md.append("| ")
                .append(app)
                .append(" | ")
                .append(times)
                .append(" | ")
                .append(alone.getOrDefault(app, ""))
                .append(
                        alone.containsKey(app + " cpuSeconds")
                                ? " (" + alone.get(app + " cpuSeconds") + " s of CPU)"
                                : "")
                .append(" | ")
                .append(rss.get(app))
                .append(" | ")
                .append(lastGc.getOrDefault(app, ""))
                .append(" |\n"));
        return md.toString();
    }

    private static String agree(Map<String, Object> repeats) {
        return ((List<?>) repeats.get("perBlock")).size() < 2
                ? "one block"
                : Boolean.TRUE.equals(repeats.get("agree")) ? "yes" : "**no**";
    }

    /** The highest sustained search step of each block. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> bestSearchSteps(List<Map<String, Object>> scenarios) {
        Map<Object, Map<String, Object>> best = new LinkedHashMap<>();
        for (Map<String, Object> s : scenarios) {
            if ("search".equals(s.get("kind")) && Boolean.TRUE.equals(s.get("sustained"))) {
                Map<String, Object> current = best.get(s.get("block"));
                if (current == null
                        || ((Number) s.get("offeredRate")).doubleValue()
                                > ((Number) current.get("offeredRate")).doubleValue()) {
                    best.put(s.get("block"), s);
                }
            }
        }
        return new ArrayList<>(best.values());
    }
}
