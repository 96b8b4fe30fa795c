package io.github.camelotel.local;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets on a Kafka broker, for the tests and the benchmark that wait for the pipeline to drain: what was written
 * to each partition of some topics, and how much of it a consumer group has not committed yet.
 */
public final class KafkaOffsets implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;
    private final Admin admin;

    public KafkaOffsets(String bootstrapServers) {
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)));
    }

    /** The end offset of every partition of these topics: the records written so far. */
    public Map<TopicPartition, Long> ends(Collection<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics)
                .allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((topic, description) -> description
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest)
                .all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((partition, end) -> ends.put(partition, end.offset()));
        return ends;
    }

    /**
     * The records of {@code topic} before {@code ends} that {@code group} has not committed yet; a partition the group
     * never committed counts from its start.
     */
    public long lag(String group, String topic, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (end.getKey().topic().equals(topic)) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue() - (done == null ? 0 : done.offset()));
            }
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
