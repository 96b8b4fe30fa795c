package io.github.camelotel.bench;

import io.github.camelotel.load.LoadPlan;
import io.github.camelotel.load.LoadReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The executor's load mode over HTTP (the app's or the floor's: the same load-engine): POST /load starts a run, GET
 * reports, DELETE stops sending; with a bearer token (the app's /load wants scope load:run; the floor ignores it).
 */
final class ExecutorClient {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI load;
    private final Callable<String> accessToken;

    ExecutorClient(int port, Callable<String> accessToken) {
        this.load = URI.create("http://localhost:" + port + "/load");
        this.accessToken = accessToken;
    }

    void start(LoadPlan plan) throws Exception {
        HttpResponse<String> response = send("POST", Benchmark.JSON.writeValueAsString(plan));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /load answered " + response.statusCode() + ": " + response.body());
        }
    }

    LoadReport report() throws Exception {
        return Benchmark.JSON.readValue(send("GET", null).body(), LoadReport.class);
    }

    void stop() throws Exception {
        send("DELETE", null);
    }

    private HttpResponse<String> send(String method, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(load)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + accessToken.call())
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
