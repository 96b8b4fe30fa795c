package io.github.camelotel.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * The one local stack all end-to-end tests of a run share: starting five apps and their servers takes a minute
 * on two cores, so it starts once, on free ports, and stops when the test JVM exits. Every app exports its spans
 * over OTLP to the stack's {@link SpanSink} and to its Zipkin server, as ./run-local does, and ships its logs to a {@link LokiPushSink} (LOKI_URL); the executor sends
 * a purchase every second. app2 and app4 run 2 Kafka consumers each, so that two instances of one (ScaleOutIT) take
 * one partition of the 4 per consumer, as replicas would, instead of 8 consumers of which any 4 idle.
 */
final class SharedStack {

    static final int CONSUMERS_PER_INSTANCE = 2;
    private static LocalStack stack;
    private static LokiPushSink loki;
    /** Why the stack did not start: later test classes fail with it at once instead of starting it again. */
    private static Exception startFailure;

    private SharedStack() {}

    static synchronized LocalStack get() throws Exception {
        if (startFailure != null) {
            throw new IllegalStateException("the shared stack did not start", startFailure);
        }
        if (stack == null) {
            Path root = Path.of(System.getProperty("project.root", ".."))
                    .toAbsolutePath()
                    .normalize();
            loki = LokiPushSink.start();
            LocalStack started = new LocalStack(
                    Ports.free(),
                    root,
                    root.resolve("local/target/it-logs"),
                    Map.of(
                            "EXECUTOR_INTERVAL_MS",
                            "1000",
                            "EXECUTOR_INITIAL_DELAY_MS",
                            "0",
                            "LOKI_URL",
                            loki.pushUrl(),
                            "FAULTS_ADMIN_ENABLED",
                            "true",
                            "KAFKA_CONSUMERS_COUNT",
                            String.valueOf(CONSUMERS_PER_INSTANCE)));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-shared-stack"));
            try {
                stack = started.withSpanSink().withZipkin().start();
            } catch (Exception e) {
                startFailure = e;
                throw e;
            }
        }
        return stack;
    }

    /** What the apps of the shared stack pushed to "Loki". */
    static synchronized LokiPushSink loki() throws Exception {
        get();
        return loki;
    }
}
