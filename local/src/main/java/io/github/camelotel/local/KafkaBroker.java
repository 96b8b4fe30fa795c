package io.github.camelotel.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka broker (KRaft: broker and controller in one) in this JVM, with its log in a folder the stack
 * owns. Not spring-kafka-test's EmbeddedKafkaKraftBroker: its test kit keeps the log in a temporary folder that a JVM
 * shutdown hook of its own deletes (Kafka's TestUtils.tempDirectory), concurrently with the stack's hook that is still
 * stopping the apps, so the broker failed under them ("all log dirs have failed", Exit.halt). Here the broker stops
 * when the stack says so, and starts again on the same port with the same data ({@link #restart()}).
 */
final class KafkaBroker implements AutoCloseable {

    private static final String CONTROLLER = "CONTROLLER";

    private final KafkaConfig config;
    private final int port;
    private KafkaRaftServer server;

    private KafkaBroker(KafkaConfig config, int port) {
        this.config = config;
        this.port = port;
    }

    /**
     * Starts the broker on localhost:{@code port} (its controller on {@code controllerPort}) with its log in
     * {@code logDir}, formatted first if it is new, and creates {@code topics} unless they exist.
     */
    static KafkaBroker start(int port, int controllerPort, Path logDir, int partitions, List<String> topics)
            throws Exception {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", CONTROLLER),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", String.valueOf(partitions)),
                Map.entry("auto.create.topics.enable", "true"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", String.valueOf(partitions)),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // a single node has no one to hand its partitions to: no need to wait at shutdown
                Map.entry("controlled.shutdown.enable", "false"),
                // the log cleaner (it compacts the consumer offsets) holds this buffer on the heap for good; the
                // default, 128 MiB, is sized for a cluster's logs, not for a few topics of a local stack
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024))));
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        KafkaBroker broker = new KafkaBroker(config, port);
        broker.startServer();
        broker.createTopics(partitions, topics);
        return broker;
    }

    private void startServer() {
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
    }

    private void createTopics(int partitions, List<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                            .all()
                            .get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker and starts it again on the same port with the same data, as after a crash or an upgrade. */
    void restart() {
        stopServer();
        startServer();
    }

    private void stopServer() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stopServer();
    }
}
