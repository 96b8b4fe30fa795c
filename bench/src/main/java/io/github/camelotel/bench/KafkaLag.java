package io.github.camelotel.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The summed consumer lag of the pipeline's groups: records written and not yet committed as processed. */
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
                var ends = admin.listOffsets(
                                committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all()
                        .get(5, TimeUnit.SECONDS);
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        total += Math.max(
                                0,
                                ends.get(entry.getKey()).offset()
                                        - entry.getValue().offset());
                    }
                }
            }
            return total;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
