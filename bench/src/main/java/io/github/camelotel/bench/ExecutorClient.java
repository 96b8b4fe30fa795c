package io.github.camelotel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The executor's load mode over HTTP: POST /load starts a run, GET /load reports, DELETE /load stops sending. */
final class ExecutorClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    ExecutorClient(int port) {
        this.base = "http://localhost:" + port + "/load";
    }

    void start(double rate, long durationSeconds) throws IOException, InterruptedException {
        String body = JSON.createObjectNode()
                .put("rate", rate)
                .put("durationSeconds", durationSeconds)
                .toString();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /load answered " + response.statusCode() + ": " + response.body());
        }
    }

    JsonNode report() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    void stop() throws IOException, InterruptedException {
        http.send(
                HttpRequest.newBuilder(URI.create(base))
                        .timeout(Duration.ofSeconds(10))
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }
}
