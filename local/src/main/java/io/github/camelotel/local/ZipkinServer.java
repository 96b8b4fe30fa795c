package io.github.camelotel.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The trace UI of the local stack without Docker: the Zipkin server's executable jar from Maven Central (the build
 * copies it to {@code local/target/servers/zipkin.jar}), as a child process with its output in
 * {@code <log dir>/zipkin.log}. It keeps spans in memory (the newest {@link #MAX_SPANS}), serves its UI at
 * {@code /zipkin/} and its API at {@code /api/v2/}. It has no OTLP receiver: the apps send to it with
 * OpenTelemetry's Zipkin exporter ({@code OTEL_TRACES_EXPORTER=zipkin}, endpoint {@link #spansEndpoint()}).
 */
public final class ZipkinServer implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** About an hour of ./run-local's purchases; bounds the memory, as the heap is small. */
    static final int MAX_SPANS = 50_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final Path log;
    private final Process process;

    private ZipkinServer(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the server without waiting for it; {@link #awaitReady()} waits. */
    public static ZipkinServer start(int port, Path logDir) throws IOException {
        Path jar = S3Server.serverJar("zipkin.jar");
        Files.createDirectories(logDir);
        Path log = logDir.resolve("zipkin.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AppProcess.JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("QUERY_PORT", String.valueOf(port));
        builder.environment().put("STORAGE_TYPE", "mem");
        builder.environment().put("MEM_MAX_SPANS", String.valueOf(MAX_SPANS));
        return new ZipkinServer(port, log, builder.start());
    }

    /** Waits until the server reports UP on /health. */
    public void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpRequest health = HttpRequest.newBuilder(URI.create(address() + "/health")).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Zipkin server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the Zipkin server is not ready after " + START_TIMEOUT + "; see " + log);
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
        return log;
    }

    /** A graceful stop (SIGTERM), then a kill if the server has not stopped within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
