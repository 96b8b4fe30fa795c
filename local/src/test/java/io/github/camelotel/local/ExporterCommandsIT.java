package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.local.SpanSink.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every documented command that sends telemetry, run with exactly its variables: each test starts an app1-api JVM of
 * its own (the built jar, as ./run-local and the documented {@code spring-boot:run} run it) beside the shared stack,
 * whose servers and apps it uses, sends it a purchase and waits for that purchase's spans where the command sends
 * them. Endpoints keep the documented host, {@code localhost}; only their port is a free one, so a collector or
 * Loki the developer runs on 4318 or 3100 neither collides nor receives the test's telemetry.
 */
class ExporterCommandsIT {

    static final Duration TIMEOUT = Duration.ofMinutes(1);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.get();
    }

    /**
     * README "See the traces" and run-local's header: {@code OTEL_TRACES_EXPORTER=otlp
     * OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 ./run-local}. No protocol is given: the platform's default
     * (http/protobuf) must be what an endpoint on 4318 takes. The app gets what ./run-local adds for that environment.
     */
    @Test
    void readmeCommandExportsOverOtlpHttpWithoutAProtocol() throws Exception {
        try (SpanSink sink = SpanSink.start(0)) {
            Map<String, String> command = Map.of(
                    "OTEL_TRACES_EXPORTER",
                    "otlp",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://localhost:" + URI.create(sink.endpoint()).getPort());
            assertThat(TraceSettings.startsZipkin(command))
                    .as("./run-local starts no Zipkin for it")
                    .isFalse();
            String traceId = sendPurchaseThroughOwnApp1("readme", runLocal(command, null));
            assertSpansOfApp1Arrived(sink, traceId);
        }
    }

    /** README "Quick start" and "Inject a fault": plain {@code ./run-local}, whose apps export to its Zipkin. */
    @Test
    void plainRunLocalExportsToZipkin() throws Exception {
        Map<String, String> command = Map.of();
        assertThat(TraceSettings.startsZipkin(command)).isTrue();
        String traceId = sendPurchaseThroughOwnApp1(
                "run-local", runLocal(command, stack.zipkin().spansEndpoint()));
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> trace = HTTP.send(
                    HttpRequest.newBuilder(URI.create(stack.zipkin().address() + "/api/v2/trace/" + traceId))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(trace.statusCode()).isEqualTo(200);
            boolean app1Server = false;
            for (JsonNode span : JSON.readTree(trace.body())) {
                app1Server |=
                        span.path("localEndpoint").path("serviceName").asText().equals("app1-api")
                                && span.path("kind").asText().equals("SERVER");
            }
            assertThat(app1Server).as("app1-api's SERVER span in Zipkin").isTrue();
        });
    }

    /**
     * docs/grafana.md "Start it": {@code export OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
     * OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 LOKI_URL=http://localhost:3100/loki/api/v1/push}, then
     * {@code ./mvnw -f <app> spring-boot:run}: the same app, so its jar here. Spans and log lines both arrive.
     */
    @Test
    void grafanaGuideCommandExportsSpansAndLogs() throws Exception {
        try (SpanSink sink = SpanSink.start(0);
                LokiPushSink loki = LokiPushSink.start()) {
            Map<String, String> command = Map.of(
                    "OTEL_TRACES_EXPORTER",
                    "otlp",
                    "OTEL_EXPORTER_OTLP_PROTOCOL",
                    "http/protobuf",
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "http://localhost:" + URI.create(sink.endpoint()).getPort(),
                    "LOKI_URL",
                    "http://localhost:" + URI.create(loki.pushUrl()).getPort() + LokiPushSink.PUSH_PATH);
            String traceId = sendPurchaseThroughOwnApp1("grafana", command);
            assertSpansOfApp1Arrived(sink, traceId);
            await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(loki.entries())
                            .as("app1-api's log lines in Loki (rejected pushes: %s)", loki.rejected())
                            .anyMatch(entry -> "app1-api".equals(entry.labels().get("service_name"))));
        }
    }

    /** What ./run-local gives its apps for this user environment: the user's variables, and the stack's additions. */
    static Map<String, String> runLocal(Map<String, String> user, String zipkinEndpoint) {
        Map<String, String> env = new HashMap<>(user);
        env.putAll(TraceSettings.environment(user, null, zipkinEndpoint));
        return env;
    }

    /**
     * Starts an app1-api of its own with {@code telemetry} (the inherited environment sets no OTEL_*), posts a purchase
     * to its async path, and answers the trace ID it gives back; the app stops gracefully when this returns.
     */
    static String sendPurchaseThroughOwnApp1(String name, Map<String, String> telemetry) throws Exception {
        assertThat(System.getenv().keySet())
                .as("variables the test JVM would pass on")
                .noneMatch(k -> k.startsWith("OTEL_"));
        int port = Ports.freePort();
        Map<String, String> env = new HashMap<>(stack.appEnvironment(App.APP1));
        env.put("APP1_PORT", String.valueOf(port));
        env.put("APP3_URL", "http://localhost:" + stack.ports().app3());
        env.putAll(telemetry);
        Path root = Path.of(System.getProperty("project.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path logDir = root.resolve("local/target/it-logs/exporter-commands").resolve(name);
        try (AppProcess app1 = AppProcess.start(App.APP1, root, logDir, port, env)) {
            app1.awaitReady(LocalStack.START_TIMEOUT);
            String body = """
                    {"orderId": "%s", "customerId": "C-1", "customerName": "Ada Lovelace",
                     "customerEmail": "ada@example.com", "currency": "EUR",
                     "items": [{"sku": "SKU-1", "name": "Coffee", "quantity": 2, "unitPrice": 3.5}]}
                    """.formatted("exporter-" + name + "-" + UUID.randomUUID());
            HttpResponse<String> accepted = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/Message/Post-Message"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", Bearer.executor(stack))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            return JSON.readTree(accepted.body()).path("traceId").asText();
        }
    }

    static void assertSpansOfApp1Arrived(SpanSink sink, String traceId) throws Exception {
        List<ReceivedSpan> spans = await("app1-api's SERVER span of trace " + traceId)
                .atMost(TIMEOUT)
                .until(
                        () -> sink.trace(traceId),
                        trace -> trace.stream().anyMatch(s -> s.kind().equals("SERVER")));
        assertThat(spans).extracting(ReceivedSpan::service).containsOnly("app1-api");
    }
}
