package io.github.camelotel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One load run of the benchmark and what it measured. */
final class Scenario {

    final String name;
    final String kind;
    final String tracing;
    final int block;
    final double offeredRate;
    final int seconds;
    /** For a fixed rate set as a share of the maximum (0.1, 0.5, 0.9): that share, else 0. */
    double shareOfMax;

    long startedAt;
    long sent;
    long completed;
    long failed;
    /** Purchases neither completed nor failed when the executor stopped waiting (drain timeout). */
    long lost;

    double sendRate;
    double sendingSeconds;
    double completedRate;
    long p50;
    long p95;
    long p99;
    long max;
    double mean;
    Map<String, Long> maxLag = new LinkedHashMap<>();
    /** Median total consumer lag in the second and in the last quarter of the sending time. */
    long lagSecondQuarter;

    long lagLastQuarter;
    boolean stoppedEarly;
    boolean sustained;
    String verdict = "";
    Map<String, Double> coresUsed = new LinkedHashMap<>();
    double machineBusyCores;
    /** How long the scenario ran, sending and draining, in seconds (the window of coresUsed). */
    double runSeconds;

    long spansReceived;
    Map<String, Object> profiles;
    /** Per app: the mean milliseconds per exchange of each of its routes during the scenario. */
    Map<String, Map<String, Double>> routeMeanMs = new LinkedHashMap<>();
    /** Per second of the run: {t (epoch ms), sent, completed, failed, p50, p99}. */
    final List<Map<String, Object>> seconds_ = new ArrayList<>();

    Scenario(String name, String kind, String tracing, int block, double offeredRate, int seconds) {
        this.name = name;
        this.kind = kind;
        this.tracing = tracing;
        this.block = block;
        this.offeredRate = offeredRate;
        this.seconds = seconds;
    }

    Scenario atShare(double share) {
        shareOfMax = share;
        return this;
    }

    /** Takes the executor's final report of the run (GET /load). */
    void read(JsonNode report) {
        startedAt = report.path("startedAt").asLong();
        sent = report.path("sent").asLong();
        completed = report.path("completed").asLong();
        failed = report.path("failed").asLong();
        lost = report.path("inFlight").asLong();
        sendingSeconds = Math.max(0.001, report.path("sendingSeconds").asDouble());
        sendRate = round1(sent / sendingSeconds);
        JsonNode latency = report.path("latencyMs");
        p50 = latency.path("p50").asLong();
        p95 = latency.path("p95").asLong();
        p99 = latency.path("p99").asLong();
        max = latency.path("max").asLong();
        mean = latency.path("mean").asDouble();
        // completions per second while sending, leaving out the first fifth (the pipeline filling up)
        int from = (int) Math.floor(sendingSeconds * 0.2);
        int to = (int) Math.floor(sendingSeconds);
        long steady = 0;
        for (JsonNode second : report.path("seconds")) {
            int index = second.path("second").asInt();
            if (index >= from && index < to) {
                steady += second.path("completed").asLong();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t", startedAt + index * 1000L);
            row.put("sent", second.path("sent").asLong());
            row.put("completed", second.path("completed").asLong());
            row.put("failed", second.path("failed").asLong());
            row.put("p50", second.path("latencyMs").path("p50").asLong());
            row.put("p99", second.path("latencyMs").path("p99").asLong());
            seconds_.add(row);
        }
        completedRate = to > from ? round1((double) steady / (to - from)) : 0;
    }

    /**
     * Sustained: nothing failed or lost, the executor sent at the rate asked and the pipeline completed at it,
     * and the consumer lag did not build up (in the second half of the run it stayed under a second's worth).
     */
    void judge() {
        List<String> problems = new ArrayList<>();
        if (failed > 0) {
            problems.add(failed + " failed");
        }
        if (lost > 0) {
            problems.add(lost + " not completed");
        }
        if (stoppedEarly) {
            problems.add("stopped early: backlog");
        }
        if (sendRate < 0.95 * offeredRate) {
            problems.add("executor sent only " + sendRate + "/s");
        }
        if (completedRate < 0.95 * offeredRate) {
            problems.add("completed only " + completedRate + "/s");
        }
        // consumers commit offsets every 5 s (Kafka's auto-commit), so the summed lag of three groups saw-tooths
        // between 0 and ~15 s worth of purchases even when they keep up, and the medians of two short quarters can
        // land on different teeth: allow 8 s worth (a real backlog also shows in the completed rate and latency; a
        // lower bar judged steps unsustained that completed every purchase in time: bench/README.md, "Why the rules")
        if (lagLastQuarter > lagSecondQuarter + Math.max(50, offeredRate * 8)) {
            problems.add("consumer lag growing (median " + lagSecondQuarter + " -> " + lagLastQuarter + ")");
        }
        // a backlog shows as latency that keeps rising while the purchases are sent
        double early = meanP50(0.25, 0.5);
        double late = meanP50(0.75, 1.0);
        if (late > 2 * early + 50) {
            problems.add("latency growing (p50 " + Math.round(early) + " -> " + Math.round(late) + " ms)");
        }
        sustained = problems.isEmpty();
        verdict = sustained ? "sustained" : String.join("; ", problems);
    }

    /** Mean of the per-second p50 latencies in a part of the sending time (0.25 to 0.5: its second quarter). */
    private double meanP50(double from, double to) {
        double sum = 0;
        int n = 0;
        for (Map<String, Object> second : seconds_) {
            double at = (((Number) second.get("t")).longValue() - startedAt) / 1000.0 / Math.max(1, sendingSeconds);
            long p50 = ((Number) second.get("p50")).longValue();
            if (at >= from && at < to && p50 > 0) {
                sum += p50;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("kind", kind);
        map.put("tracing", tracing);
        map.put("block", block);
        map.put("offeredRate", offeredRate);
        map.put("seconds", seconds);
        if (shareOfMax > 0) {
            map.put("shareOfMax", shareOfMax);
        }
        map.put("startedAt", startedAt);
        map.put("sent", sent);
        map.put("completed", completed);
        map.put("failed", failed);
        map.put("lost", lost);
        map.put("sendRate", sendRate);
        map.put("completedRate", completedRate);
        map.put("latencyMs", Map.of("p50", p50, "p95", p95, "p99", p99, "max", max, "mean", mean));
        map.put("maxLag", maxLag);
        map.put("medianTotalLag", Map.of("secondQuarter", lagSecondQuarter, "lastQuarter", lagLastQuarter));
        map.put("sustained", sustained);
        map.put("verdict", verdict);
        Map<String, Double> roundedCores = new LinkedHashMap<>();
        coresUsed.forEach((name, used) -> roundedCores.put(name, Processes.round2(used)));
        map.put("coresUsed", roundedCores);
        // CPU milliseconds each process spent per purchase completed: what bounds the throughput of a full machine
        Map<String, Double> cpuPerPurchase = new LinkedHashMap<>();
        coresUsed.forEach((name, cores) ->
                cpuPerPurchase.put(name, completed == 0 ? 0 : Processes.round2(cores * runSeconds * 1000 / completed)));
        map.put("cpuMsPerPurchase", cpuPerPurchase);
        map.put(
                "cpuMsPerPurchaseTotal",
                Processes.round2(cpuPerPurchase.values().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum()));
        map.put("machineBusyCores", machineBusyCores);
        // CPU the machine spent on anything but the stack: other people's work competing for the cores
        map.put(
                "otherCores",
                Processes.round2(Math.max(
                        0,
                        machineBusyCores
                                - coresUsed.values().stream()
                                        .mapToDouble(Double::doubleValue)
                                        .sum())));
        map.put("spansReceived", spansReceived);
        map.put("spansPerPurchase", completed == 0 ? 0 : Processes.round2((double) spansReceived / completed));
        map.put("routeMeanMs", routeMeanMs);
        if (profiles != null) {
            map.put("profiles", profiles);
        }
        map.put("perSecond", seconds_);
        return map;
    }

    static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
