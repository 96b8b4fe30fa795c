package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import redis.embedded.RedisServer;

/**
 * The real servers the apps talk to, without Docker: a Kafka broker (KRaft) and an SMTP server (GreenMail) in this
 * JVM, and PostgreSQL and Redis binaries and an S3-compatible server standing in for MinIO (S3Proxy), all shipped in
 * Maven Central artifacts, as child processes, and optionally the Zipkin server (the trace UI), also a child process.
 * {@link #close()} stops all of them.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

    public static final String DATABASE = "purchases";
    public static final String DB_USER = "purchases";
    /** Local-only credential of the throw-away embedded database. */
    public static final String DB_PASSWORD = "purchases";
    /** PurchaseCompleted: app4-worker's event per completed order, which the executor's load mode waits for. */
    public static final List<String> TOPICS = List.of("Purchase", "Purchase2", "Purchase.DLT", "Purchase2.DLT",
            "PurchaseCompleted");
    /** The bucket app4-worker stores invoices in (it creates the bucket itself). */
    public static final String INVOICES_BUCKET = "invoices";
    /** Local-only credentials, the same as docker-compose.yml's MinIO; the S3 server here accepts any. */
    public static final String S3_ACCESS_KEY = "minioadmin";
    public static final String S3_SECRET_KEY = "minioadmin";
    static final int PARTITIONS = 4;

    private final Ports ports;
    private final Path logDir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedKafkaKraftBroker kafka;
    private EmbeddedPostgres postgres;
    private S3Server s3;
    private MailServer mail;
    private ZipkinServer zipkin;

    private Infrastructure(Ports ports, Path logDir) {
        this.ports = ports;
        this.logDir = logDir;
    }

    /**
     * @param logDir where the child processes write their output; the S3 server keeps its objects under the
     *     sibling folder {@code s3}, the mail server writes each mail to a new folder under the sibling {@code mail}
     */
    public static Infrastructure start(Ports ports, Path logDir) throws Exception {
        return start(ports, logDir, false);
    }

    /** @param withZipkin also start the Zipkin server on {@code ports.zipkin()} */
    public static Infrastructure start(Ports ports, Path logDir, boolean withZipkin) throws Exception {
        Infrastructure infrastructure = new Infrastructure(ports, logDir.toAbsolutePath().normalize());
        try {
            if (withZipkin) {
                infrastructure.startZipkin(); // like S3: a JVM of its own that starts while the others do
            }
            infrastructure.startS3(); // a JVM of its own: it starts while the others do
            infrastructure.startKafka();
            infrastructure.startPostgres();
            infrastructure.startRedis();
            infrastructure.startMail();
            infrastructure.awaitS3();
            if (withZipkin) {
                infrastructure.awaitZipkin();
            }
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

    private void startS3() throws IOException {
        s3 = S3Server.start(ports.s3(), logDir.resolveSibling("s3"), logDir);
        started.add(s3);
    }

    private void awaitS3() throws InterruptedException {
        s3.awaitReady();
        LOG.info("S3-compatible server (S3Proxy, for MinIO) on {}", s3.endpoint());
    }

    private void startZipkin() throws IOException {
        zipkin = ZipkinServer.start(ports.zipkin(), logDir);
        started.add(zipkin);
    }

    private void awaitZipkin() throws InterruptedException {
        zipkin.awaitReady();
        LOG.info("Zipkin (the trace UI) on {}", zipkin.uiUrl());
    }

    private void startMail() throws IOException {
        mail = MailServer.start(ports.smtp(), logDir.resolveSibling("mail"));
        started.add(mail);
        LOG.info("SMTP server (GreenMail) on localhost:{}, mails saved in {}", ports.smtp(), mail.mailDir());
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports.postgres() + "/" + DATABASE;
    }

    public String kafkaBootstrapServers() {
        return kafka.getBrokersAsString();
    }

    /** The S3 endpoint, e.g. http://localhost:9000; an invoice is at {@code <endpoint>/invoices/<order id>.html}. */
    public String s3Endpoint() {
        return s3.endpoint();
    }

    /** The S3 server, e.g. for the number of objects it holds. */
    public S3Server s3() {
        return s3;
    }

    /** The SMTP server, with every mail it received. */
    public MailServer mail() {
        return mail;
    }

    /** The Zipkin server, or null when it was not started. */
    public ZipkinServer zipkin() {
        return zipkin;
    }

    /** What the apps need to reach these servers, as the environment variables their configuration reads. */
    public Map<String, String> appEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
        env.put("POSTGRES_URL", jdbcUrl());
        env.put("POSTGRES_USER", DB_USER);
        env.put("POSTGRES_PASSWORD", DB_PASSWORD);
        env.put("REDIS_HOST", "localhost");
        env.put("REDIS_PORT", String.valueOf(ports.redis()));
        env.put("MINIO_ENDPOINT", s3Endpoint());
        env.put("MINIO_ACCESS_KEY", S3_ACCESS_KEY);
        env.put("MINIO_SECRET_KEY", S3_SECRET_KEY);
        env.put("INVOICES_BUCKET", INVOICES_BUCKET);
        env.put("SMTP_HOST", "localhost");
        env.put("SMTP_PORT", String.valueOf(ports.smtp()));
        return Map.copyOf(env);
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
