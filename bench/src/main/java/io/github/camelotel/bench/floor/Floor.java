package io.github.camelotel.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor: the purchase of the five apps written by hand, for the benchmark to compare against. One process per
 * app ({@code executor}, {@code app1-api} … {@code app4-worker}), each doing exactly the I/O its app does per purchase (the
 * same HTTP requests, Kafka records, SQL statements, Redis commands, S3 PUT and SMTP transaction, on the same
 * servers, from the same environment variables) with plain clients and every connection reused: no framework, no
 * tracing, no metrics, no log line per message. What it costs is what the work itself costs on this machine.
 */
public final class Floor {

    static final ObjectMapper JSON = new ObjectMapper();
    /** routes/common/purchase.schema.json, which the routes check every purchase with (OpenAPI 3.0's draft 4). */
    static final JsonSchema PURCHASES = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(FloorApps.projectRoot()
                    .resolve("routes/common/purchase.schema.json")
                    .toUri());

    private Floor() {}

    public static void main(String[] args) throws Exception {
        String parent = System.getenv("PARENT_PID");
        if (parent != null) { // like the apps: the process exits when the benchmark that started it is gone
            ProcessHandle.of(Long.parseLong(parent))
                    .ifPresent(
                            p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(1)));
        }
        switch (args.length == 1 ? args[0] : "") {
            case "executor" -> FloorExecutor.start();
            case "app1-api" -> FloorApps.app1();
            case "app2-consumer" -> FloorApps.app2();
            case "app3-api" -> FloorApps.app3();
            case "app4-worker" -> FloorApps.app4();
            default ->
                throw new IllegalArgumentException("usage: Floor executor|app1-api|app2-consumer|app3-api|app4-worker");
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }

    /** An HTTP server on {@code port} with {@code threads} workers and the health endpoint the stack waits for. */
    static HttpServer server(String portVariable, int threads) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(intEnv(portVariable, 0)), 256);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/actuator/health", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
        return server;
    }

    interface Handler {
        void handle(HttpExchange exchange, byte[] body) throws Exception;
    }

    /** A POST handler given the request body: 400 for an invalid purchase, 500 for any other failure. */
    static HttpHandler post(Handler handler) {
        return exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                handler.handle(exchange, in.readAllBytes());
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "{\"error\":\"invalid\",\"message\":\"" + e.getMessage() + "\"}");
            } catch (Exception e) {
                respond(exchange, 500, "{\"error\":\"internal\"}");
            } finally {
                exchange.close();
            }
        };
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** HTTP/1.1 with keep-alive, as camel-http's pooled client: no HTTP/2 upgrade attempt. */
    static HttpClient httpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    static HttpResponse<byte[]> postJson(HttpClient http, String url, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The purchase parsed once and checked against the routes' schema, as the apps' contracts and json-validator. */
    static JsonNode purchase(byte[] body) {
        JsonNode purchase;
        try {
            purchase = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        PURCHASES.validate(purchase).stream().findFirst().ifPresent(invalid -> {
            throw new IllegalArgumentException(invalid.getMessage());
        });
        return purchase;
    }

    /** A property's pattern in the purchase schema, for the checks app4-worker's route makes by the same patterns. */
    static Pattern pattern(String property) {
        return Pattern.compile(PURCHASES
                .getSchemaNode()
                .at("/properties/" + property + "/pattern")
                .asText());
    }

    /** A producer with kafka-clients' defaults (as camel-kafka's, which waits for each record's acknowledgement). */
    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    interface RecordHandler {
        void handle(ConsumerRecord<String, String> record) throws Exception;
    }

    /**
     * {@code threads} consumers of {@code topic} in {@code group} (KAFKA_CONSUMERS_COUNT, as the apps'), each handling
     * its records one after the other and committing automatically every 5 s after they are handled (at least once).
     * A failed record is retried with backoff, never skipped; an invalid one is dropped (the routes dead-letter it).
     */
    static void consume(String group, String topic, String offsetReset, int threads, RecordHandler handler) {
        Map<String, Object> properties = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        for (int i = 0; i < threads; i++) {
            new Thread(() -> poll(new KafkaConsumer<>(properties), topic, handler)).start();
        }
    }

    private static void poll(KafkaConsumer<String, String> consumer, String topic, RecordHandler handler) {
        consumer.subscribe(List.of(topic));
        while (true) {
            consumer.poll(Duration.ofMillis(500)).forEach(record -> handle(handler, record));
        }
    }

    private static void handle(RecordHandler handler, ConsumerRecord<String, String> record) {
        for (long delay = 250; ; delay = Math.min(30_000, delay * 2)) {
            try {
                handler.handle(record);
                return;
            } catch (IllegalArgumentException e) {
                System.err.println("floor: dropping an invalid record of " + record.topic() + ": " + e.getMessage());
                return;
            } catch (Exception e) {
                System.err.println("floor: retrying a record of " + record.topic() + " in " + delay + " ms: " + e);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
