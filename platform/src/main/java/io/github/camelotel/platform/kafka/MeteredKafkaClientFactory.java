package io.github.camelotel.platform.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Camel's Kafka clients, each with its metrics in the app's meter registry: consumer lag per topic and partition
 * ({@code kafka_consumer_fetch_manager_records_lag}), fetch and commit rates, producer send rates and errors.
 * Camel's Kafka component picks this factory up from the registry by type (it is an autowired option).
 *
 * <p>The clients stay the real {@code KafkaConsumer}/{@code KafkaProducer} Camel expects (its readiness check
 * looks inside them). To drop a client's meters when Camel closes it (on a reconnect, a route reload or shutdown)
 * the client gets a {@link ClosedClient} metrics reporter, which Kafka closes together with the client.
 */
final class MeteredKafkaClientFactory extends DefaultKafkaClientFactory implements AutoCloseable {

    /** Client property that tells the {@link ClosedClient} reporter which meters belong to its client. */
    static final String BINDING_ID = "io.github.camelotel.metrics.binding";
    /** How often new client metrics (such as a partition's lag after an assignment) become meters. */
    static final long REFRESH_MILLIS = 10_000;

    private static final Map<String, KafkaClientMetrics> BINDINGS = new ConcurrentHashMap<>();

    private final MeterRegistry registry;
    private final ScheduledExecutorService refresher = new FastRefresh();
    private final List<String> ownBindings = new ArrayList<>();

    MeteredKafkaClientFactory(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    @SuppressWarnings("rawtypes") // Camel's KafkaClientFactory declares raw client types
    public Consumer getConsumer(Properties kafkaProps) {
        String binding = prepare(kafkaProps);
        Consumer consumer = super.getConsumer(kafkaProps);
        bind(binding, new KafkaClientMetrics(consumer, Tags.empty(), refresher));
        return consumer;
    }

    @Override
    @SuppressWarnings("rawtypes") // Camel's KafkaClientFactory declares raw client types
    public Producer getProducer(Properties kafkaProps) {
        String binding = prepare(kafkaProps);
        Producer producer = super.getProducer(kafkaProps);
        bind(binding, new KafkaClientMetrics(producer, Tags.empty(), refresher));
        return producer;
    }

    private static String prepare(Properties kafkaProps) {
        String binding = UUID.randomUUID().toString();
        Object reporters = kafkaProps.get(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG);
        String closedClient = ClosedClient.class.getName();
        kafkaProps.put(
                CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
                reporters == null || reporters.toString().isBlank() ? closedClient : reporters + "," + closedClient);
        kafkaProps.put(BINDING_ID, binding);
        return binding;
    }

    private synchronized void bind(String binding, KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        BINDINGS.put(binding, metrics);
        ownBindings.add(binding);
    }

    static int openBindings() {
        return BINDINGS.size();
    }

    @Override
    public synchronized void close() {
        ownBindings.forEach(ClosedClient::release);
        ownBindings.clear();
        refresher.shutdownNow();
    }

    /** Kafka creates one per client from {@code metric.reporters} and closes it when the client closes. */
    public static final class ClosedClient implements MetricsReporter {

        private String binding;

        @Override
        public void configure(Map<String, ?> configs) {
            Object id = configs.get(BINDING_ID);
            binding = id == null ? null : id.toString();
        }

        @Override
        public void init(List<KafkaMetric> metrics) {}

        @Override
        public void metricChange(KafkaMetric metric) {}

        @Override
        public void metricRemoval(KafkaMetric metric) {}

        @Override
        public void close() {
            release(binding);
        }

        static void release(String binding) {
            KafkaClientMetrics metrics = binding == null ? null : BINDINGS.remove(binding);
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    /**
     * One daemon thread for all clients that refreshes meters every {@link #REFRESH_MILLIS} instead of Micrometer's
     * fixed minute, so a consumer's lag shows up soon after it gets its partitions.
     */
    private static final class FastRefresh extends ScheduledThreadPoolExecutor {

        FastRefresh() {
            super(1, runnable -> {
                Thread thread = new Thread(runnable, "kafka-client-metrics");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return super.scheduleAtFixedRate(
                    command,
                    Math.min(unit.toMillis(initialDelay), REFRESH_MILLIS),
                    Math.min(unit.toMillis(period), REFRESH_MILLIS),
                    TimeUnit.MILLISECONDS);
        }
    }
}
