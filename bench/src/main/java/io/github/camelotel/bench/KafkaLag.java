package io.github.camelotel.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The summed consumer lag of the pipeline's groups (records written, not yet committed), and records per topic. */
final class KafkaLag implements AutoCloseable {

    static final List<String> GROUPS = List.of("app2-consumer", "app4-worker", "executor");
    private final Admin admin;

    KafkaLag(String bootstrapServers) {
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5000));
    }

    /** The lag of all groups together, or -1 when the broker did not answer. */
    long total() {
        long total = 0;
        try {
            for (String group : GROUPS) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(5, TimeUnit.SECONDS);
                Map<TopicPartition, Long> ends = ends(committed.keySet());
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        total += Math.max(
                                0, ends.get(entry.getKey()) - entry.getValue().offset());
                    }
                }
            }
            return total;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The records written to a topic so far (the sum of its partitions' end offsets). */
    long records(String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(topic)
                .partitions();
        return ends(partitions.stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList())
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) throws Exception {
        return admin
                .listOffsets(
                        partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())))
                .all()
                .get(10, TimeUnit.SECONDS)
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        admin.close();
    }
}
