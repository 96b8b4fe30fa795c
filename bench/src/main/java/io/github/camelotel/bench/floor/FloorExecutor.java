package io.github.camelotel.bench.floor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.camelotel.load.LoadPlan;
import io.github.camelotel.load.LoadRun;
import io.github.camelotel.load.Purchases;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The floor's executor: the executor app's load engine (load-engine's {@link LoadRun}, the same {@code /load} API
 * and report) with plain threads in place of its routes, sending each purchase down app1's sync then async path
 * with the JDK's HTTP client.
 */
final class FloorExecutor {

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
    private volatile LoadRun run;

    static void start() throws IOException {
        FloorExecutor executor = new FloorExecutor();
        Floor.consume("executor", "PurchaseCompleted", "latest", 1, record -> {
            LoadRun current = executor.run;
            if (current != null) {
                current.completed(record.key(), record.timestamp());
            }
        });
        HttpServer server = Floor.server("EXECUTOR_PORT", 4);
        server.createContext("/load", executor::load);
        server.start();
    }

    private synchronized void load(HttpExchange exchange) throws IOException {
        boolean going = run != null && run.state() != LoadRun.State.DONE;
        switch (exchange.getRequestMethod()) {
            case "POST" -> {
                if (!going) {
                    LoadRun started =
                            new LoadRun(Floor.JSON.readValue(exchange.getRequestBody(), LoadPlan.class), concurrency);
                    new Thread(() -> send(started), "floor-load").start();
                    run = started;
                }
                Floor.respond(exchange, going ? 409 : 202, "{}");
            }
            case "DELETE" -> {
                if (going) {
                    run.stop();
                }
                Floor.respond(exchange, going ? 200 : 404, "{}");
            }
            default ->
                Floor.respond(
                        exchange,
                        200,
                        Floor.JSON.writeValueAsBytes(run == null ? Map.of("state", "idle") : run.report()));
        }
    }

    /** {@code concurrency} senders, each taking the next slot when it is free (as the routes' pacer and senders). */
    private void send(LoadRun run) {
        ExecutorService senders = Executors.newFixedThreadPool(concurrency);
        try {
            senders.invokeAll(Collections.nCopies(concurrency, () -> {
                for (long due = run.awaitNextSlot(); due >= 0; due = run.awaitNextSlot()) {
                    send(run, due);
                }
                return null;
            }));
            run.drain(drainTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            senders.shutdown();
        }
    }

    /** Both calls to app1, the sync path first, as the executor's route; the purchase fails unless both answer 2xx. */
    private void send(LoadRun run, long due) {
        Map<String, Object> purchase = Purchases.next();
        String orderId = (String) purchase.get("orderId");
        run.sending(orderId, due);
        try {
            byte[] body = Floor.JSON.writeValueAsBytes(purchase);
            for (String path : List.of("/Message", "/Message/Post-Message")) {
                int status = Floor.postJson(http, app1 + path, body, headers).statusCode();
                if (status / 100 != 2) {
                    run.failed(orderId, path + " answered " + status);
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            run.failed(orderId, e.toString());
        }
    }
}
