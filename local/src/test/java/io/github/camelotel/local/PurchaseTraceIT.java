package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.local.SpanSink.ReceivedSpan;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole flow against real servers: purchases the executor sends end up as rows in PostgreSQL, keys in Redis,
 * and one trace each, whose spans from all five apps are linked client → server and producer → consumer, named and
 * shaped by the OpenTelemetry semantic conventions (the platform's span decorators), and whose service graph is the
 * architecture's.
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
            "app3-api -PRODUCER-> app4-worker",
            "app4-worker -PRODUCER-> executor");
    /** The completion event carries only the order id (no customer id) to the executor. */
    static final String COMPLETION_HOP = "app4-worker -PRODUCER-> executor";
    /** The spans of one purchase, as service, kind and name: every network call, and the executor's root step. */
    static final List<String> PURCHASE_SPANS = List.of(
            "executor INTERNAL send purchase",
            "executor CLIENT POST",
            "executor CLIENT POST",
            "app1-api SERVER POST /Message",
            "app1-api CLIENT POST",
            "app1-api SERVER POST /Message/Post-Message",
            "app1-api PRODUCER send Purchase",
            "app3-api SERVER POST /PostMessage",
            "app3-api SERVER POST /Message/Post-Message",
            "app3-api CLIENT INSERT orders",
            "app3-api CLIENT INSERT audit_log",
            "app3-api CLIENT SELECT orders",
            "app3-api CLIENT INSERT orders",
            "app3-api CLIENT INSERT audit_log",
            "app3-api CLIENT SELECT orders",
            "app3-api PRODUCER send Purchase2",
            "app2-consumer CONSUMER process Purchase",
            "app2-consumer CLIENT POST",
            "app4-worker CONSUMER process Purchase2",
            "app4-worker CLIENT SETEX",
            "app4-worker CLIENT GET",
            "app4-worker CLIENT PutObject invoices",
            "app4-worker CLIENT SET",
            "app4-worker CLIENT GET",
            "app4-worker CLIENT smtp send",
            "app4-worker CLIENT SET",
            "app4-worker PRODUCER send PurchaseCompleted",
            "executor CONSUMER process PurchaseCompleted");

    static final int SPAN_BUDGET = 40;
    /** The service graph of a purchase: the architecture's arrows, and nothing else. */
    static final Set<String> SERVICE_GRAPH = Set.of(
            "executor -> app1-api",
            "app1-api -> app3-api",
            "app1-api -> app2-consumer",
            "app2-consumer -> app3-api",
            "app3-api -> app4-worker",
            "app4-worker -> executor",
            "app3-api -> postgresql",
            "app4-worker -> redis",
            "app4-worker -> s3",
            "app4-worker -> smtp");

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
        List<String> orders = await("3 orders paid, cached and traced to the end")
                .atMost(FLOW_TIMEOUT)
                .ignoreExceptions()
                .until(() -> completedOrders(3), Objects::nonNull);

        for (String orderId : orders) {
            Map<String, Object> row = orderRow(orderId);
            assertThat(row.get("status")).isEqualTo("PAID");
            assertThat(row.get("paid_at")).isNotNull();
            JsonNode items = JSON.readTree((String) row.get("items"));
            BigDecimal expectedTotal = BigDecimal.ZERO;
            for (JsonNode item : items) {
                expectedTotal = expectedTotal.add(item.get("unitPrice")
                        .decimalValue()
                        .multiply(BigDecimal.valueOf(item.get("quantity").asInt())));
            }
            assertThat((BigDecimal) row.get("total")).isEqualByComparingTo(expectedTotal);

            JsonNode cached = JSON.readTree(redis.sync().get("order:" + orderId));
            assertThat(cached.get("orderId").asText()).isEqualTo(orderId);
            assertThat(cached.get("status").asText()).isEqualTo("PAID");
            assertThat(redis.sync().ttl("order:" + orderId)).isPositive();

            String traceId = traceOf(orderId);
            List<ReceivedSpan> trace = await("trace " + traceId + " to the end")
                    .atMost(FLOW_TIMEOUT)
                    .until(() -> completeTrace(traceId), Objects::nonNull);
            assertLinkedAsOneTrace(trace);
            assertShapedByTheConventions(trace, orderId);
            assertThat(serviceGraph(trace))
                    .as("service graph of trace " + traceId)
                    .isEqualTo(SERVICE_GRAPH);
            if (orderId.equals(orders.get(0))) {
                System.out.printf("one purchase's trace (%d spans), order %s:%n%s", trace.size(), orderId, tree(trace));
                System.out.printf("its service graph: %s%n", new java.util.TreeSet<>(serviceGraph(trace)));
            }
            assertThat(auditTraceIds(orderId))
                    .as("audit rows of " + orderId)
                    .isEqualTo(Map.of("RECEIVED", traceId, "PAID", traceId));
            assertEveryAppLogged(traceId);
        }
    }

    @Test
    void orderReadsAreCacheAsideAndSayWhetherTheyHitTheCache() throws Exception {
        List<String> completed = await("5 orders paid, cached and traced to the end")
                .atMost(FLOW_TIMEOUT)
                .ignoreExceptions()
                .until(() -> completedOrders(5), Objects::nonNull);
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

        List<String> cacheHits = await("app3-api's spans of both reads of " + orderId)
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> stack.spanSink().spans().stream()
                                .filter(s -> s.service().equals("app3-api")
                                        && s.kind().equals("SERVER"))
                                .filter(s -> orderId.equals(s.attributes().get("order.id"))
                                        && s.attributes().containsKey("cache.hit"))
                                .map(s -> s.attributes().get("cache.hit"))
                                .toList(),
                        hits -> hits.size() >= 2);
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
        assertThat(trace.stream()
                        .filter(ReceivedSpan::isRoot)
                        .map(ReceivedSpan::service)
                        .toList())
                .as("roots of trace " + traceId)
                .containsExactly("executor");

        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        Set<String> hops = new HashSet<>();
        for (ReceivedSpan span : trace) {
            if (span.isRoot()) {
                continue;
            }
            assertThat(byId)
                    .as("parent of " + span.service() + " " + span.name())
                    .containsKey(span.parentSpanId());
            if (span.kind().equals("SERVER") || span.kind().equals("CONSUMER")) {
                ReceivedSpan caller = byId.get(span.parentSpanId());
                assertThat(caller.kind())
                        .as("caller of " + span.service() + " " + span.name())
                        .isEqualTo(span.kind().equals("SERVER") ? "CLIENT" : "PRODUCER");
                String hop = caller.service() + " -" + caller.kind() + "-> " + span.service();
                hops.add(hop);
                assertThat(List.of(caller, span))
                        .as("both ends of " + hop + " carry the order")
                        .allMatch(s -> s.attributes().containsKey("order.id")
                                && (!HOPS.contains(hop)
                                        || hop.equals(COMPLETION_HOP)
                                        || s.attributes().containsKey("customer.id")));
            }
        }
        assertThat(hops).containsAll(HOPS);
        assertThat(trace)
                .as("app3's SQL statements are spans of the purchase")
                .anyMatch(s -> s.service().equals("app3-api")
                        && "postgresql".equals(s.attributes().get("db.system"))
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
                    .filter(line -> line.contains("trace_id=" + traceId))
                    .toList();
            assertThat(lines)
                    .as(app.serviceName() + " lines of trace " + traceId)
                    .isNotEmpty();
            if (app == App.APP2 || app == App.APP4) {
                assertThat(lines)
                        .as(app.serviceName() + " consumer-thread lines")
                        .anyMatch(l -> l.contains("[Purchase"));
            }
        }
    }

    /** Order ids that are PAID and cached, with a complete trace: null until there are {@code count}. */
    static List<String> completedOrders(int count) throws SQLException {
        List<String> done = new ArrayList<>();
        try (Connection db = database();
                ResultSet rows = db.createStatement()
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
                .filter(s -> s.isRoot()
                        && s.service().equals("executor")
                        && orderId.equals(s.attributes().get("order.id")))
                .map(ReceivedSpan::traceId)
                .collect(Collectors.toSet());
        assertThat(traces).as("traces of order " + orderId).hasSize(1);
        return traces.iterator().next();
    }

    /**
     * The trace's spans once app4-worker's consumer span and the executor's one of the completion event have arrived
     * (spans are exported in batches).
     */
    static List<ReceivedSpan> completeTrace(String traceId) {
        List<ReceivedSpan> trace = stack.spanSink().trace(traceId);
        boolean complete = trace.stream()
                        .anyMatch(s ->
                                s.service().equals("app4-worker") && s.kind().equals("CONSUMER"))
                && trace.stream()
                        .anyMatch(
                                s -> s.service().equals("executor") && s.kind().equals("CONSUMER"))
                && trace.stream().anyMatch(ReceivedSpan::isRoot);
        return complete ? trace : null;
    }

    /** The OAuth2 client each server span's request came from: the executor, then app1 and app2 at app3. */
    static final Map<String, String> CALLERS = Map.of(
            "app1-api POST /Message", "executor",
            "app1-api POST /Message/Post-Message", "executor",
            "app3-api POST /PostMessage", "app1-api",
            "app3-api POST /Message/Post-Message", "app2-consumer");

    /** Names, kinds and attributes by the OpenTelemetry semantic conventions; no span that is not a call or a step. */
    static void assertShapedByTheConventions(List<ReceivedSpan> trace, String orderId) {
        assertThat(trace).as("span budget of one purchase").hasSizeLessThanOrEqualTo(SPAN_BUDGET);
        assertThat(trace.stream()
                        .map(s -> s.service() + " " + s.kind() + " " + s.name())
                        .toList())
                .as(tree(trace))
                .containsExactlyInAnyOrderElementsOf(PURCHASE_SPANS);
        for (ReceivedSpan span : trace) {
            Map<String, String> a = span.attributes();
            String what = span.service() + " " + span.kind() + " " + span.name() + " " + a;
            switch (span.kind()) {
                case "SERVER" ->
                    assertThat(a)
                            .as(what)
                            .containsEntry("http.request.method", span.name().split(" ")[0])
                            .containsEntry("http.route", span.name().split(" ")[1])
                            .containsEntry("url.path", span.name().split(" ")[1])
                            .containsKey("http.response.status_code")
                            .containsEntry("auth.client_id", CALLERS.get(span.service() + " " + span.name()))
                            .doesNotContainKey("user.id");
                case "PRODUCER", "CONSUMER" -> {
                    assertThat(a)
                            .as(what)
                            .containsEntry("messaging.system", "kafka")
                            .containsEntry(
                                    "messaging.destination.name", span.name().split(" ")[1])
                            .containsEntry(
                                    "messaging.operation.type", span.name().split(" ")[0])
                            .containsEntry("messaging.kafka.message.key", orderId);
                    if (span.kind().equals("CONSUMER")) {
                        assertThat(a)
                                .as(what)
                                .containsEntry("messaging.consumer.group.name", span.service())
                                .containsKeys("messaging.destination.partition.id", "messaging.kafka.offset");
                    }
                }
                case "CLIENT" -> assertClientCall(span, what, orderId);
                default ->
                    assertThat(span.isRoot())
                            .as("the only INTERNAL span is the root: " + what)
                            .isTrue();
            }
        }
    }

    static void assertClientCall(ReceivedSpan span, String what, String orderId) {
        Map<String, String> a = span.attributes();
        assertThat(a).as(what).containsKeys("server.address", "server.port");
        if (span.name().equals("POST")) {
            assertThat(a)
                    .as(what)
                    .containsEntry("http.request.method", "POST")
                    .hasEntrySatisfying(
                            "http.response.status_code",
                            status -> assertThat(status).matches("20[0-2]"))
                    .hasEntrySatisfying(
                            "url.full",
                            url -> assertThat(url).startsWith("http://").doesNotContain("httpMethod"));
        } else if ("postgresql".equals(a.get("db.system"))) {
            assertThat(a)
                    .as(what)
                    .containsEntry("db.namespace", "purchases")
                    .containsEntry("peer.service", "postgresql")
                    .containsEntry("db.operation.name", span.name().split(" ")[0])
                    .containsEntry("db.collection.name", span.name().split(" ")[1])
                    .hasEntrySatisfying(
                            "db.query.text",
                            sql -> assertThat(sql)
                                    .as("parameters never in the statement")
                                    .contains("?")
                                    .doesNotContain(orderId, "${"));
        } else if ("redis".equals(a.get("db.system"))) {
            assertThat(a)
                    .as(what)
                    .containsEntry("db.operation.name", span.name())
                    .containsEntry("peer.service", "redis");
        } else if (span.name().startsWith("PutObject")) {
            assertThat(a)
                    .as(what)
                    .containsEntry("aws.s3.bucket", "invoices")
                    .containsEntry("aws.s3.key", orderId + ".html");
        } else {
            assertThat(span.name()).as(what).isEqualTo("smtp send");
        }
    }

    /**
     * The edges Tempo's service-graph processor draws from these spans: a CLIENT (PRODUCER) span with a SERVER
     * (CONSUMER) child in another service is an edge between the two services; a CLIENT span without one is a call to
     * a node named by its first peer attribute (Tempo's defaults: peer.service, db.name, db.system; then
     * server.address).
     */
    static Set<String> serviceGraph(List<ReceivedSpan> trace) {
        Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
        Set<String> edges = new HashSet<>();
        Set<String> answered = new HashSet<>();
        for (ReceivedSpan span : trace) {
            ReceivedSpan parent = byId.get(span.parentSpanId());
            if (parent != null
                    && !parent.service().equals(span.service())
                    && (span.kind().equals("SERVER") && parent.kind().equals("CLIENT")
                            || span.kind().equals("CONSUMER") && parent.kind().equals("PRODUCER"))) {
                edges.add(parent.service() + " -> " + span.service());
                answered.add(parent.spanId());
            }
        }
        for (ReceivedSpan span : trace) {
            if (span.kind().equals("CLIENT") && !answered.contains(span.spanId())) {
                Map<String, String> a = span.attributes();
                String peer = a.getOrDefault(
                        "peer.service",
                        a.getOrDefault("db.name", a.getOrDefault("db.system", a.get("server.address"))));
                if (peer != null) {
                    edges.add(span.service() + " -> " + peer);
                }
            }
        }
        return edges;
    }

    /** The trace as a tree, children indented under their parent in the order they started. */
    static String tree(List<ReceivedSpan> trace) {
        Map<String, List<ReceivedSpan>> children = trace.stream()
                .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos))
                .collect(Collectors.groupingBy(
                        ReceivedSpan::parentSpanId, java.util.LinkedHashMap::new, Collectors.toList()));
        StringBuilder text = new StringBuilder();
        Set<String> ids = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        trace.stream()
                .filter(s -> !ids.contains(s.parentSpanId()))
                .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos))
                .forEach(root -> appendTree(text, root, children, 0));
        return text.toString();
    }

    private static void appendTree(
            StringBuilder text, ReceivedSpan span, Map<String, List<ReceivedSpan>> children, int depth) {
        text.append("  ".repeat(depth))
                .append(span.service())
                .append(' ')
                .append(span.kind())
                .append(' ')
                .append(span.name())
                .append('\n');
        children.getOrDefault(span.spanId(), List.of()).forEach(child -> appendTree(text, child, children, depth + 1));
    }

    static Map<String, Object> orderRow(String orderId) throws SQLException {
        try (Connection db = database();
                var query = db.prepareStatement(
                        "SELECT status, paid_at, total, cast(items AS TEXT) AS items FROM orders WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).as("row of " + orderId).isTrue();
                return Map.of(
                        "status",
                        row.getString("status"),
                        "paid_at",
                        row.getTimestamp("paid_at"),
                        "total",
                        row.getBigDecimal("total"),
                        "items",
                        row.getString("items"));
            }
        }
    }

    static Map<String, String> auditTraceIds(String orderId) throws SQLException {
        try (Connection db = database();
                var query = db.prepareStatement("SELECT event, trace_id FROM audit_log WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet rows = query.executeQuery()) {
                Map<String, String> audit = new java.util.HashMap<>();
                while (rows.next()) {
                    assertThat(audit.put(rows.getString(1), rows.getString(2)))
                            .as("one row per event")
                            .isNull();
                }
                return audit;
            }
        }
    }

    static Connection database() throws SQLException {
        return DriverManager.getConnection(
                stack.infrastructure().jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + stack.ports().app3() + path))
                        .header("Authorization", Bearer.backOffice(stack))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
