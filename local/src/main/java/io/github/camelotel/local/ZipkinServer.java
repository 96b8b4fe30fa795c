package io.github.camelotel.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The trace UI of the local stack without Docker: the Zipkin server's executable jar from Maven Central (the build
 * copies it to {@code local/target/servers/zipkin.jar}), as a child process with its output in
 * {@code <log dir>/zipkin.log}. It keeps spans in memory (the newest {@link #MAX_SPANS}), serves its UI at
 * {@code /zipkin/} and its API at {@code /api/v2/}. It has no OTLP receiver: the apps send to it with
 * OpenTelemetry's Zipkin exporter ({@code OTEL_TRACES_EXPORTER=zipkin}, endpoint {@link #spansEndpoint()}).
 */
public final class ZipkinServer implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /**
     * About an hour of ./run-local's purchases; bounds the memory, as the heap is small: when Zipkin runs out of it,
     * its span POSTs time out and the apps drop spans (bench/results/tuning).
     */
    static final int MAX_SPANS = 20_000;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final ServerProcess process;

    private ZipkinServer(int port, ServerProcess process) {
        this.port = port;
        this.process = process;
    }

    /** Starts the server without waiting for it; {@link #awaitReady()} waits. */
    public static ZipkinServer start(int port, Path logDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("env");
        command.add("QUERY_PORT=" + port);
        command.add("STORAGE_TYPE=mem");
        command.add("MEM_MAX_SPANS=" + MAX_SPANS);
        // a heap for MAX_SPANS spans; and a few threads for the span POSTs of five apps, where Armeria's blocking
        // task pool keeps up to 200 idle threads by default
        command.addAll(ServerProcess.javaCommand(
                logDir.getParent(),
                S3Server.serverJar("zipkin.jar"),
                List.of("-Xms32m", "-Xmx128m", "-Dcom.linecorp.armeria.numCommonBlockingTaskThreads=8")));
        return new ZipkinServer(port, ServerProcess.start("zipkin", command, logDir.resolve("zipkin.log"), "TERM"));
    }

    /** Waits until the server reports UP on /health. */
    public void awaitReady() throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(address() + "/health"))
                .timeout(Duration.ofSeconds(5))
                .build();
        process.awaitReady(
                START_TIMEOUT,
                () -> HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** http://localhost:port, the base of the API ({@code /api/v2/...}). */
    public String address() {
        return "http://localhost:" + port;
    }

    /** The UI. */
    public String uiUrl() {
        return address() + "/zipkin/";
    }

    /** The UI's page of one trace. */
    public String traceUrl(String traceId) {
        return address() + "/zipkin/traces/" + traceId;
    }

    /** For {@code OTEL_EXPORTER_ZIPKIN_ENDPOINT}. */
    public String spansEndpoint() {
        return address() + "/api/v2/spans";
    }

    public Path log() {
        return process.log();
    }

    /** A graceful stop (SIGTERM), then a kill if the server has not stopped in time. */
    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
