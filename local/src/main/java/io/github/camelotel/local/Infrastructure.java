package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real servers the apps talk to, without Docker: a Kafka broker (KRaft) and an SMTP server (GreenMail) in this
 * JVM, and PostgreSQL and Redis binaries and an S3-compatible server standing in for MinIO (S3Proxy), all shipped in
 * Maven Central artifacts, and optionally the Zipkin server (the trace UI), as {@link ServerProcess}es (which stop when
 * this JVM dies, however it dies).
 * <p>
 * The stack owns its servers' data: each keeps it in {@code <data dir>/<server>} (the {@code data} folder beside the
 * log folder). Unless it is kept ({@code keepData}), a start deletes what a killed stack left there and
 * {@link #close()} deletes each server's folder after that server stopped. {@link #close()} stops the servers in
 * order: broker, databases, mail, S3, Zipkin.
 */
public final class Infrastructure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

    public static final String DATABASE = "purchases";
    public static final String DB_USER = "purchases";
    /** Local-only credential of the throw-away embedded database. */
    public static final String DB_PASSWORD = "purchases";
    /** PurchaseCompleted: app4-worker's event per completed order, which the executor's load mode waits for. */
    public static final List<String> TOPICS = List.of(
            "Purchase", "Purchase2", "Purchase.DLT", "Purchase2.DLT", "PurchaseCompleted", "PurchaseCompleted.DLT");
    /** The bucket app4-worker stores invoices in (it creates the bucket itself). */
    public static final String INVOICES_BUCKET = "invoices";
    /** Local-only credentials, the same as docker-compose.yml's MinIO; the S3 server here accepts any. */
    public static final String S3_ACCESS_KEY = "minioadmin";

    public static final String S3_SECRET_KEY = "minioadmin";
    static final int PARTITIONS = 4;

    private final Ports ports;
    private final Path logDir;
    private final Path dataDir;
    private final Path binariesDir;
    private final boolean keepData;
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private RedisServer redis;
    private S3Server s3;
    private MailServer mail;
    private ZipkinServer zipkin;

    private Infrastructure(Ports ports, Path logDir, boolean keepData) {
        this.ports = ports;
        this.logDir = logDir;
        this.dataDir = logDir.resolveSibling("data");
        this.binariesDir = logDir.resolveSibling("servers");
        this.keepData = keepData;
    }

    /** {@link #start(Ports, Path, boolean, boolean)} with fresh data, deleted at {@link #close()}, and no Zipkin. */
    public static Infrastructure start(Ports ports, Path logDir) throws Exception {
        return start(ports, logDir, false, false);
    }

    /**
     * @param logDir where the child processes write their output; the servers keep their data under the sibling
     *     folder {@code data}, the mail server writes each mail to a new folder under the sibling {@code mail}
     * @param keepData whether the servers' data outlives the stack (and a start carries on with it): orders, audit
     *     rows, cached orders, invoices and the broker's topics with the apps' consumer offsets
     * @param withZipkin also start the Zipkin server on {@code ports.zipkin()} (its spans live in memory only)
     */
    public static Infrastructure start(Ports ports, Path logDir, boolean keepData, boolean withZipkin)
            throws Exception {
        Infrastructure infrastructure =
                new Infrastructure(ports, logDir.toAbsolutePath().normalize(), keepData);
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

    /** A server's data folder; emptied first unless the data is kept. */
    private Path data(String server) throws IOException {
        Path folder = dataDir.resolve(server);
        if (!keepData) {
            Folders.deleteRecursively(folder);
        }
        return folder;
    }

    private void startKafka() throws Exception {
        kafka = KafkaBroker.start(ports.kafka(), ports.kafkaController(), data("kafka"), PARTITIONS, TOPICS);
        LOG.info("Kafka broker (KRaft) on {}, topics {}", kafka.bootstrapServers(), TOPICS);
    }

    private void startPostgres() throws Exception {
        postgres = PostgresServer.start(
                ports.postgres(),
                data("postgres"),
                binariesDir.resolve("postgres"),
                logDir.resolve("postgres.log"),
                DATABASE,
                DB_USER,
                DB_PASSWORD);
        LOG.info("PostgreSQL on localhost:{}, database {}", ports.postgres(), DATABASE);
    }

    private void startRedis() throws Exception {
        redis = RedisServer.start(
                ports.redis(), data("redis"), binariesDir.resolve("redis"), logDir.resolve("redis.log"), keepData);
        LOG.info("Redis on localhost:{}", ports.redis());
    }

    private void startS3() throws IOException {
        s3 = S3Server.start(ports.s3(), data("s3"), logDir);
    }

    private void awaitS3() throws InterruptedException {
        s3.awaitReady();
        LOG.info("S3-compatible server (S3Proxy, for MinIO) on {}", s3.endpoint());
    }

    private void startZipkin() throws IOException {
        zipkin = ZipkinServer.start(ports.zipkin(), logDir);
    }

    private void awaitZipkin() throws InterruptedException {
        zipkin.awaitReady();
        LOG.info("Zipkin (the trace UI) on {}", zipkin.uiUrl());
    }

    private void startMail() throws IOException {
        mail = MailServer.start(ports.smtp(), logDir.resolveSibling("mail"));
        LOG.info("SMTP server (GreenMail) on localhost:{}, mails saved in {}", ports.smtp(), mail.mailDir());
    }

    /** Stops the broker and starts it again on the same port with the same data, as after a crash or an upgrade. */
    public void restartKafka() {
        kafka.restart();
        LOG.info("Kafka broker restarted on {}", kafka.bootstrapServers());
    }

    /** Stops PostgreSQL (fast shutdown: the apps' connections break) and starts it again with the same data. */
    public void restartPostgres() throws IOException, InterruptedException {
        postgres.restart();
        LOG.info("PostgreSQL restarted on localhost:{}", ports.postgres());
    }

    /** Where the servers keep their data, one folder per server. */
    public Path dataDir() {
        return dataDir;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + ports.postgres() + "/" + DATABASE;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
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

    /** Stops the servers in order (broker, databases, mail, S3, Zipkin), each one's data deleted after it stopped. */
    @Override
    public void close() {
        stop("kafka", kafka);
        stop("postgres", postgres);
        stop("redis", redis);
        stop("mail", mail);
        stop("s3", s3);
        stop("zipkin", zipkin);
        kafka = null;
        postgres = null;
        redis = null;
        mail = null;
        s3 = null;
        zipkin = null;
    }

    private void stop(String server, AutoCloseable running) {
        try {
            if (running != null) {
                long start = System.nanoTime();
                running.close();
                LOG.info("{} stopped in {} ms", server, (System.nanoTime() - start) / 1_000_000);
            }
            if (!keepData) {
                Folders.deleteRecursively(dataDir.resolve(server));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("stopping {} failed: {}", server, e.toString());
        }
    }
}
