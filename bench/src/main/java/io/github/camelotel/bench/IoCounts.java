package io.github.camelotel.bench;

import io.github.camelotel.local.Infrastructure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What purchases left on the servers, counted on the servers themselves so that the pipeline and the floor are
 * counted alike: rows and table statistics in PostgreSQL, keys and commands in Redis, objects in the S3 bucket, mails
 * on the SMTP server, records per Kafka topic. Two snapshots over the purchases between them: the I/O of one.
 */
final class IoCounts {

    private IoCounts() {}

    static Map<String, Double> snapshot(Infrastructure servers, int redisPort) throws Exception {
        Map<String, Double> counts = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(
                        servers.jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
                Statement sql = db.createStatement()) {
            for (String table : List.of("orders", "audit_log")) {
                try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM " + table)) {
                    rows.next();
                    counts.put("postgresql " + table + " rows", (double) rows.getLong(1));
                }
                // statements that wrote (an upsert inserts or updates) and read by index (read-backs, conflicts)
                try (ResultSet stats = sql.executeQuery("SELECT n_tup_ins + n_tup_upd, coalesce(idx_scan, 0) "
                        + "FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
                    if (stats.next()) {
                        counts.put("postgresql " + table + " tuples written", (double) stats.getLong(1));
                        counts.put("postgresql " + table + " index scans", (double) stats.getLong(2));
                    }
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
                counts.put(
                        "redis " + command.toUpperCase() + " commands",
                        calls.find() ? Double.parseDouble(calls.group(1)) : 0);
            }
        } finally {
            client.shutdown();
        }
        counts.put("s3 objects", (double) servers.s3().objectCount(Infrastructure.INVOICES_BUCKET));
        counts.put("smtp mails", (double) servers.mail().receivedCount());
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest =
                    admin
                            .describeTopics(Infrastructure.TOPICS)
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .values()
                            .stream()
                            .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            for (String topic : Infrastructure.TOPICS) {
                counts.put("kafka " + topic + " records", (double) ends.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(topic))
                        .mapToLong(e -> e.getValue().offset())
                        .sum());
            }
        }
        return counts;
    }

    /** (after − before) / purchases, for each count. */
    static Map<String, Double> perPurchase(Map<String, Double> before, Map<String, Double> after, long purchases) {
        Map<String, Double> per = new LinkedHashMap<>();
        after.forEach((name, value) -> per.put(
                name, purchases == 0 ? 0 : Processes.round2((value - before.getOrDefault(name, 0.0)) / purchases)));
        return per;
    }
}
