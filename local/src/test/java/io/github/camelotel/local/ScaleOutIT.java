package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several instances per consumer on one machine, as replicas in a cluster: 2 × app2-consumer and 2 × app4-worker
 * share the 4 partitions of their topics as one consumer group each. While purchases stream in, one instance of
 * each stops (gracefully, as in a scale-down or a rolling update) and a third app4-worker joins; the groups
 * rebalance. Afterwards every purchase is paid, cached, invoiced and mailed exactly once, nothing is dead-lettered,
 * every purchase has one complete trace, and both groups' lag is back to 0.
 */
class ScaleOutIT {

    static final int PURCHASES = 300;
    static final long SLOT_MILLIS = 50;
    static final Map<App, String> TOPICS = Map.of(App.APP2, "Purchase", App.APP4, "Purchase2");

    LocalStack stack;

    @Test
    void consumerInstancesShareThePartitionsAndLoseOrRepeatNothingAcrossRebalances() throws Exception {
        long began = System.nanoTime();
        stack = SharedStack.get();
        PurchaseRun purchases = new PurchaseRun("scale-out", stack);
        AppProcess firstApp2 = stack.app(App.APP2);
        AppProcess firstApp4 = stack.app(App.APP4);
        AppProcess secondApp2 = stack.startInstance(App.APP2);
        AppProcess secondApp4 = stack.startInstance(App.APP4);
        assertThat(stack.instances(App.APP2)).hasSize(2);
        assertThat(stack.instances(App.APP4)).hasSize(2);
        // both instances' consumers are in each group, one partition each
        Map<App, Map<String, Set<Integer>>> before =
                Map.of(App.APP2, awaitGroup(stack, App.APP2, 2), App.APP4, awaitGroup(stack, App.APP4, 2));
        List<String> orderIds = purchases.orderIds(PURCHASES);

        // 20 purchases a second. At 1/3 one app2 stops; at 1/2 one app4 stops and a third starts, while purchases
        // keep coming; the last third is sent once the third app4 has its partitions, so that it has work for sure
        long sendingFrom = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<AppProcess> thirdApp4 = new ArrayList<>();
        try {
            List<CompletableFuture<Void>> sent =
                    new ArrayList<>(purchases.send(orderIds.subList(0, PURCHASES / 3), SLOT_MILLIS, senders));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            CompletableFuture<Void> app2Stopped = CompletableFuture.runAsync(() -> stop(secondApp2));
            sent.addAll(purchases.send(orderIds.subList(PURCHASES / 3, PURCHASES / 2), SLOT_MILLIS, senders));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            CompletableFuture<Void> app4Replaced = CompletableFuture.runAsync(() -> {
                stop(secondApp4);
                try {
                    thirdApp4.add(stack.startInstance(App.APP4));
                } catch (Exception e) {
                    throw new IllegalStateException("third app4-worker did not start", e);
                }
            });
            sent.addAll(purchases.send(orderIds.subList(PURCHASES / 2, 2 * PURCHASES / 3), SLOT_MILLIS, senders));
            CompletableFuture.allOf(app2Stopped, app4Replaced).get(3, TimeUnit.MINUTES);
            Map<App, Map<String, Set<Integer>>> after =
                    Map.of(App.APP2, awaitGroup(stack, App.APP2, 1), App.APP4, awaitGroup(stack, App.APP4, 2));
            sent.addAll(purchases.send(orderIds.subList(2 * PURCHASES / 3, PURCHASES), SLOT_MILLIS, senders));
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            long sendingMillis = (System.nanoTime() - sendingFrom) / 1_000_000;

            Map<String, Integer> deadLetters = await("every order of " + purchases.run + " mailed or dead-lettered")
                    .atMost(ChaosIT.SETTLE_TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> purchases.settled(orderIds), Objects::nonNull);
            // the shared stack's executor keeps sending a purchase a second, so the lag that must go back to 0 is
            // that of everything on the topics once this run's purchases are all through
            Map<String, Long> lag;
            try (KafkaOffsets offsets = new KafkaOffsets(stack.infrastructure().kafkaBootstrapServers())) {
                Map<TopicPartition, Long> ends = offsets.ends(TOPICS.values());
                lag = await("the consumer groups' lag back to 0")
                        .atMost(Duration.ofMinutes(2))
                        .ignoreExceptions()
                        .until(
                                () -> lag(offsets, ends),
                                now -> now.values().stream().allMatch(l -> l == 0));
            }
            PurchaseRun.Counts c = purchases.countOnceTraced(orderIds, counts -> counts.completeTraces() == PURCHASES);
            // which instance did what: the line each route logs per order, in each instance's own log
            Map<String, Long> handled = new LinkedHashMap<>();
            handled.put("app2#1", handledBy(firstApp2, purchases.run));
            handled.put("app2#2 (stopped)", handledBy(secondApp2, purchases.run));
            handled.put("app4#1", handledBy(firstApp4, purchases.run));
            handled.put("app4#2 (stopped)", handledBy(secondApp4, purchases.run));
            handled.put("app4#3 (joined)", handledBy(thirdApp4.get(0), purchases.run));
            System.out.printf(
                    "%nscale-out %s: sent=%d in %d ms; app2-consumer 2 -> 1 instance, app4-worker 2 -> 1 -> 2; "
                            + "group members -> partitions before %s, after %s; orders handled per instance %s "
                            + "(handled again after a rebalance, as not yet committed: app2 %d, app4 %d); "
                            + "paid orders=%d audit rows=%d cached=%d invoices=%d mails=%d (orders mailed twice: %d) "
                            + "dead letters=%s complete traces=%d (missing hops: %s) consumer lag=%s; test took %d s%n%n",
                    purchases.run,
                    PURCHASES,
                    sendingMillis,
                    before,
                    after,
                    handled,
                    handled.get("app2#1") + handled.get("app2#2 (stopped)") - PURCHASES,
                    handled.get("app4#1")
                            + handled.get("app4#2 (stopped)")
                            + handled.get("app4#3 (joined)")
                            - PURCHASES,
                    c.paidOrders(),
                    c.auditRows(),
                    c.cached(),
                    c.invoices(),
                    c.mails(),
                    c.mailedTwice(),
                    deadLetters,
                    c.completeTraces(),
                    c.incompleteTraces(),
                    lag,
                    (System.nanoTime() - began) / 1_000_000_000);
            c.assertEachOrderDoneOnce(PURCHASES);
            assertThat(deadLetters).isEqualTo(Map.of("Purchase.DLT", 0, "Purchase2.DLT", 0));
            // a graceful stop lets its in-flight purchases finish, spans ended and exported: no trace may miss a hop
            assertThat(c.completeTraces())
                    .as("purchases whose one trace runs app1 → app2 → app3 → app4")
                    .isEqualTo(PURCHASES);
            assertThat(lag).isEqualTo(Map.of("app2-consumer", 0L, "app4-worker", 0L));
            // every instance had a share of the work: the partitions really were split, and reassigned on a change
            assertThat(handled)
                    .allSatisfy((instance, orders) ->
                            assertThat(orders).as(instance).isPositive());
        } finally {
            senders.shutdownNow();
            thirdApp4.forEach(ScaleOutIT::stop);
        }
    }

    /** The stack is shared: whatever failed, no instance this test added outlives it. */
    @AfterEach
    void stopAddedInstances() {
        if (stack != null) {
            TOPICS.keySet().forEach(app -> stack.instances(app).stream().skip(1).forEach(ScaleOutIT::stop));
        }
    }

    /**
     * Waits until the app's consumer group is stable with {@code instances} × the consumers per instance as
     * members and the topic's 4 partitions spread evenly over them; returns member (client id) → partitions.
     */
    static Map<String, Set<Integer>> awaitGroup(LocalStack stack, App app, int instances) throws Exception {
        AtomicReference<Map<String, Set<Integer>>> stable = new AtomicReference<>();
        try (Admin admin = Admin.create(adminConfig(stack))) {
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(app.serviceName()))
                        .describedGroups()
                        .get(app.serviceName())
                        .get(30, TimeUnit.SECONDS);
                Map<String, Set<Integer>> assignment = new TreeMap<>();
                for (MemberDescription member : group.members()) {
                    assignment.put(
                            member.clientId() + "@"
                                    + member.consumerId()
                                            .substring(member.consumerId().length() - 4),
                            member.assignment().topicPartitions().stream()
                                    .filter(tp -> tp.topic().equals(TOPICS.get(app)))
                                    .map(TopicPartition::partition)
                                    .collect(Collectors.toCollection(TreeSet::new)));
                }
                Set<Integer> covered =
                        assignment.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
                boolean even =
                        assignment.values().stream().allMatch(partitions -> partitions.size() * assignment.size() == 4);
                assertThat(group.state() == ConsumerGroupState.STABLE
                                && assignment.size() == instances * SharedStack.CONSUMERS_PER_INSTANCE
                                && covered.equals(Set.of(0, 1, 2, 3))
                                && even)
                        .as(
                                "%s with %d instance(s) stable, partitions spread evenly; last seen: %s %s",
                                app.serviceName(), instances, group.state(), assignment)
                        .isTrue();
                stable.set(assignment);
            });
        }
        return stable.get();
    }

    /** How many of this run's orders the instance's log says it handled (app2: paid, app4: completed). */
    static long handledBy(AppProcess instance, String run) throws Exception {
        String line = instance.app() == App.APP2 ? "payment of order " + run + "-" : "order " + run + "-";
        String done = instance.app() == App.APP2 ? " recorded by app3-api" : " completed";
        try (Stream<String> lines = Files.lines(instance.log())) {
            return lines.filter(l -> l.contains(line) && l.contains(done)).count();
        }
    }

    static void stop(AppProcess process) {
        try {
            process.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Group → messages before {@code ends} that its consumers have not committed yet. */
    static Map<String, Long> lag(KafkaOffsets offsets, Map<TopicPartition, Long> ends) throws Exception {
        Map<String, Long> lag = new TreeMap<>();
        for (var consumed : TOPICS.entrySet()) {
            lag.put(
                    consumed.getKey().serviceName(),
                    offsets.lag(consumed.getKey().serviceName(), consumed.getValue(), ends));
        }
        return lag;
    }

    static Properties adminConfig(LocalStack stack) {
        Properties config = new Properties();
        config.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.infrastructure().kafkaBootstrapServers());
        return config;
    }
}
