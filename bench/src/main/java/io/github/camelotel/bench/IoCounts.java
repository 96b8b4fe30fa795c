package io.github.camelotel.bench;

import io.github.camelotel.local.Infrastructure;
import io.github.camelotel.local.KafkaOffsets;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Counted on the servers themselves, so that the pipeline and the floor are counted alike: what purchases left there
 * (rows in PostgreSQL, keys and commands in Redis, objects in the S3 bucket, mails on the SMTP server, records per
 * Kafka topic; two snapshots over the purchases between them: the I/O of one), and the consumer lag.
 */
final class IoCounts implements AutoCloseable {

    /** The pipeline's consumer groups and the topic each reads. */
    static final Map<String, String> GROUPS =
            Map.of("app2-consumer", "Purchase", "app4-worker", "Purchase2", "executor", "PurchaseCompleted");

    private final Infrastructure servers;
    private final int redisPort;
    private final KafkaOffsets kafka;

    IoCounts(Infrastructure servers, int redisPort) {
        this.servers = servers;
        this.redisPort = redisPort;
        this.kafka = new KafkaOffsets(servers.kafkaBootstrapServers());
    }

    Map<String, Double> snapshot() throws Exception {
        Map<String, Double> counts = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(
                        servers.jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
                Statement sql = db.createStatement()) {
            for (String table : List.of("orders", "audit_log")) {
                try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM " + table)) {
                    rows.next();
                    counts.put("postgresql " + table + " rows", (double) rows.getLong(1));
                }
            }
        }
        RedisClient client = RedisClient.create(RedisURI.create("localhost", redisPort));
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            counts.put("redis keys", (double) redis.sync().dbsize());
            String stats = redis.sync().info("commandstats");
            for (String command : List.of("get", "set", "setex", "del", "expire")) {
                Matcher calls =
                        Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(stats);
                double called = calls.find() ? Double.parseDouble(calls.group(1)) : 0;
                counts.put("redis " + command.toUpperCase(Locale.ROOT) + " commands", called);
            }
        } finally {
            client.shutdown();
        }
        counts.put("s3 objects", (double) servers.s3().objectCount(Infrastructure.INVOICES_BUCKET));
        counts.put("smtp mails", (double) servers.mail().receivedCount());
        kafka.ends(Infrastructure.TOPICS)
                .forEach((partition, end) ->
                        counts.merge("kafka " + partition.topic() + " records", (double) end, Double::sum));
        return counts;
    }

    /** (after − before) / purchases, for each count. */
    static Map<String, Double> perPurchase(Map<String, Double> before, Map<String, Double> after, long purchases) {
        Map<String, Double> per = new LinkedHashMap<>();
        after.forEach((name, value) -> per.put(
                name, purchases == 0 ? 0 : Processes.round2((value - before.getOrDefault(name, 0.0)) / purchases)));
        return per;
    }

    /** The summed lag of the pipeline's consumer groups (records written, not yet committed), -1 without an answer. */
    long lag() {
        try {
            Map<TopicPartition, Long> ends = kafka.ends(Infrastructure.TOPICS);
            long total = 0;
            for (Map.Entry<String, String> group : GROUPS.entrySet()) {
                total += kafka.lag(group.getKey(), group.getValue(), ends);
            }
            return total;
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        kafka.close();
    }
}
