package io.github.camelotel.bench.floor;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.camelotel.bench.ExecutorClient.Latency;
import io.github.camelotel.bench.ExecutorClient.LoadReport;
import io.github.camelotel.bench.ExecutorClient.Second;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * The floor's executor: the executor's load mode (the same {@code /load} API, answering the benchmark's report
 * records) sending each purchase down the sync then the async path of app1 with the same headers and body, and the
 * end-to-end latency from the purchase's slot to its PurchaseCompleted record's timestamp.
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
                if (!going) {
                    run = new Run(
                            request.path("rate").asDouble(1),
                            request.path("durationSeconds").asLong(60));
                    new Thread(run::pace, "floor-load").start();
                }
                Floor.respond(exchange, going ? 409 : 202, "{}");
            }
            case "DELETE" -> {
                if (going) {
                    run.stop = true;
                }
                Floor.respond(exchange, going ? 200 : 404, "{}");
            }
            default -> {
                LoadReport idle = new LoadReport("idle", 0, 0, 0, 0, 0, 0, null, null);
                Floor.respond(exchange, 200, Floor.JSON.writeValueAsBytes(run == null ? idle : run.report()));
            }
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
        byte[] body = purchase(orderId).getBytes(StandardCharsets.UTF_8);
        return accepted("/Message", body) && accepted("/Message/Post-Message", body);
    }

    private boolean accepted(String path, byte[] body) {
        try {
            return Floor.postJson(http, app1 + path, body, headers).statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A second of a run: purchases due in it (sent, failed), completed in it and their latencies. */
    private static final class Slot {
        long sent;
        long failed;
        long completed;
        final List<Long> latencies = new ArrayList<>();
    }

    /** A load run for a duration, as the executor's: paced by slot, the purchases in flight, each second's counts. */
    private final class Run {
        final double rate;
        final long durationSeconds;
        final long startMillis = System.currentTimeMillis();
        final long startNanos = System.nanoTime();
        final Map<String, Long> inFlight = new ConcurrentHashMap<>(); // order id -> when it was due (epoch ms)
        final List<Slot> seconds = new ArrayList<>();
        volatile String state = "running";
        volatile boolean stop;
        long sendingEndedMillis;

        Run(double rate, long durationSeconds) {
            this.rate = rate;
            this.durationSeconds = durationSeconds;
        }

        /** Hands each slot to one of {@code concurrency} senders, then waits for the purchases in flight. */
        void pace() {
            ExecutorService senders = Executors.newFixedThreadPool(concurrency);
            Semaphore free = new Semaphore(concurrency);
            for (long index = 0; !stop && index / rate < durationSeconds; index++) {
                long dueNanos = (long) (index * 1e9 / rate);
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
            second(due).sent++;
        }

        synchronized void failed(String orderId) {
            Long due = inFlight.remove(orderId);
            if (due != null) {
                second(due).failed++;
            }
        }

        synchronized void completed(String orderId, long completedMillis) {
            Long due = inFlight.remove(orderId);
            if (due != null) {
                Slot second = second(completedMillis);
                second.completed++;
                second.latencies.add(Math.max(0, completedMillis - due));
            }
        }

        private Slot second(long epochMillis) {
            int index = (int) Math.max(0, (epochMillis - startMillis) / 1000);
            while (seconds.size() <= index) {
                seconds.add(new Slot());
            }
            return seconds.get(index);
        }

        synchronized LoadReport report() {
            List<Second> perSecond = new ArrayList<>();
            List<Long> latencies = new ArrayList<>();
            for (Slot slot : seconds) {
                perSecond.add(
                        new Second(perSecond.size(), slot.sent, slot.completed, slot.failed, latency(slot.latencies)));
                latencies.addAll(slot.latencies);
            }
            long sendingEnded = sendingEndedMillis == 0 ? System.currentTimeMillis() : sendingEndedMillis;
            return new LoadReport(
                    state,
                    startMillis,
                    perSecond.stream().mapToLong(Second::sent).sum(),
                    perSecond.stream().mapToLong(Second::completed).sum(),
                    perSecond.stream().mapToLong(Second::failed).sum(),
                    inFlight.size(),
                    (sendingEnded - startMillis) / 1000.0,
                    latency(latencies),
                    perSecond);
        }
    }

    private static Latency latency(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0
                ? new Latency(0, 0, 0)
                : new Latency(
                        sorted[(int) Math.ceil(0.5 * sorted.length) - 1],
                        sorted[(int) Math.ceil(0.99 * sorted.length) - 1],
                        sorted[sorted.length - 1]);
    }
}
