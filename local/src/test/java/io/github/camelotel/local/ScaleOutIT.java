package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Several instances per consumer on one machine, as replicas in a cluster: 2 × app2-consumer and 2 × app4-worker
 * share the 4 partitions of their topics as one consumer group each. While purchases stream in, one instance of
 * each stops (gracefully, as in a scale-down or a rolling update) and a third app4-worker joins; the groups
 * rebalance. Afterwards every purchase is paid, cached, invoiced and mailed exactly once, nothing is dead-lettered,
 * every purchase has one complete trace, and both groups' lag is back to 0.
 * <p>
 * The purchases carry this run's order ids (ChaosIT's client and counts, reused), so that they can be told apart
 * from the shared stack executor's own purchases, whose ids are random.
 */
class ScaleOutIT {

    static final int PURCHASES = 300;
    static final Map<App, String> TOPICS = Map.of(App.APP2, "Purchase", App.APP4, "Purchase2");

    @Test
    void consumerInstancesShareThePartitionsAndLoseOrRepeatNothingAcrossRebalances() throws Exception {
        LocalStack stack = SharedStack.get();
        ChaosIT counts = new ChaosIT(); // its client and its counts, keyed by its run's order id prefix
        counts.stack = stack;
        AppProcess secondApp2 = stack.startInstance(App.APP2);
        AppProcess secondApp4 = stack.startInstance(App.APP4);
        assertThat(stack.instances(App.APP2)).hasSize(2);
        assertThat(stack.instances(App.APP4)).hasSize(2);
        List<String> orderIds = new ArrayList<>();
        for (int i = 0; i < PURCHASES; i++) {
            orderIds.add(counts.run + "-" + i);
        }

        // 20 purchases a second; a third of the way in one app2 stops, halfway one app4 stops and another joins
        long slotMillis = 50;
        List<AppProcess> thirdApp4 = new ArrayList<>();
        List<CompletableFuture<Void>> changes = List.of(
                CompletableFuture.runAsync(() -> stop(secondApp2),
                        CompletableFuture.delayedExecutor(PURCHASES / 3 * slotMillis, TimeUnit.MILLISECONDS)),
                CompletableFuture.runAsync(() -> {
                    stop(secondApp4);
                    try {
                        thirdApp4.add(stack.startInstance(App.APP4));
                    } catch (Exception e) {
                        throw new IllegalStateException("third app4-worker did not start", e);
                    }
                }, CompletableFuture.delayedExecutor(PURCHASES / 2 * slotMillis, TimeUnit.MILLISECONDS)));
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < PURCHASES; i++) {
                String orderId = orderIds.get(i);
                sent.add(CompletableFuture.runAsync(() -> counts.sendUntilAccepted(orderId),
                        CompletableFuture.delayedExecutor(i * slotMillis, TimeUnit.MILLISECONDS, senders)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

            Map<String, Integer> deadLetters = Eventually.await(ChaosIT.SETTLE_TIMEOUT, () -> counts.settled(orderIds));
            // the shared stack's executor keeps sending a purchase a second, so the lag that must go back to 0 is
            // that of everything on the topics once this run's purchases are all through
            Map<TopicPartition, Long> ends = endOffsets(stack);
            Map<String, Long> lag = Eventually.await(Duration.ofMinutes(2), () -> {
                Map<String, Long> now = lag(stack, ends);
                return now.values().stream().allMatch(l -> l == 0) ? now : null;
            });
            ChaosIT.Counts c = counts.count(orderIds);
            System.out.printf("%nscale-out %s: instances app2-consumer 2 -> 1, app4-worker 2 -> 1 -> 2 (%d running); sent=%d "
                            + "paid orders=%d audit rows=%d cached=%d invoices=%d mails=%d (orders mailed twice: %d) "
                            + "dead letters=%s complete traces=%d consumer lag=%s%n%n",
                    counts.run, stack.instances(App.APP4).size(), PURCHASES, c.paidOrders(), c.auditRows(), c.cached(),
                    c.invoices(), c.mails(), c.mailedTwice(), deadLetters, c.completeTraces(), lag);
            assertThat(c.paidOrders()).isEqualTo(PURCHASES);
            assertThat(c.auditRows()).as("one PAID audit row per order").isEqualTo(PURCHASES);
            assertThat(c.cached()).isEqualTo(PURCHASES);
            assertThat(c.invoices()).isEqualTo(PURCHASES);
            assertThat(c.mails()).isEqualTo(PURCHASES);
            assertThat(c.mailedTwice()).isZero();
            assertThat(deadLetters).isEqualTo(Map.of("Purchase.DLT", 0, "Purchase2.DLT", 0));
            // graceful stops flush their spans: no trace may miss a hop
            assertThat(c.completeTraces()).as("purchases whose one trace runs app1 → app2 → app3 → app4").isEqualTo(PURCHASES);
        } finally {
            senders.shutdownNow();
            thirdApp4.forEach(ScaleOutIT::stop);
        }
    }

    static void stop(AppProcess process) {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The end offset of every partition of the consumers' topics, now. */
    static Map<TopicPartition, Long> endOffsets(LocalStack stack) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (String topic : TOPICS.values()) {
            for (int p = 0; p < 4; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        try (Admin admin = Admin.create(adminConfig(stack))) {
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        }
        return ends;
    }

    /** Group → messages before {@code ends} that its consumers have not committed yet. */
    static Map<String, Long> lag(LocalStack stack, Map<TopicPartition, Long> ends) throws Exception {
        Map<String, Long> lag = new TreeMap<>();
        try (Admin admin = Admin.create(adminConfig(stack))) {
            for (var entry : TOPICS.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(entry.getKey().serviceName())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                long total = 0;
                for (var end : ends.entrySet()) {
                    if (end.getKey().topic().equals(entry.getValue())) {
                        OffsetAndMetadata done = committed.get(end.getKey());
                        total += Math.max(0, end.getValue() - (done == null ? 0 : done.offset()));
                    }
                }
                lag.put(entry.getKey().serviceName(), total);
            }
        }
        return lag;
    }

    static Properties adminConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafkaBootstrapServers());
        return config;
    }
}
