package io.github.camelotel.local;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import redis.embedded.RedisServer;

/**
 * The real servers the apps talk to, without Docker: a Kafka broker (KRaft) in this JVM, and PostgreSQL and Redis
 * binaries (shipped in Maven Central artifacts) as child processes. {@link #close()} stops all of them.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

    public static final String DATABASE = "purchases";
    public static final String DB_USER = "purchases";
    /** Local-only credential of the throw-away embedded database. */
    public static final String DB_PASSWORD = "purchases";
    public static final List<String> TOPICS = List.of("Purchase", "Purchase2", "Purchase.DLT", "Purchase2.DLT");
    static final int PARTITIONS = 4;

    private final Ports ports;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKafkaKraftBroker kafka;
    private EmbeddedPostgres postgres;

    private Infrastructure(Ports ports) {
        this.ports = ports;
    }

    public static Infrastructure start(Ports ports) throws Exception {
        Infrastructure infrastructure = new Infrastructure(ports);
        try {
            infrastructure.startKafka();
            infrastructure.startPostgres();
            infrastructure.startRedis();
            return infrastructure;
        } catch (Exception e) {
            infrastructure.close();
            throw e;
        }
    }

    private void startKafka() {
        kafka = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
        kafka.brokerProperties(Map.of("auto.create.topics.enable", "true", "num.partitions", String.valueOf(PARTITIONS)));
        kafka.afterPropertiesSet();
        started.add(kafka::destroy);
        kafka.addTopics(TOPICS.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toArray(NewTopic[]::new));
        LOG.info("Kafka broker (KRaft) on {}, topics {}", kafka.getBrokersAsString(), TOPICS);
    }

    private void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().setPort(ports.postgres()).start();
        started.add(postgres);
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + DB_USER + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + DB_USER);
        }
        LOG.info("PostgreSQL on localhost:{}, database {}", ports.postgres(), DATABASE);
    }

    private void startRedis() throws IOException {
        RedisServer redis = RedisServer.newRedisServer().port(ports.redis()).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        started.add(redis::stop);
        LOG.info("Redis on localhost:{}", ports.redis());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports.postgres() + "/" + DATABASE;
    }

    public String kafkaBootstrapServers() {
        return kafka.getBrokersAsString();
    }

    /** What the apps need to reach these servers, as the environment variables their configuration reads. */
    public Map<String, String> appEnvironment() {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers(),
                "POSTGRES_URL", jdbcUrl(),
                "POSTGRES_USER", DB_USER,
                "POSTGRES_PASSWORD", DB_PASSWORD,
                "REDIS_HOST", "localhost",
                "REDIS_PORT", String.valueOf(ports.redis()));
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping a server failed: {}", e.toString());
            }
        }
        started.clear();
    }
}
