package io.github.camelotel.load;

import java.util.List;

/**
 * A load run as GET /load answers it (the record components are the JSON's fields): its plan and state, its counts,
 * and the end-to-end latency in total and per second. Times are epoch milliseconds; while idle only the state is set.
 */
public record LoadReport(
        String state,
        LoadPlan plan,
        int concurrency,
        long startedAt,
        Long sendingEndedAt,
        Long doneAt,
        double sendingSeconds,
        long sent,
        long completed,
        long failed,
        long inFlight,
        String lastFailure,
        Latency latencyMs,
        List<Second> seconds) {

    /** Latency percentiles in milliseconds (0 without a purchase). */
    public record Latency(long p50, long p95, long p99, long max, double mean) {}

    /** A second of the run: purchases due in it (sent, failed) and completed in it, with their latency. */
    public record Second(long second, long sent, long completed, long failed, Latency latencyMs) {}

    public boolean done() {
        return "done".equals(state);
    }

    /** Done, or no run yet. */
    public boolean idle() {
        return done() || "idle".equals(state);
    }
}
