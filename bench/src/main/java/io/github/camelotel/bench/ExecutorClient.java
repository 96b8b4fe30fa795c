package io.github.camelotel.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The benchmark's calls to the executor's load mode (the app's or the floor's, same API): POST /load starts a run,
 * GET /load reports, DELETE /load stops sending. Each call carries the supplier's bearer token if there is one (the
 * executor's /load wants scope load:run; the floor ignores it).
 */
public final class ExecutorClient {

    public record Latency(long p50, long p99, long max) {}

    /** A second of a run: purchases due in it (sent, failed) and completed in it, with their latency. */
    public record Second(long second, long sent, long completed, long failed, Latency latencyMs) {}

    /** The fields of GET /load the benchmark reads (the state alone while idle), as the floor's executor writes them. */
    public record LoadReport(
            String state,
            long startedAt,
            long sent,
            long completed,
            long failed,
            long inFlight,
            double sendingSeconds,
            Latency latencyMs,
            List<Second> seconds) {
        public LoadReport {
            latencyMs = latencyMs == null ? new Latency(0, 0, 0) : latencyMs;
            seconds = seconds == null ? List.of() : seconds;
        }

        boolean done() {
            return state.equals("done");
        }

        boolean idle() {
            return done() || state.equals("idle");
        }
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI load;
    private final Supplier<String> accessToken;

    ExecutorClient(int port, Supplier<String> accessToken) {
        this.load = URI.create("http://localhost:" + port + "/load");
        this.accessToken = accessToken;
    }

    /** Starts a run: {@code rate} purchases/s for {@code durationSeconds}, or {@code count} purchases (0: no limit). */
    void start(double rate, long durationSeconds, long count) throws IOException, InterruptedException {
        String body = JSON.createObjectNode()
                .put("rate", rate)
                .put("durationSeconds", durationSeconds)
                .put("count", count)
                .toString();
        HttpResponse<String> response = send(request().POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /load answered " + response.statusCode() + ": " + response.body());
        }
    }

    LoadReport report() throws IOException, InterruptedException {
        return JSON.readValue(send(request().GET()).body(), LoadReport.class);
    }

    void stop() throws IOException, InterruptedException {
        send(request().DELETE());
    }

    /** Stops sending and waits for the run to be done (its drain). */
    LoadReport stopAndWait() throws IOException, InterruptedException {
        stop();
        LoadReport report = report();
        while (!report.idle()) {
            Thread.sleep(500);
            report = report();
        }
        return report;
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(load).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
        String token = accessToken == null ? null : accessToken.get();
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
