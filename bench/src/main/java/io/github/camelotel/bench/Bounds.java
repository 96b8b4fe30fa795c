package io.github.camelotel.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What bounds each target, read from a run's own measurements (CPU per purchase, the machine's busy cores, JFR
 * samples, memory breakdown, start-up CPU): one sentence per target, in the order of {@code summary.targets}.
 */
final class Bounds {

    private static final List<String> TRACING_LIBRARIES = List.of("OpenTelemetry SDK/exporter", "Camel tracing");

    /** The executor's route that drives a whole load run: its one exchange lasts the run, not one purchase. */
    private static final String WHOLE_RUN_ROUTE = "run-load";

    private Bounds() {}

    /** Adds {@code boundBy} to each of {@code summary.targets}. */
    @SuppressWarnings("unchecked")
    static void attach(Map<String, Object> results) {
        List<Map<String, Object>> targets =
                (List<Map<String, Object>>) ((Map<String, Object>) results.get("summary")).get("targets");
        List<String> bounds = of(results);
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).put("boundBy", bounds.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> of(Map<String, Object> results) {
        List<Map<String, Object>> scenarios = (List<Map<String, Object>>) results.get("scenarios");
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) results.get("blocks");
        int cores = ((Number) ((Map<String, Object>) results.get("machine")).get("cores")).intValue();
        Optional<Map<String, Object>> maxOn = highestSustained(scenarios, Benchmark.ON);
        Optional<Map<String, Object>> maxOff = highestSustained(scenarios, Benchmark.OFF);
        List<String> bounds = new ArrayList<>();
        bounds.add(overFloor(scenarios));
        Map<String, Object> summary = (Map<String, Object>) results.get("summary");
        String machineSpeed = machineSpeed(scenarios, Benchmark.ON);
        bounds.add(maxOn.map(s -> throughput(s, scenarios, cores)).orElse("no sustained step with tracing on")
                + (agrees(summary.get("maxSustainedRate"), Benchmark.ON) ? "" : machineSpeed));
        String cpuCost = tracingCpu(maxOn, maxOff, scenarios);
        bounds.add(cpuCost);
        bounds.add((p99Spread(scenarios) + " " + cpuCost).trim());
        Map<String, Object> at50 =
                (Map<String, Object>) ((Map<String, Object>) summary.get("atShareOfMax")).get("50 %");
        bounds.add(atHalf(scenarios) + (at50 == null || agrees(at50.get(Benchmark.ON), "p99") ? "" : machineSpeed));
        bounds.add(startup(results, blocks, cores));
        bounds.add(memory(blocks));
        return bounds;
    }

    @SuppressWarnings("unchecked") // the result is untyped JSON: its maps hold maps
    private static String throughput(Map<String, Object> best, List<Map<String, Object>> scenarios, int cores) {
        double total = number(best.get("cpuMsPerPurchaseTotal"));
        String next = scenarios.stream()
                .filter(s -> "search".equals(s.get("kind"))
                        && Benchmark.ON.equals(s.get("tracing"))
                        && s.get("block").equals(best.get("block"))
                        && !Boolean.TRUE.equals(s.get("sustained"))
                        && number(s.get("offeredRate")) > number(best.get("offeredRate")))
                .min(Comparator.comparingDouble(s -> number(s.get("offeredRate"))))
                .map(s -> "; the next step, " + s.get("name") + ": " + s.get("verdict"))
                .orElse("");
        return String.format(
                Locale.ROOT,
                "CPU: at %s/s the machine had %s of its %d cores busy; one purchase costs "
                        + "%.1f ms of CPU over all processes (most: %s), so %d cores complete at most ~%.0f/s%s",
                Summary.rate(number(best.get("offeredRate"))),
                best.get("machineBusyCores"),
                cores,
                total,
                top((Map<String, Object>) best.get("cpuMsPerPurchase"), 3),
                cores,
                cores * 1000 / total,
                next);
    }

    private static String tracingCpu(
            Optional<Map<String, Object>> on, Optional<Map<String, Object>> off, List<Map<String, Object>> scenarios) {
        if (on.isEmpty() || off.isEmpty()) {
            return "needs a sustained step with tracing on and one with it off";
        }
        double a = number(on.get().get("cpuMsPerPurchaseTotal"));
        double b = number(off.get().get("cpuMsPerPurchaseTotal"));
        return String.format(
                Locale.ROOT,
                "CPU per purchase at the highest sustained step: on %.1f ms, off %.1f ms " + "(%+.0f %%)%s.",
                a,
                b,
                (a / b - 1) * 100,
                tracingShareOfSamples(scenarios));
    }

    /** The share of the apps' JFR CPU samples in the tracing libraries, tracing on. */
    @SuppressWarnings("unchecked")
    private static String tracingShareOfSamples(List<Map<String, Object>> scenarios) {
        double samples = 0;
        double tracing = 0;
        for (Map<String, Object> s : scenarios) {
            if (!Benchmark.ON.equals(s.get("tracing")) || s.get("profiles") == null) {
                continue;
            }
            for (Object p : ((Map<String, Object>) s.get("profiles")).values()) {
                Map<String, Object> profile = (Map<String, Object>) p;
                double n = number(profile.get("samples"));
                Map<String, Object> byLibrary = (Map<String, Object>) profile.get("byLibrary");
                samples += n;
                tracing += n
                        * TRACING_LIBRARIES.stream()
                                .mapToDouble(l -> number(byLibrary.get(l)))
                                .sum()
                        / 100;
            }
        }
        return samples == 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; %.0f %% of the apps' CPU samples (JFR, tracing on) " + "are in %s",
                        tracing / samples * 100,
                        String.join(" and ", TRACING_LIBRARIES));
    }

    /** Whether the repeats of {@code figures.key} agree; true where there is nothing to judge. */
    private static boolean agrees(Object figures, String key) {
        return !(figures instanceof Map<?, ?> map
                && map.get(key) instanceof Map<?, ?> repeats
                && Boolean.FALSE.equals(repeats.get("agree")));
    }

    /**
     * The machine's speed from block to block, gauged where the work is the same: PostgreSQL, Redis and the S3 server
     * at a mode's 50 % step, which runs at one rate in every block. Where they and the whole pipeline cost more per
     * purchase alike, that block ran on a slower machine, which its throughput and latency show too.
     */
    static String machineSpeed(List<Map<String, Object>> scenarios, String mode) {
        List<Map<String, Object>> steps = everyAtShare(scenarios, mode, 0.5);
        if (steps.size() < 2) {
            return "";
        }
        List<Double> servers = Summary.serversCpuPerBlock(scenarios, mode, "50 %");
        return String.format(
                Locale.ROOT,
                "; the machine's speed from block to block, gauged at the same %s/s in "
                        + "blocks %s: PostgreSQL, Redis and S3, whose work per purchase is the same in every block, cost %s ms "
                        + "of CPU per purchase (spread %s %%), the whole pipeline %s ms",
                Summary.rate(number(steps.get(0).get("offeredRate"))),
                steps.stream().map(s -> String.valueOf(s.get("block"))).collect(Collectors.joining(", ")),
                servers.stream().map(String::valueOf).collect(Collectors.joining(", ")),
                Summary.repeats(servers).get("spreadPercent"),
                steps.stream()
                        .map(s -> String.valueOf(s.get("cpuMsPerPurchaseTotal")))
                        .collect(Collectors.joining(", ")));
    }

    /** How far p99 moves between blocks of the same mode: the noise a ratio must be read against. */
    private static String p99Spread(List<Map<String, Object>> scenarios) {
        Map<String, List<Double>> p99s = scenarios.stream()
                .filter(s -> "fixed".equals(s.get("kind")))
                .collect(Collectors.groupingBy(
                        s -> Summary.rate(number(s.get("offeredRate"))) + "/s " + s.get("tracing"),
                        java.util.LinkedHashMap::new,
                        Collectors.mapping(Bounds::p99, Collectors.toList())));
        String spread = p99s.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(e -> String.format(
                        Locale.ROOT,
                        "%s %.0f–%.0f ms",
                        e.getKey(),
                        e.getValue().stream()
                                .mapToDouble(Double::doubleValue)
                                .min()
                                .orElse(0),
                        e.getValue().stream()
                                .mapToDouble(Double::doubleValue)
                                .max()
                                .orElse(0)))
                .collect(Collectors.joining(", "));
        return spread.isEmpty() ? "" : "p99 of the same mode from block to block: " + spread + ".";
    }

    /** Where the pipeline's CPU per purchase exceeds the floor's, process by process, at 50 % of each maximum. */
    @SuppressWarnings("unchecked")
    private static String overFloor(List<Map<String, Object>> scenarios) {
        Optional<Map<String, Object>> on = atShare(scenarios, Benchmark.ON, 0.5);
        Optional<Map<String, Object>> floor = atShare(scenarios, Benchmark.FLOOR, 0.5);
        if (on.isEmpty() || floor.isEmpty()) {
            return "needs the 50 % scenario of the pipeline and of the floor";
        }
        Map<String, Object> a = (Map<String, Object>) on.get().get("cpuMsPerPurchase");
        Map<String, Object> b = (Map<String, Object>) floor.get().get("cpuMsPerPurchase");
        String diff = a.keySet().stream()
                .sorted(Comparator.comparingDouble(k -> -(number(a.get(k)) - number(b.get(k)))))
                .limit(4)
                .map(k -> String.format(Locale.ROOT, "%s %.1f vs %.1f", k, number(a.get(k)), number(b.get(k))))
                .collect(Collectors.joining(", "));
        return "CPU ms per purchase, pipeline vs floor, where they differ most: " + diff
                + tracingShareOfSamples(scenarios) + frameworkShare(scenarios);
    }

    /** The largest libraries of the apps' JFR samples (tracing on): what the pipeline runs that the floor does not. */
    @SuppressWarnings("unchecked")
    private static String frameworkShare(List<Map<String, Object>> scenarios) {
        Map<String, Double> weighted = new java.util.LinkedHashMap<>();
        double total = 0;
        for (Map<String, Object> s : scenarios) {
            if (!Benchmark.ON.equals(s.get("tracing")) || s.get("profiles") == null) {
                continue;
            }
            for (Object p : ((Map<String, Object>) s.get("profiles")).values()) {
                Map<String, Object> profile = (Map<String, Object>) p;
                double n = number(profile.get("samples"));
                total += n;
                ((Map<String, Object>) profile.get("byLibrary"))
                        .forEach((library, share) -> weighted.merge(library, n * number(share) / 100, Double::sum));
            }
        }
        double all = total;
        return all == 0
                ? ""
                : "; the apps' JFR samples by library: "
                        + weighted.entrySet().stream()
                                .sorted(Comparator.comparingDouble(e -> -e.getValue()))
                                .limit(5)
                                .map(e ->
                                        String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), e.getValue() / all * 100))
                                .collect(Collectors.joining(", "));
    }

    /** A mode's fixed step at a share of its maximum, in the first block. */
    private static Optional<Map<String, Object>> atShare(
            List<Map<String, Object>> scenarios, String mode, double share) {
        return everyAtShare(scenarios, mode, share).stream().findFirst();
    }

    /** A mode's fixed step at a share of its maximum, in every block: its repeats. */
    private static List<Map<String, Object>> everyAtShare(
            List<Map<String, Object>> scenarios, String mode, double share) {
        return scenarios.stream()
                .filter(s -> "fixed".equals(s.get("kind"))
                        && mode.equals(s.get("tracing"))
                        && number(s.get("shareOfMax")) == share)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static String atHalf(List<Map<String, Object>> scenarios) {
        Optional<Map<String, Object>> run = atShare(scenarios, Benchmark.ON, 0.5);
        if (run.isEmpty()) {
            return "not run";
        }
        Map<String, Map<String, Object>> routes =
                (Map<String, Map<String, Object>>) run.get().get("routeMeanMs");
        Optional<Map<String, Object>> floor = atShare(scenarios, Benchmark.FLOOR, 0.5);
        return "time in the path itself (no queueing at half the maximum; max lag "
                + run.get().get("maxLag")
                + floor.map(f -> "; the floor's p99 at 50 % of its maximum: " + p99(f) + " ms")
                        .orElse("")
                + "); slowest route of each app (mean ms): "
                + routes.entrySet().stream()
                        .map(e -> e.getKey() + " "
                                + top(
                                        e.getValue().entrySet().stream()
                                                .filter(r ->
                                                        !r.getKey().isEmpty() && !WHOLE_RUN_ROUTE.equals(r.getKey()))
                                                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                                        1))
                        .collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    private static String startup(Map<String, Object> results, List<Map<String, Object>> blocks, int cores) {
        Map<String, Object> alone = (Map<String, Object>) results.get("startupAloneMs");
        if (alone == null || alone.isEmpty()) {
            return "started together only: see the table";
        }
        String perApp = alone.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("cpuSeconds"))
                .map(e -> String.format(
                        Locale.ROOT,
                        "%s %.1f s of CPU in %.1f s",
                        e.getKey(),
                        number(alone.get(e.getKey() + " cpuSeconds")),
                        number(e.getValue()) / 1000))
                .collect(Collectors.joining(", "));
        double together = blocks.stream()
                        .flatMap(b -> ((Map<String, Object>) b.get("startupMs")).values().stream())
                        .mapToDouble(Bounds::number)
                        .max()
                        .orElse(0)
                / 1000;
        return String.format(
                Locale.ROOT,
                "CPU: start-up is mostly CPU work (loading classes and initialising "
                        + "Spring Boot, Camel, the Kafka clients and OpenTelemetry, on C1 only); started alone: %s; five "
                        + "starting together on %d cores take up to %.1f s",
                perApp,
                cores,
                together);
    }

    @SuppressWarnings("unchecked")
    private static String memory(List<Map<String, Object>> blocks) {
        List<Map<String, Object>> pipeline = blocks.stream()
                .filter(b -> !Benchmark.FLOOR.equals(b.get("tracing")))
                .toList();
        if (pipeline.isEmpty() || pipeline.get(pipeline.size() - 1).get("memoryMiBAfter") == null) {
            return "no memory breakdown in this run";
        }
        Map<String, Object> last =
                (Map<String, Object>) pipeline.get(pipeline.size() - 1).get("memoryMiBAfter");
        return "the JVM beside the heap; resident MiB = heap + metaspace + the rest (classes mapped from a class "
                + "data sharing archive, code cache, thread stacks, native buffers): "
                + last.entrySet().stream()
                        .sorted(Comparator.comparingDouble(
                                e -> -number(((Map<String, Object>) e.getValue()).get("rss"))))
                        .map(e -> {
                            Map<String, Object> m = (Map<String, Object>) e.getValue();
                            return m.get("heapCommitted") == null
                                    ? e.getKey() + " " + m.get("rss")
                                    : String.format(
                                            Locale.ROOT,
                                            "%s %.0f = %.0f + %.0f + %.0f",
                                            e.getKey(),
                                            number(m.get("rss")),
                                            number(m.get("heapCommitted")),
                                            number(m.get("metaspaceCommitted")),
                                            number(m.get("other")));
                        })
                        .collect(Collectors.joining(", "));
    }

    private static Optional<Map<String, Object>> highestSustained(List<Map<String, Object>> scenarios, String tracing) {
        return Summary.bestSearchSteps(scenarios).stream()
                .filter(s -> tracing.equals(s.get("tracing")))
                .max(Comparator.comparingDouble(s -> number(s.get("offeredRate"))));
    }

    private static String top(Map<String, Object> values, int n) {
        return values.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -number(e.getValue())))
                .limit(n)
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unchecked")
    private static double p99(Map<String, Object> scenario) {
        return number(((Map<String, Object>) scenario.get("latencyMs")).get("p99"));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }
}
