package io.github.camelotel.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor's executor: the executor's load mode (the same {@code /load} API and report fields the benchmark reads)
 * sending each purchase down the sync then the async path of app1 with the same headers and body, and the end-to-end
 * latency from the purchase's slot to its PurchaseCompleted record's timestamp.
 */
final class FloorExecutor {

    private static final String[] CUSTOMERS = {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"};
    private static final String[][] CATALOGUE = {
        {"SKU-COFFEE", "Coffee beans 1 kg", "18.90"},
        {"SKU-MUG", "Enamel mug", "9.50"},
        {"SKU-GRINDER", "Hand grinder", "64.00"},
        {"SKU-FILTER", "Paper filters (100)", "4.25"}
    };

    private final HttpClient http = Floor.httpClient();
    private final String app1 = Floor.env("APP1_URL", "http://localhost:8081");
    private final String[] headers = {
        "x-client-id",
        Floor.env("EXECUTOR_CLIENT_ID", "executor"),
        "x-session-id",
        UUID.randomUUID().toString()
    };
    private final int concurrency = Floor.intEnv("EXECUTOR_LOAD_CONCURRENCY", 16);
    private final long drainTimeoutMillis = Floor.intEnv("EXECUTOR_LOAD_DRAIN_TIMEOUT_MS", 30000);
    private volatile Run run;

    static void start() throws IOException {
        FloorExecutor executor = new FloorExecutor();
        Floor.consume("executor", "PurchaseCompleted", "latest", 1, record -> {
            Run current = executor.run;
            if (current != null) {
                current.completed(record.key(), record.timestamp());
            }
        });
        HttpServer server = Floor.server("EXECUTOR_PORT", 4);
        server.createContext("/load", executor::load);
        server.start();
    }

    private synchronized void load(HttpExchange exchange) throws IOException {
        boolean going = run != null && !run.state.equals("done");
        switch (exchange.getRequestMethod()) {
            case "POST" -> {
                JsonNode request = Floor.JSON.readTree(exchange.getRequestBody().readAllBytes());
                if (going) {
                    Floor.respond(exchange, 409, "{\"error\":\"conflict\"}");
                    return;
                }
                run = new Run(
                        request.path("rate").asDouble(1),
                        request.path("durationSeconds").asLong(60),
                        request.path("count").asLong(0));
                new Thread(run::pace, "floor-load").start();
                Floor.respond(exchange, 202, "{\"status\":\"started\"}");
            }
            case "DELETE" -> {
                if (going) {
                    run.stop = true;
                }
                Floor.respond(
                        exchange, going ? 200 : 404, going ? "{\"status\":\"stopping\"}" : "{\"error\":\"not_found\"}");
            }
            default ->
                Floor.respond(
                        exchange,
                        200,
                        run == null ? "{\"state\":\"idle\"}" : run.report().toString());
        }
    }

    /** One purchase as the executor's PurchaseGenerator builds it. */
    private static String purchase(String orderId) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int customer = random.nextInt(CUSTOMERS.length);
        List<String> items = new ArrayList<>();
        for (int i = 0, lines = 1 + random.nextInt(3); i < lines; i++) {
            String[] entry = CATALOGUE[(customer + i) % CATALOGUE.length];
            items.add(String.format(
                    "{\"sku\":\"%s\",\"name\":\"%s\",\"unitPrice\":%s,\"quantity\":%d}",
                    entry[0], entry[1], entry[2], 1 + random.nextInt(3)));
        }
        String name = CUSTOMERS[customer];
        return String.format(
                "{\"orderId\":\"%s\",\"customerId\":\"C-%d\",\"customerName\":\"%s\",\"customerEmail\":\"%s@example.com\","
                        + "\"currency\":\"EUR\",\"items\":[%s]}",
                orderId,
                1001 + customer,
                name,
                name.toLowerCase(Locale.ROOT).replace(' ', '.'),
                String.join(",", items));
    }

    /** Both calls to app1, the sync path first; true when both were accepted (2xx). */
    private boolean send(String orderId) {
        try {
            byte[] body = purchase(orderId).getBytes(StandardCharsets.UTF_8);
            return Floor.postJson(http, app1 + "/Message", body, headers).statusCode() / 100 == 2
                    && Floor.postJson(http, app1 + "/Message/Post-Message", body, headers)
                                            .statusCode()
                                    / 100
                            == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A load run: pacing by slot, the purchases in flight, latencies in total and per second (as LoadRun). */
    private final class Run {
        final double rate;
        final long durationNanos;
        final long count;
        final long startMillis = System.currentTimeMillis();
        final long startNanos = System.nanoTime();
        final Map<String, Long> inFlight = new ConcurrentHashMap<>();
        final List<Long> latencies = new ArrayList<>();
        final List<long[]> perSecond = new ArrayList<>(); // sent, failed, completed
        final List<List<Long>> perSecondLatencies = new ArrayList<>();
        volatile String state = "running";
        volatile boolean stop;
        long sent;
        long failed;
        long completed;
        long sendingEndedMillis;

        Run(double rate, long durationSeconds, long count) {
            this.rate = rate;
            this.durationNanos = TimeUnit.SECONDS.toNanos(durationSeconds);
            this.count = count;
        }

        /** Hands each slot to one of {@code concurrency} senders, then waits for the purchases in flight. */
        void pace() {
            ExecutorService senders = Executors.newFixedThreadPool(concurrency);
            Semaphore free = new Semaphore(concurrency);
            for (long index = 0; !stop && (count == 0 || index < count); index++) {
                long dueNanos = (long) (index * 1e9 / rate);
                if (durationNanos > 0 && dueNanos >= durationNanos) {
                    break;
                }
                for (long wait; (wait = startNanos + dueNanos - System.nanoTime()) > 0 && !stop; ) {
                    LockSupport.parkNanos(wait);
                }
                free.acquireUninterruptibly();
                long due = startMillis + TimeUnit.NANOSECONDS.toMillis(dueNanos);
                senders.execute(() -> {
                    String orderId = UUID.randomUUID().toString();
                    try {
                        sending(orderId, due);
                        if (!send(orderId)) {
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
                state = "draining";
                sendingEndedMillis = System.currentTimeMillis();
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMillis);
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            state = "done";
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
            if (due != null) {
                completed++;
                latencies.add(Math.max(0, completedMillis - due));
                second(completedMillis)[2]++;
                perSecondLatencies
                        .get((int) Math.max(0, (completedMillis - startMillis) / 1000))
                        .add(Math.max(0, completedMillis - due));
            }
        }

        private long[] second(long epochMillis) {
            int index = (int) Math.max(0, (epochMillis - startMillis) / 1000);
            while (perSecond.size() <= index) {
                perSecond.add(new long[3]);
                perSecondLatencies.add(new ArrayList<>());
            }
            return perSecond.get(index);
        }

        /** The fields of the executor's GET /load that the benchmark reads. */
        synchronized ObjectNode report() {
            long sendingEnded = sendingEndedMillis == 0 ? System.currentTimeMillis() : sendingEndedMillis;
            ObjectNode report = Floor.JSON
                    .createObjectNode()
                    .put("state", state)
                    .put("startedAt", startMillis)
                    .put("sendingSeconds", (sendingEnded - startMillis) / 1000.0)
                    .put("sent", sent)
                    .put("completed", completed)
                    .put("failed", failed)
                    .put("inFlight", inFlight.size());
            report.set("latencyMs", percentiles(latencies));
            ArrayNode seconds = report.putArray("seconds");
            for (int i = 0; i < perSecond.size(); i++) {
                seconds.addObject()
                        .put("second", i)
                        .put("sent", perSecond.get(i)[0])
                        .put("failed", perSecond.get(i)[1])
                        .put("completed", perSecond.get(i)[2])
                        .set("latencyMs", percentiles(perSecondLatencies.get(i)));
            }
            return report;
        }
    }

    private static ObjectNode percentiles(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        ObjectNode percentiles = Floor.JSON.createObjectNode();
        for (int percentile : new int[] {50, 95, 99, 100}) {
            int rank = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
            long value = sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
            percentiles.put(percentile == 100 ? "max" : "p" + percentile, value);
        }
        return percentiles.put(
                "mean", Math.round(Arrays.stream(sorted).average().orElse(0) * 10) / 10.0);
    }
}
