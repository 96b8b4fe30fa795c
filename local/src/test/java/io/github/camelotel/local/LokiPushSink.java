package io.github.camelotel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for Loki in the end-to-end tests: accepts what the apps push to {@code /loki/api/v1/push} (Loki's JSON
 * push format: streams of labels, each with [timestamp, line, structured metadata] values) and keeps every line.
 */
final class LokiPushSink implements AutoCloseable {

    static final String PUSH_PATH = "/loki/api/v1/push";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One log line as Loki would store it. */
    record Entry(Map<String, String> labels, String line, Map<String, String> metadata) {}

    private final HttpServer server;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();

    private LokiPushSink(HttpServer server) {
        this.server = server;
    }

    static LokiPushSink start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        LokiPushSink sink = new LokiPushSink(server);
        server.createContext(PUSH_PATH, sink::push);
        server.start();
        return sink;
    }

    String pushUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PUSH_PATH;
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Pushes that were not Loki's JSON format (content type and reason), so a test can say why it saw nothing. */
    List<String> rejected() {
        return List.copyOf(rejected);
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] bytes = body.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())
                    || contentType == null
                    || !contentType.startsWith("application/json")) {
                rejected.add(exchange.getRequestMethod() + " " + contentType);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            try {
                entries.addAll(parse(JSON.readTree(bytes)));
            } catch (IOException | RuntimeException e) {
                rejected.add(contentType + ": " + e);
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    static List<Entry> parse(JsonNode push) {
        List<Entry> parsed = new ArrayList<>();
        for (JsonNode stream : push.withArray("streams")) {
            Map<String, String> labels = strings(stream.get("stream"));
            for (JsonNode value : stream.withArray("values")) {
                Map<String, String> metadata = value.size() > 2 ? strings(value.get(2)) : Map.of();
                parsed.add(new Entry(labels, value.get(1).asText(), metadata));
            }
        }
        return parsed;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object != null) {
            object.fields()
                    .forEachRemaining(
                            field -> map.put(field.getKey(), field.getValue().asText()));
        }
        return map;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
