package io.github.camelotel.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
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
 * role ({@code executor}, {@code app1}, {@code app2}, {@code app3}, {@code app4}), each doing exactly the I/O its app
 * does per purchase (the same HTTP requests, Kafka records, SQL statements, Redis commands, S3 PUT and SMTP
 * transaction, on the same servers, read from the same environment variables), with the plain clients the Camel
 * components use underneath or the JDK's, and nothing else: no framework, no tracing, no metrics, no log line per
 * message. What it costs is what the work itself costs on this machine.
 */
public final class Floor {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The patterns of routes/common/purchase.schema.json that the routes rely on; checked by hand here. */
    static final Pattern ORDER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$");

    static final Pattern CUSTOMER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$");
    static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,189}\\.[A-Za-z]{2,24}$");
    static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

    private Floor() {}

    public static void main(String[] args) throws Exception {
        String role = args.length == 1 ? args[0] : "";
        ParentWatch.start();
        switch (role) {
            case "executor" -> FloorExecutor.start();
            case "app1" -> FloorApps.app1();
            case "app2" -> FloorApps.app2();
            case "app3" -> FloorApps.app3();
            case "app4" -> FloorApps.app4();
            default -> throw new IllegalArgumentException("usage: Floor executor|app1|app2|app3|app4");
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

    /** Handles POST only, with the request body; anything else is 405. */
    static HttpHandler post(IoHandler handler) {
        return exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    respond(exchange, 405, "{\"error\":\"method_not_allowed\"}");
                    return;
                }
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                handler.handle(exchange, body);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "{\"error\":\"invalid\",\"message\":\"" + e.getMessage() + "\"}");
            } catch (Exception e) {
                respond(exchange, 500, "{\"error\":\"internal\"}");
            }
        };
    }

    interface IoHandler {
        void handle(HttpExchange exchange, byte[] body) throws Exception;
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }

    static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
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

    /**
     * The purchase parsed once and checked against the schema's rules (required fields, patterns, items): what
     * json-validator does in the routes, by hand.
     */
    static JsonNode purchase(byte[] body) throws IOException {
        JsonNode purchase = JSON.readTree(body);
        require(purchase.isObject(), "a purchase is a JSON object");
        require(ORDER_ID.matcher(purchase.path("orderId").asText()).matches(), "orderId");
        require(CUSTOMER_ID.matcher(purchase.path("customerId").asText()).matches(), "customerId");
        String name = purchase.path("customerName").asText();
        require(
                !name.isEmpty()
                        && name.length() <= 120
                        && name.chars().noneMatch(c -> c < 0x20 || c == '<' || c == '>' || c == '"'),
                "customerName");
        require(EMAIL.matcher(purchase.path("customerEmail").asText()).matches(), "customerEmail");
        require(CURRENCY.matcher(purchase.path("currency").asText()).matches(), "currency");
        JsonNode items = purchase.path("items");
        require(items.isArray() && !items.isEmpty() && items.size() <= 50, "items");
        for (JsonNode item : items) {
            require(item.path("sku").isTextual() && item.path("name").isTextual(), "items.sku/name");
            int quantity = item.path("quantity").asInt(0);
            require(item.path("quantity").isIntegralNumber() && quantity >= 1 && quantity <= 1000, "items.quantity");
            require(item.path("unitPrice").isNumber() && item.path("unitPrice").doubleValue() > 0, "items.unitPrice");
        }
        return purchase;
    }

    private static void require(boolean condition, String field) {
        if (!condition) {
            throw new IllegalArgumentException("invalid " + field);
        }
    }

    static String brokers() {
        return env("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
    }

    /** A producer with kafka-clients' defaults (as camel-kafka's, which waits for each record's acknowledgement). */
    static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /**
     * {@code threads} consumers of {@code topic} in group {@code group} (KAFKA_CONSUMERS_COUNT, as the apps'
     * consumers-count), each handling its records one after the other, committing automatically every 5 s after
     * they are handled (at least once). A failed record is retried with backoff, never skipped.
     */
    static List<Thread> consume(
            String group,
            String topic,
            String offsetReset,
            int threads,
            Consumer<ConsumerRecord<String, String>> handler) {
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(
                    () -> {
                        Properties properties = new Properties();
                        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers());
                        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
                        properties.put(
                                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                        properties.put(
                                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
                        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
                            consumer.subscribe(List.of(topic));
                            while (true) {
                                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                                    handleWithRetries(handler, record);
                                }
                            }
                        }
                    },
                    topic + "-consumer-" + i);
            thread.start();
            started.add(thread);
        }
        return started;
    }

    private static void handleWithRetries(
            Consumer<ConsumerRecord<String, String>> handler, ConsumerRecord<String, String> record) {
        long delay = 250;
        while (true) {
            try {
                handler.accept(record);
                return;
            } catch (InvalidRecord e) {
                System.err.println("floor: skipping an invalid record of " + record.topic() + ": " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                System.err.println("floor: retrying a record of " + record.topic() + " in " + delay + " ms: " + e);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                delay = Math.min(30_000, delay * 2);
            }
        }
    }

    /** A record no retry can fix (the routes dead-letter it). */
    static final class InvalidRecord extends RuntimeException {
        InvalidRecord(String message) {
            super(message);
        }
    }

    /** Unchecked wrapper for the consumers' handlers. */
    static RuntimeException unchecked(Exception e) {
        return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }

    /** Like the apps (PARENT_PID): the process exits when the benchmark that started it is gone. */
    static final class ParentWatch {
        static void start() {
            String parent = System.getenv("PARENT_PID");
            if (parent == null) {
                return;
            }
            Thread watch = new Thread(
                    () -> {
                        ProcessHandle.of(Long.parseLong(parent))
                                .ifPresent(p -> p.onExit().join());
                        Runtime.getRuntime().halt(1);
                    },
                    "parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
    }

    @SuppressWarnings("unchecked") // a JSON object converts to a map of names to values
    static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }
}
