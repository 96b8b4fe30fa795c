package io.github.camelotel.bench;

import io.github.camelotel.local.SpanSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The trace receiver (local's {@link SpanSink}) in a JVM of its own, so that its CPU is measured apart from the
 * servers. It exits when its stdin closes, that is when the benchmark is gone.
 */
final class SpanSinkProcess implements AutoCloseable {

    private final Process process;
    /** For OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP). */
    final String endpoint;

    SpanSinkProcess(Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        // warnings only (floor-logback.xml): nothing reads its output after the endpoint
        process = new ProcessBuilder(
                        java,
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-Dlogback.configurationFile=floor-logback.xml",
                        "-cp",
                        classPath,
                        getClass().getName())
                .redirectError(log.toFile())
                .start();
        endpoint = process.inputReader()
                .lines()
                .filter(line -> line.startsWith("endpoint "))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the span sink has exited: see " + log))
                .substring("endpoint ".length());
    }

    public static void main(String[] args) throws IOException {
        try (SpanSink sink = SpanSink.startCounting(0)) {
            System.out.println("endpoint " + sink.endpoint());
            System.in.transferTo(OutputStream.nullOutputStream());
        }
        System.exit(0);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
