package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No purchase lost, none duplicated: N purchases go in while app2-consumer and app4-worker are killed (as in a crash)
 * and restarted, the Kafka broker and PostgreSQL are restarted (same port, same data), and while app2, app3 and app4 fail transiently at injected rates. Afterwards there are exactly N
 * paid orders, N cache entries, N invoices and N mails, one per order, and every purchase has a complete trace or
 * a reported dead letter.
 */
class ChaosIT {

    static final int PURCHASES = 200;
    static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(8);
    static final Map<App, String> FAULTS = Map.of(
            App.APP2, "consume:fail=0.05",
            App.APP3, "save-order:fail=0.1",
            App.APP4, "store-invoice:fail=0.1;send-mail:fail=0.1");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    LocalStack stack;
    PurchaseRun purchases;

    @Test
    void losesNoPurchaseAndDuplicatesNoneThroughCrashesRestartsAndFaults() throws Exception {
        stack = SharedStack.get();
        purchases = new PurchaseRun("chaos", stack);
        FAULTS.keySet().forEach(this::injectFaults);
        List<String> orderIds = purchases.orderIds(PURCHASES);

        // about 20 purchases a second, each sent at its slot, so the crashes land mid-stream
        long slotMillis = 50;
        List<CompletableFuture<Void>> restarts = List.of(
                crashAndRestart(
                        App.APP2, CompletableFuture.delayedExecutor(PURCHASES / 5 * slotMillis, TimeUnit.MILLISECONDS)),
                crashAndRestart(
                        App.APP4, CompletableFuture.delayedExecutor(PURCHASES / 2 * slotMillis, TimeUnit.MILLISECONDS)),
                restartServer(
                        "Kafka",
                        () -> stack.infrastructure().restartKafka(),
                        CompletableFuture.delayedExecutor(PURCHASES * 7 / 20 * slotMillis, TimeUnit.MILLISECONDS)),
                restartServer(
                        "PostgreSQL",
                        () -> stack.infrastructure().restartPostgres(),
                        CompletableFuture.delayedExecutor(PURCHASES * 3 / 4 * slotMillis, TimeUnit.MILLISECONDS)));
        CompletableFuture<Void> restarted = CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new));
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> sent = purchases.send(orderIds, slotMillis, senders);
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            restarted.get(5, TimeUnit.MINUTES);
        } finally {
            senders.shutdownNow();
            // a restarted app gets its faults again: no restart may end after clearFaults() has run
            restarted.handle((done, failed) -> null).get(5, TimeUnit.MINUTES);
        }

        Map<String, Integer> deadLetters = await("every order of " + purchases.run + " mailed or dead-lettered")
                .atMost(SETTLE_TIMEOUT)
                .ignoreExceptions()
                .until(() -> purchases.settled(orderIds), Objects::nonNull);

        PurchaseRun.Counts counts = purchases.countOnceTraced(
                orderIds, c -> c.completeTraces() + c.tracesMissingOnlyConsumerHops() == PURCHASES);
        System.out.printf(
                "%nchaos %s: sent=%d paid orders=%d audit rows=%d cached=%d invoices=%d mails=%d "
                        + "(orders mailed twice: %d) dead letters=%s complete traces=%d (missing only a killed app's span: %d; "
                        + "missing hops: %s)%n%n",
                purchases.run,
                PURCHASES,
                counts.paidOrders(),
                counts.auditRows(),
                counts.cached(),
                counts.invoices(),
                counts.mails(),
                counts.mailedTwice(),
                deadLetters,
                counts.completeTraces(),
                counts.tracesMissingOnlyConsumerHops(),
                counts.incompleteTraces());
        counts.assertEachOrderDoneOnce(PURCHASES);
        assertThat(deadLetters)
                .as("only transient faults were injected: nothing is dead-lettered")
                .isEqualTo(Map.of("Purchase.DLT", 0, "Purchase2.DLT", 0));
        // A killed JVM loses the spans still in its export buffer (up to OTEL_BSP_SCHEDULE_DELAY, 200 ms here): a
        // purchase it had finished just before may lack that one app's span. Any other gap is a broken trace.
        assertThat(counts.completeTraces() + counts.tracesMissingOnlyConsumerHops())
                .as("purchases whose trace runs app1 → app2 → app3 → app4")
                .isEqualTo(PURCHASES);
        assertThat(counts.tracesMissingOnlyConsumerHops()).isLessThanOrEqualTo(PURCHASES / 20);
    }

    CompletableFuture<Void> crashAndRestart(App app, Executor when) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        stack.restart(app, true);
                        injectFaults(app);
                    } catch (Exception e) {
                        throw new IllegalStateException("restart of " + app.serviceName() + " failed", e);
                    }
                },
                when);
    }

    /** A server stopped and started again mid-stream: what is sent meanwhile waits, and nothing is lost. */
    CompletableFuture<Void> restartServer(String server, Restart restart, Executor when) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        long start = System.nanoTime();
                        restart.run();
                        System.out.printf(
                                "chaos %s: %s restarted in %d ms%n",
                                purchases.run, server, (System.nanoTime() - start) / 1_000_000);
                    } catch (Exception e) {
                        throw new IllegalStateException("restart of " + server + " failed", e);
                    }
                },
                when);
    }

    interface Restart {
        void run() throws Exception;
    }

    void injectFaults(App app) {
        setFaults(app, FAULTS.get(app));
    }

    /**
     * The stack is shared: its faults go whether the test passed or failed (JUnit's finally, which reports a failure
     * here beside the test's instead of hiding it). One app that cannot be reached does not keep the others faulty.
     */
    @AfterEach
    void clearFaults() {
        if (stack == null) {
            return;
        }
        List<String> failed = new ArrayList<>();
        for (App app : FAULTS.keySet()) {
            try {
                setFaults(app, "");
            } catch (RuntimeException | AssertionError e) {
                failed.add(app.serviceName() + ": " + e.getMessage());
            }
        }
        assertThat(failed).as("apps whose faults could not be cleared").isEmpty();
    }

    /** Through the faults actuator endpoint, which the test stack enables (FAULTS_ADMIN_ENABLED). */
    void setFaults(App app, String spec) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://localhost:" + stack.ports().of(app) + "/actuator/faults"))
                            .header("Content-Type", "application/json")
                            .header("Authorization", Bearer.admin(stack))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"spec\": \"" + spec + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("faults of " + app.serviceName() + ": " + response.body())
                    .isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
