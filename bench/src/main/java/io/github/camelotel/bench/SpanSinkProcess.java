package io.github.camelotel.bench;

import io.github.camelotel.local.SpanSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The trace receiver in a JVM of its own (the local stack's counting {@link SpanSink}), so that its CPU is measured
 * apart from the Kafka broker and the SMTP server: a line on its stdin asks for the spans received so far, and it
 * exits when its stdin closes (the benchmark is gone).
 */
final class SpanSinkProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String endpoint;

    private SpanSinkProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.endpoint = answer("endpoint ");
    }

    static SpanSinkProcess start(Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        return new SpanSinkProcess(new ProcessBuilder(
                        java, "-XX:+UseSerialGC", "-Xmx256m", "-cp", classPath, SpanSinkProcess.class.getName())
                .redirectError(log.toFile())
                .start());
    }

    public static void main(String[] args) throws IOException {
        try (SpanSink sink = SpanSink.startCounting(0);
                BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("endpoint " + sink.endpoint());
            while (stdin.readLine() != null) {
                System.out.println("count " + sink.receivedCount());
            }
        }
        System.exit(0);
    }

    /** The next line with this prefix, without it (other lines, such as a library's log, are skipped). */
    private String answer(String prefix) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new IllegalStateException("the span sink has exited");
    }

    /** The endpoint for OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP). */
    String endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    synchronized long received() throws IOException {
        in.println();
        return Long.parseLong(answer("count "));
    }

    @Override
    public void close() {
        in.close(); // it exits when its stdin closes
        process.destroy();
    }
}
