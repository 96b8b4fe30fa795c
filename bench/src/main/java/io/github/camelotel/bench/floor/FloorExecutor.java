package io.github.camelotel.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor's executor: the executor's load mode (the same {@code /load} API and report, so the benchmark drives
 * both alike) sending each purchase down the sync then the async path of app1 with the same headers and body, and
 * the end-to-end latency from the purchase's slot to its PurchaseCompleted record's timestamp.
 */
final class FloorExecutor {

    private static final List<String> CUSTOMERS =
            List.of("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra");
    private static final List<Object[]> CATALOGUE = List.of(
            new Object[] {"SKU-COFFEE", "Coffee beans 1 kg", new BigDecimal("18.90")},
            new Object[] {"SKU-MUG", "Enamel mug", new BigDecimal("9.50")},
            new Object[] {"SKU-GRINDER", "Hand grinder", new BigDecimal("64.00")},
            new Object[] {"SKU-FILTER", "Paper filters (100)", new BigDecimal("4.25")});

    private final HttpClient http = Floor.httpClient();
    private final String app1 = Floor.env("APP1_URL", "http://localhost:8081");
    private final String clientId = Floor.env("EXECUTOR_CLIENT_ID", "executor");
    private final String sessionId = UUID.randomUUID().toString();
    private final int concurrency = Floor.intEnv("EXECUTOR_LOAD_CONCURRENCY", 16);
    private final long drainTimeoutMillis = Floor.intEnv("EXECUTOR_LOAD_DRAIN_TIMEOUT_MS", 30000);
    private volatile Run run;

    private FloorExecutor() {}

    static void start() throws IOException {
        FloorExecutor executor = new FloorExecutor();
        Floor.consume("executor", "PurchaseCompleted", "latest", 1, record -> {
            Run current = executor.run;
            if (current != null) {
                current.completed(record.key(), record.timestamp());
            }
        });
        HttpServer server = Floor.server("EXECUTOR_PORT", 4);
        server.createContext("/load", exchange -> {
            try (exchange) {
                executor.load(exchange);
            }
        });
        server.start();
    }

    private synchronized void load(HttpExchange exchange) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "POST" -> {
                if (run != null && run.state != State.DONE) {
                    Floor.respond(exchange, 409, "{\"error\":\"conflict\"}");
                    return;
                }
                JsonNode request;
                try (InputStream in = exchange.getRequestBody()) {
                    request = Floor.JSON.readTree(in.readAllBytes());
                }
                run = new Run(
                        request.path("rate").asDouble(1),
                        request.path("durationSeconds").asLong(60),
                        request.path("count").asLong(0));
                Thread pacer = new Thread(run::pace, "floor-load");
                pacer.start();
                Floor.respond(exchange, 202, Floor.JSON.writeValueAsBytes(run.plan()));
            }
            case "DELETE" -> {
                boolean going = run != null && run.state != State.DONE;
                if (going) {
                    run.stopRequested = true;
                }
                Floor.respond(
                        exchange, going ? 200 : 404, going ? "{\"status\":\"stopping\"}" : "{\"error\":\"not_found\"}");
            }
            default ->
                Floor.respond(
                        exchange,
                        200,
                        Floor.JSON.writeValueAsBytes(run == null ? Map.of("state", "idle") : run.report()));
        }
    }

    /** One purchase as the executor's PurchaseGenerator builds it. */
    private static Map<String, Object> purchase() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int customer = random.nextInt(CUSTOMERS.size());
        List<Map<String, Object>> items = new ArrayList<>();
        int lines = 1 + random.nextInt(3);
        for (int i = 0; i < lines; i++) {
            Object[] entry = CATALOGUE.get((customer + i) % CATALOGUE.size());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("sku", entry[0]);
            line.put("name", entry[1]);
            line.put("unitPrice", entry[2]);
            line.put("quantity", 1 + random.nextInt(3));
            items.add(line);
        }
        Map<String, Object> purchase = new LinkedHashMap<>();
        purchase.put("orderId", UUID.randomUUID().toString());
        purchase.put("customerId", "C-" + (1001 + customer));
        purchase.put("customerName", CUSTOMERS.get(customer));
        purchase.put(
                "customerEmail",
                CUSTOMERS.get(customer).toLowerCase(Locale.ROOT).replace(' ', '.') + "@example.com");
        purchase.put("currency", "EUR");
        purchase.put("items", items);
        return purchase;
    }

    /** Both calls to app1, the sync path first; true when both were accepted (2xx). */
    private boolean send(Map<String, Object> purchase) {
        try {
            byte[] body = Floor.JSON.writeValueAsBytes(purchase);
            String[] headers = {"x-client-id", clientId, "x-session-id", sessionId};
            HttpResponse<byte[]> sync = Floor.postJson(http, app1 + "/Message", body, headers);
            HttpResponse<byte[]> async = Floor.postJson(http, app1 + "/Message/Post-Message", body, headers);
            return sync.statusCode() / 100 == 2 && async.statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    enum State {
        RUNNING,
        DRAINING,
        DONE
    }

    /** A load run: pacing by slot, the purchases in flight, latencies in total and per second (as LoadRun). */
    private final class Run {
        final double rate;
        final long durationSeconds;
        final long count;
        final long startMillis = System.currentTimeMillis();
        final long startNanos = System.nanoTime();
        final Map<String, Long> inFlight = new ConcurrentHashMap<>();
        final List<Long> latencies = new ArrayList<>();
        final List<long[]> perSecond = new ArrayList<>(); // sent, failed, completed
        final List<List<Long>> perSecondLatencies = new ArrayList<>();
        volatile State state = State.RUNNING;
        volatile boolean stopRequested;
        long sent;
        long failed;
        long completed;
        long sendingEndedMillis;
        long doneMillis;

        Run(double rate, long durationSeconds, long count) {
            this.rate = rate;
            this.durationSeconds = durationSeconds;
            this.count = count;
        }

        Map<String, Object> plan() {
            Map<String, Object> plan = new LinkedHashMap<>();
            plan.put("rate", rate);
            plan.put("durationSeconds", durationSeconds);
            plan.put("count", count);
            plan.put("concurrency", concurrency);
            return plan;
        }

        /** The pacer: hands each slot to one of {@code concurrency} senders, then waits for the purchases in flight. */
        void pace() {
            java.util.concurrent.ExecutorService senders =
                    java.util.concurrent.Executors.newFixedThreadPool(concurrency);
            java.util.concurrent.Semaphore free = new java.util.concurrent.Semaphore(concurrency);
            for (long index = 0; !stopRequested && (count == 0 || index < count); index++) {
                long dueNanos = (long) (index * 1e9 / rate);
                if (durationSeconds > 0 && dueNanos >= TimeUnit.SECONDS.toNanos(durationSeconds)) {
                    break;
                }
                long wait;
                while ((wait = startNanos + dueNanos - System.nanoTime()) > 0 && !stopRequested) {
                    LockSupport.parkNanos(wait);
                }
                free.acquireUninterruptibly();
                long due = startMillis + TimeUnit.NANOSECONDS.toMillis(dueNanos);
                senders.execute(() -> {
                    try {
                        Map<String, Object> purchase = purchase();
                        String orderId = (String) purchase.get("orderId");
                        sending(orderId, due);
                        if (!send(purchase)) {
                            failed(orderId);
                        }
                    } finally {
                        free.release();
                    }
                });
            }
            free.acquireUninterruptibly(concurrency);
            senders.shutdown();
            synchronized (this) {
                state = State.DRAINING;
                sendingEndedMillis = System.currentTimeMillis();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMillis);
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            synchronized (this) {
                state = State.DONE;
                doneMillis = System.currentTimeMillis();
            }
        }

        synchronized void sending(String orderId, long due) {
            inFlight.put(orderId, due);
            sent++;
            second(due)[0]++;
        }

        synchronized void failed(String orderId) {
            Long due = inFlight.remove(orderId);
            if (due != null) {
                failed++;
                second(due)[1]++;
            }
        }

        synchronized void completed(String orderId, long completedMillis) {
            Long due = inFlight.remove(orderId);
            if (due == null) {
                return;
            }
            long latency = Math.max(0, completedMillis - due);
            completed++;
            latencies.add(latency);
            second(completedMillis)[2]++;
            perSecondLatencies.get(index(completedMillis)).add(latency);
        }

        private int index(long epochMillis) {
            return (int) Math.max(0, (epochMillis - startMillis) / 1000);
        }

        private long[] second(long epochMillis) {
            int index = index(epochMillis);
            while (perSecond.size() <= index) {
                perSecond.add(new long[3]);
                perSecondLatencies.add(new ArrayList<>());
            }
            return perSecond.get(index);
        }

        /** The same fields as the executor's GET /load. */
        synchronized Map<String, Object> report() {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("state", state.name().toLowerCase(Locale.ROOT));
            report.put("plan", plan());
            report.put("concurrency", concurrency);
            report.put("startedAt", startMillis);
            report.put("sendingEndedAt", sendingEndedMillis == 0 ? null : sendingEndedMillis);
            report.put("doneAt", doneMillis == 0 ? null : doneMillis);
            long sendingMillis =
                    (sendingEndedMillis == 0 ? System.currentTimeMillis() : sendingEndedMillis) - startMillis;
            report.put("sendingSeconds", sendingMillis / 1000.0);
            report.put("sent", sent);
            report.put("completed", completed);
            report.put("failed", failed);
            report.put("inFlight", inFlight.size());
            report.put("latencyMs", percentiles(latencies));
            List<Map<String, Object>> seconds = new ArrayList<>();
            for (int i = 0; i < perSecond.size(); i++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("second", i);
                row.put("sent", perSecond.get(i)[0]);
                row.put("completed", perSecond.get(i)[2]);
                row.put("failed", perSecond.get(i)[1]);
                row.put("latencyMs", percentiles(perSecondLatencies.get(i)));
                seconds.add(row);
            }
            report.put("seconds", seconds);
            return report;
        }
    }

    private static Map<String, Object> percentiles(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("p50", percentile(sorted, 50));
        map.put("p95", percentile(sorted, 95));
        map.put("p99", percentile(sorted, 99));
        map.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        map.put(
                "mean",
                sorted.length == 0
                        ? 0
                        : Math.round(Arrays.stream(sorted).average().orElse(0) * 10) / 10.0);
        return map;
    }

    private static long percentile(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
