package io.github.camelotel.local;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A minimal OTLP/HTTP trace receiver ({@code POST /v1/traces}, protobuf) that keeps every span in memory: the
 * apps export to it exactly as they would to an OpenTelemetry Collector, and tests and benchmarks read the spans.
 */
public final class SpanSink implements AutoCloseable {

    /**
     * One received span, flattened: ids in lowercase hex, kind as SERVER/CLIENT/PRODUCER/CONSUMER/INTERNAL, start
     * in nanoseconds since the epoch.
     */
    public record ReceivedSpan(
            String service,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            String kind,
            String status,
            Map<String, String> attributes,
            List<String> events,
            long startNanos) {

        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final boolean keep;
    private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();
    private final AtomicLong received = new AtomicLong();

    private SpanSink(HttpServer server, boolean keep) {
        this.server = server;
        this.keep = keep;
    }

    /** A sink that keeps every span it receives, for tests that look at traces. */
    public static SpanSink start(int port) throws IOException {
        return start(port, true);
    }

    /**
     * A sink that only counts the spans it receives (it parses each request as a collector would, then drops it),
     * for a benchmark that sends millions of spans.
     */
    public static SpanSink startCounting(int port) throws IOException {
        return start(port, false);
    }

    private static SpanSink start(int port, boolean keep) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        SpanSink sink = new SpanSink(server, keep);
        server.createContext("/v1/traces", sink::receive);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        return sink;
    }

    /**
     * A counting sink in a process of its own, {@code SpanSink <port>}: the benchmark's trace receiver, whose CPU it
     * counts apart from the servers'. Runs until the process is stopped.
     */
    public static void main(String[] args) throws Exception {
        startCounting(Integer.parseInt(args[0]));
        Thread.currentThread().join();
    }

    /** The endpoint for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (with protocol http/protobuf). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    public void clear() {
        spans.clear();
    }

    /** How many spans the sink has received since it started, kept or not. */
    public long receivedCount() {
        return received.get();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            request.getResourceSpansList().forEach(this::store);
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
        }
    }

    private void store(ResourceSpans resourceSpans) {
        if (!keep) {
            resourceSpans.getScopeSpansList().forEach(scope -> received.addAndGet(scope.getSpansCount()));
            return;
        }
        String service =
                attributes(resourceSpans.getResource().getAttributesList()).getOrDefault("service.name", "");
        for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
            for (var span : scope.getSpansList()) {
                received.incrementAndGet();
                spans.add(new ReceivedSpan(
                        service,
                        hex(span.getTraceId()),
                        hex(span.getSpanId()),
                        hex(span.getParentSpanId()),
                        span.getName(),
                        span.getKind().name().replace("SPAN_KIND_", ""),
                        span.getStatus().getCode().name().replace("STATUS_CODE_", ""),
                        attributes(span.getAttributesList()),
                        span.getEventsList().stream().map(e -> e.getName()).toList(),
                        span.getStartTimeUnixNano()));
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> keyValues) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (KeyValue keyValue : keyValues) {
            attributes.put(keyValue.getKey(), text(keyValue.getValue()));
        }
        return attributes;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            default -> value.toString();
        };
    }

    private static String hex(ByteString id) {
        return HEX.formatHex(id.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
