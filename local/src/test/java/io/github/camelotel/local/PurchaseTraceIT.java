package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.local.SpanSink.ReceivedSpan;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole flow against real servers: purchases the executor sends end up as rows in PostgreSQL, keys in Redis,
 * and one trace each, whose spans from all five apps are linked client → server and producer → consumer.
 */
class PurchaseTraceIT {

    static final Duration FLOW_TIMEOUT = Duration.ofMinutes(2);
    static final List<String> SERVICES = List.of("executor", "app1-api", "app2-consumer", "app3-api", "app4-worker");
    /** Every hop of a purchase, as caller service → called service. */
    static final Set<String> HOPS = Set.of(
            "executor -CLIENT-> app1-api",
            "app1-api -CLIENT-> app3-api",
            "app1-api -PRODUCER-> app2-consumer",
            "app2-consumer -CLIENT-> app3-api",
            "app3-api -PRODUCER-> app4-worker");

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalStack stack;
    static RedisClient redisClient;
    static StatefulRedisConnection<String, String> redis;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.get();
        redisClient = RedisClient.create("redis://localhost:" + stack.ports().redis());
        redis = redisClient.connect();
    }

    @AfterAll
    static void closeClients() {
        redis.close();
        redisClient.shutdown();
    }

    @Test
    void everyPurchaseIsStoredCachedAndTracedAsOneTraceAcrossFiveApps() throws Exception {
        List<String> orders = Eventually.await(FLOW_TIMEOUT, () -> completedOrders(3));

        for (String orderId : orders) {
            Map<String, Object> row = orderRow(orderId);
            assertThat(row.get("status")).isEqualTo("PAID");
            assertThat(row.get("paid_at")).isNotNull();
            JsonNode items = JSON.readTree((String) row.get("items"));
            BigDecimal expectedTotal = BigDecimal.ZERO;
            for (JsonNode item : items) {
                expectedTotal = expectedTotal.add(item.get("unitPrice").decimalValue()
                        .multiply(BigDecimal.valueOf(item.get("quantity").asInt())));
            }
            assertThat((BigDecimal) row.get("total")).isEqualByComparingTo(expectedTotal);

            JsonNode cached = JSON.readTree(redis.sync().get("order:" + orderId));
            assertThat(cached.get("orderId").asText()).isEqualTo(orderId);
            assertThat(cached.get("status").asText()).isEqualTo("PAID");
            assertThat(redis.sync().ttl("order:" + orderId)).isPositive();

            String traceId = traceOf(orderId);
            List<ReceivedSpan> trace = Eventually.await(FLOW_TIMEOUT, () -> completeTrace(traceId));
            assertLinkedAsOneTrace(trace);
            assertThat(auditTraceIds(orderId)).as("audit rows of " + orderId)
                    .isEqualTo(Map.of("RECEIVED", traceId, "PAID", traceId));
            assertEveryAppLogged(traceId);
        }
    }

    @Test
    void orderReadsAreCacheAsideAndSayWhetherTheyHitTheCache() throws Exception {
        List<String> completed = Eventually.await(FLOW_TIMEOUT, () -> completedOrders(5));
        String orderId = completed.get(completed.size() - 1);
        redis.sync().del("order:" + orderId);

        HttpResponse<String> miss = get("/orders/" + orderId);
        assertThat(miss.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(miss.body()).get("orderId").asText()).isEqualTo(orderId);
        assertThat(redis.sync().get("order:" + orderId)).as("filled on a miss").isNotNull();
        assertThat(redis.sync().ttl("order:" + orderId)).isPositive();

        HttpResponse<String> hit = get("/orders/" + orderId);
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(hit.body())).isEqualTo(JSON.readTree(miss.body()));

        List<String> cacheHits = Eventually.await(Duration.ofSeconds(30), () -> {
            List<String> hits = stack.spanSink().spans().stream()
                    .filter(s -> s.service().equals("app3-api") && s.kind().equals("SERVER"))
                    .filter(s -> orderId.equals(s.attributes().get("order.id")) && s.attributes().containsKey("cache.hit"))
                    .map(s -> s.attributes().get("cache.hit"))
                    .toList();
            return hits.size() >= 2 ? hits : null;
        });
        assertThat(cacheHits).containsExactly("false", "true");

        HttpResponse<String> audit = get("/orders/" + orderId + "/audit");
        assertThat(audit.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(audit.body()).findValuesAsText("event")).containsExactly("RECEIVED", "PAID");
    }

    /** The spans of one purchase: one root (the executor's), every server/consumer span a child of another app. */
    static void assertLinkedAsOneTrace(List<ReceivedSpan> trace) {
        String traceId = trace.get(0).traceId();
        assertThat(trace).allMatch(s -> s.traceId().equals(traceId));
        assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(trace.stream().filter(ReceivedSpan::isRoot).map(ReceivedSpan::service).toList())
                .as("roots of trace " + traceId).containsExactly("executor");

        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        Set<String> hops = new HashSet<>();
        for (ReceivedSpan span : trace) {
            if (span.isRoot()) {
                continue;
            }
            assertThat(byId).as("parent of " + span.service() + " " + span.name()).containsKey(span.parentSpanId());
            if (span.kind().equals("SERVER") || span.kind().equals("CONSUMER")) {
                ReceivedSpan caller = byId.get(span.parentSpanId());
                assertThat(caller.kind()).as("caller of " + span.service() + " " + span.name())
                        .isEqualTo(span.kind().equals("SERVER") ? "CLIENT" : "PRODUCER");
                String hop = caller.service() + " -" + caller.kind() + "-> " + span.service();
                hops.add(hop);
                assertThat(List.of(caller, span)).as("both ends of " + hop + " carry the order")
                        .allMatch(s -> s.attributes().containsKey("order.id")
                                && (!HOPS.contains(hop) || s.attributes().containsKey("customer.id")));
            }
        }
        assertThat(hops).containsAll(HOPS);
        assertThat(trace).as("app3's SQL statements are spans of the purchase")
                .anyMatch(s -> s.service().equals("app3-api") && "sql".equals(s.attributes().get("db.system"))
                        && s.attributes().containsKey("order.id"));

        for (String service : SERVICES) {
            assertThat(trace.stream().filter(s -> s.service().equals(service)).toList())
                    .as(service + " spans carry the client's baggage")
                    .allMatch(s -> "executor".equals(s.attributes().get("x-client-id"))
                            && s.attributes().containsKey("x-session-id"));
        }
    }

    /** Every app wrote at least one line with the trace ID, app2 and app4 on their Kafka consumer threads. */
    static void assertEveryAppLogged(String traceId) throws IOException {
        for (App app : App.values()) {
            List<String> lines = Files.readAllLines(stack.app(app).log()).stream()
                    .filter(line -> line.contains("trace_id=" + traceId)).toList();
            assertThat(lines).as(app.serviceName() + " lines of trace " + traceId).isNotEmpty();
            if (app == App.APP2 || app == App.APP4) {
                assertThat(lines).as(app.serviceName() + " consumer-thread lines").anyMatch(l -> l.contains("[Purchase"));
            }
        }
    }

    /** Order ids that are PAID and cached, with a complete trace: null until there are {@code count}. */
    static List<String> completedOrders(int count) throws SQLException {
        List<String> done = new ArrayList<>();
        try (Connection db = database(); ResultSet rows = db.createStatement()
                .executeQuery("SELECT order_id FROM orders WHERE status = 'PAID' ORDER BY created_at")) {
            while (rows.next() && done.size() < count) {
                String orderId = rows.getString(1);
                if (redis.sync().exists("order:" + orderId) == 1 && completeTrace(traceOf(orderId)) != null) {
                    done.add(orderId);
                }
            }
        }
        return done.size() == count ? done : null;
    }

    /** The trace the executor started for this order (reads of the order later make traces of their own). */
    static String traceOf(String orderId) {
        Set<String> traces = stack.spanSink().spans().stream()
                .filter(s -> s.isRoot() && s.service().equals("executor") && orderId.equals(s.attributes().get("order.id")))
                .map(ReceivedSpan::traceId).collect(Collectors.toSet());
        assertThat(traces).as("traces of order " + orderId).hasSize(1);
        return traces.iterator().next();
    }

    /** The trace's spans once app4-worker's consumer span has arrived (spans are exported in batches). */
    static List<ReceivedSpan> completeTrace(String traceId) {
        List<ReceivedSpan> trace = stack.spanSink().trace(traceId);
        boolean complete = trace.stream().anyMatch(s -> s.service().equals("app4-worker") && s.kind().equals("CONSUMER"))
                && trace.stream().anyMatch(ReceivedSpan::isRoot);
        return complete ? trace : null;
    }

    static Map<String, Object> orderRow(String orderId) throws SQLException {
        try (Connection db = database(); var query = db.prepareStatement(
                "SELECT status, paid_at, total, cast(items AS TEXT) AS items FROM orders WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("row of " + orderId).isTrue();
                return Map.of("status", row.getString("status"), "paid_at", row.getTimestamp("paid_at"),
                        "total", row.getBigDecimal("total"), "items", row.getString("items"));
            }
        }
    }

    static Map<String, String> auditTraceIds(String orderId) throws SQLException {
        try (Connection db = database(); var query = db.prepareStatement(
                "SELECT event, trace_id FROM audit_log WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet rows = query.executeQuery()) {
                Map<String, String> audit = new java.util.HashMap<>();
                while (rows.next()) {
                    assertThat(audit.put(rows.getString(1), rows.getString(2))).as("one row per event").isNull();
                }
                return audit;
            }
        }
    }

    static Connection database() throws SQLException {
        return DriverManager.getConnection(stack.infrastructure().jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + stack.ports().app3() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
