package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The purchases one end-to-end test sends, told apart from the shared stack executor's own (whose ids are random) by
 * their order id prefix: sent to app1 as a client would, and counted afterwards on the real servers (rows, cache
 * keys, invoices, mails, dead letters) and in the span sink (one trace per purchase, with every hop).
 */
final class PurchaseRun {

    /** How long the client keeps offering one purchase to app1 after a refusal or a connection failure. */
    static final Duration ACCEPT_TIMEOUT = Duration.ofSeconds(40);
    /** The hops of a purchase: app1's server span, app2's consumer span, app3's server span, app4's consumer span. */
    static final Set<String> HOPS =
            Set.of("app1-api SERVER", "app2-consumer CONSUMER", "app3-api SERVER", "app4-worker CONSUMER");

    static final Set<String> CONSUMER_HOPS = Set.of("app2-consumer CONSUMER", "app4-worker CONSUMER");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    final String run;
    final LocalStack stack;
    /**
     * Order id → the trace of the request app1 accepted. A client's retry after a refusal is a new request, so a new
     * trace: the refused attempts' spans are in traces of their own.
     */
    final Map<String, String> acceptedTraces = new ConcurrentHashMap<>();

    PurchaseRun(String prefix, LocalStack stack) {
        this.run = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.stack = stack;
    }

    List<String> orderIds(int count) {
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            orderIds.add(run + "-" + i);
        }
        return orderIds;
    }

    /** Sends these purchases from now on, one every {@code slotMillis}, each at its slot. */
    List<CompletableFuture<Void>> send(List<String> orderIds, long slotMillis, ExecutorService senders) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < orderIds.size(); i++) {
            String orderId = orderIds.get(i);
            sent.add(CompletableFuture.runAsync(
                    () -> sendUntilAccepted(orderId),
                    CompletableFuture.delayedExecutor(i * slotMillis, TimeUnit.MILLISECONDS, senders)));
        }
        return sent;
    }

    /** Posts to app1's async path as a client would: again after a refusal or a connection failure. */
    void sendUntilAccepted(String orderId) {
        String purchase = """
                {"orderId": "%s", "customerId": "C-7", "customerName": "Test Customer",
                 "customerEmail": "%s@example.com", "currency": "EUR",
                 "items": [{"sku": "SKU-1", "name": "Banana", "quantity": 3, "unitPrice": 0.5}]}
                """.formatted(orderId, orderId);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.ports().app1() + "/Message/Post-Message"))
                .header("Content-Type", "application/json")
                .header("x-client-id", "e2e-test")
                .header("Authorization", Bearer.executor(stack))
                .POST(HttpRequest.BodyPublishers.ofString(purchase))
                .build();
        // at its slot, in the sender's thread (several send at once: none swaps the JVM's uncaught-exception
        // handler); again every 250 ms while app1 refuses it or is unreachable
        await("app1 accepts " + orderId)
                .atMost(ACCEPT_TIMEOUT)
                .pollInSameThread()
                .dontCatchUncaughtExceptions()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> accepted(orderId, request));
    }

    private boolean accepted(String orderId, HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            return false;
        }
        acceptedTraces.put(
                orderId, JSON.readTree(response.body()).path("traceId").asText());
        return true;
    }

    /** The dead letters of this run per topic once every order is either mailed or dead-lettered; null before. */
    Map<String, Integer> settled(List<String> orderIds) throws Exception {
        Map<String, Integer> deadLetters = deadLetters();
        int dead = deadLetters.values().stream().mapToInt(Integer::intValue).sum();
        Set<String> mailed = mailedOrders().keySet();
        return mailed.size() + dead >= orderIds.size()
                        && mailed.containsAll(orderIds.subList(0, orderIds.size() - dead))
                ? deadLetters
                : null;
    }

    Map<String, Integer> deadLetters() {
        Properties config = new Properties();
        config.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "purchase-run-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Integer> counts = new HashMap<>(Map.of("Purchase.DLT", 0, "Purchase2.DLT", 0));
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(counts.keySet());
            for (int emptyPolls = 0; emptyPolls < 3; ) {
                var records = consumer.poll(Duration.ofSeconds(1));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<String, String> record : records) {
                    if (record.key() != null && record.key().startsWith(run)) {
                        counts.merge(record.topic(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    /** Order id → number of mails its customer received. */
    Map<String, Long> mailedOrders() throws Exception {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage mail : stack.infrastructure().mail().received()) {
            if (mail.getSubject() != null && mail.getSubject().contains(run)) {
                subjects.add(mail.getSubject().substring(mail.getSubject().indexOf(run)));
            }
        }
        return subjects.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    }

    /**
     * What became of this run's orders. {@code tracesMissingOnlyConsumerHops}: one trace that lacks nothing but
     * app2's or app4's consumer span, as a killed consumer leaves (its spans still in the export buffer);
     * {@code incompleteTraces}: the hops missing → how many orders' traces miss them.
     */
    record Counts(
            int paidOrders,
            int auditRows,
            long cached,
            long invoices,
            long mails,
            long mailedTwice,
            long completeTraces,
            long tracesMissingOnlyConsumerHops,
            Map<Set<String>, Long> incompleteTraces) {

        /** Each of the run's orders paid with one audit row, cached, invoiced and mailed, none twice. */
        void assertEachOrderDoneOnce(int orders) {
            assertThat(paidOrders).isEqualTo(orders);
            assertThat(auditRows).as("one PAID audit row per order").isEqualTo(orders);
            assertThat(cached).isEqualTo(orders);
            assertThat(invoices).isEqualTo(orders);
            assertThat(mails).isEqualTo(orders);
            assertThat(mailedTwice).isZero();
        }
    }

    Counts count(List<String> orderIds) throws Exception {
        int paid;
        int audit;
        try (Connection db = DriverManager.getConnection(
                stack.infrastructure().jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD)) {
            paid = single(
                    db,
                    "SELECT count(DISTINCT order_id) FROM orders WHERE status = 'PAID' AND order_id LIKE '" + run
                            + "-%'");
            audit = single(db, "SELECT count(*) FROM audit_log WHERE event = 'PAID' AND order_id LIKE '" + run + "-%'");
        }
        RedisClient client =
                RedisClient.create("redis://localhost:" + stack.ports().redis());
        long cached;
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            cached = redis.sync().keys("order:" + run + "-*").size();
        } finally {
            client.shutdown();
        }
        long invoices = 0;
        for (String orderId : orderIds) {
            URI object = URI.create(stack.infrastructure().s3Endpoint() + "/" + Infrastructure.INVOICES_BUCKET + "/"
                    + orderId + ".html");
            if (HTTP.send(HttpRequest.newBuilder(object).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200) {
                invoices++;
            }
        }
        Map<String, Long> mailed = mailedOrders();
        long mails = mailed.values().stream().mapToLong(Long::longValue).sum();
        long mailedTwice = mailed.values().stream().filter(n -> n > 1).count();
        Map<Set<String>, Long> missing = missingHops(orderIds);
        long complete = missing.getOrDefault(Set.of(), 0L);
        long onlyConsumers = missing.entrySet().stream()
                .filter(e -> !e.getKey().isEmpty() && CONSUMER_HOPS.containsAll(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        missing.remove(Set.of());
        return new Counts(paid, audit, cached, invoices, mails, mailedTwice, complete, onlyConsumers, missing);
    }

    /** The hops missing from each order's one trace → how many orders miss them ({} for the complete ones). */
    private Map<Set<String>, Long> missingHops(List<String> orderIds) {
        return orderIds.stream().collect(Collectors.groupingBy(this::missingHops, Collectors.counting()));
    }

    /** The hops missing from the trace of the order's accepted request (all of them when it was not accepted). */
    Set<String> missingHops(String orderId) {
        String traceId = acceptedTraces.get(orderId);
        Set<String> seen = stack.spanSink().spans().stream()
                .filter(s -> s.traceId().equals(traceId)
                        && orderId.equals(s.attributes().get("order.id")))
                .map(s -> s.service() + " " + s.kind())
                .collect(Collectors.toSet());
        return HOPS.stream().filter(hop -> !seen.contains(hop)).collect(Collectors.toSet());
    }

    /**
     * Counts once {@code traced} holds, or after 30 s with what is there: the last spans reach the sink up to a batch
     * delay after the last mail. Each count reads every order back: once a second is often enough.
     */
    Counts countOnceTraced(List<String> orderIds, Predicate<Counts> traced) throws Exception {
        AtomicReference<Counts> counted = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> {
                        counted.set(count(orderIds));
                        return traced.test(counted.get());
                    });
        } catch (ConditionTimeoutException incomplete) {
            // the caller asserts on the counts, with them printed first
        }
        return counted.get() != null ? counted.get() : count(orderIds);
    }

    private static int single(Connection db, String query) throws Exception {
        try (ResultSet row = db.createStatement().executeQuery(query)) {
            row.next();
            return row.getInt(1);
        }
    }
}
