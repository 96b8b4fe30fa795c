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
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a number of purchases left on the servers, counted on the servers themselves so the pipeline and the floor
 * are counted alike: rows and table statistics in PostgreSQL, keys and commands in Redis, objects in the S3 bucket,
 * mails on the SMTP server, records per Kafka topic. Two snapshots divided by the purchases between them give the
 * I/O of one purchase.
 */
final class IoCounts {

    private static final List<String> REDIS_COMMANDS = List.of("get", "set", "setex", "del", "expire");
    private static final List<String> TABLES = List.of("orders", "audit_log");

    private IoCounts() {}

    static Map<String, Double> snapshot(Infrastructure servers, int redisPort) throws Exception {
        Map<String, Double> counts = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(
                        servers.jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
                Statement sql = db.createStatement()) {
            for (String table : TABLES) {
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
            Map<String, String> stats = parseInfo(redis.sync().info("commandstats"));
            for (String command : REDIS_COMMANDS) {
                String line = stats.getOrDefault("cmdstat_" + command, "calls=0");
                counts.put(
                        "redis " + command.toUpperCase() + " commands",
                        Double.parseDouble(line.replaceAll("^calls=(\\d+).*", "$1")));
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
            Map<TopicPartition, Long> ends =
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> e.getValue().offset()));
            for (String topic : Infrastructure.TOPICS) {
                counts.put("kafka " + topic + " records", (double) ends.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(topic))
                        .mapToLong(Map.Entry::getValue)
                        .sum());
            }
        }
        return counts;
    }

    /** (after - before) / purchases, for each count. */
    static Map<String, Double> perPurchase(Map<String, Double> before, Map<String, Double> after, long purchases) {
        Map<String, Double> per = new LinkedHashMap<>();
        after.forEach((name, value) -> per.put(
                name, purchases == 0 ? 0 : Processes.round2((value - before.getOrDefault(name, 0.0)) / purchases)));
        return per;
    }

    private static Map<String, String> parseInfo(String info) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                map.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return map;
    }
}
