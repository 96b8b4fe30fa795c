package io.github.camelotel.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.event.ExchangeFailureHandledEvent;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The platform's Kafka meters: client meters and their clean-up, the dead-letter counter. */
class KafkaMetricsTest {

    @Test
    void kafkaClientMetersAreRegisteredAndRemovedWhenTheClientCloses() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (MeteredKafkaClientFactory factory = new MeteredKafkaClientFactory(registry)) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never contacted before a send
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            Producer<?, ?> producer = factory.getProducer(props);

            assertThat(registry.find("kafka.producer.record.send.total").meters())
                    .isNotEmpty();
            assertThat(MeteredKafkaClientFactory.openBindings()).isEqualTo(1);

            producer.close(); // Kafka closes the client's metrics reporters: the meters go with the client
            assertThat(MeteredKafkaClientFactory.openBindings()).isZero();
            assertThat(registry.find("kafka.producer.record.send.total").meters())
                    .isEmpty();
        }
    }

    @Test
    void countsDeadLettersPerConsumerRouteFromZero() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        DeadLetterMetrics metrics = new DeadLetterMetrics(registry);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // Not started: no broker needed to create the consumer route.
                    from("kafka:Purchase?brokers=127.0.0.1:9")
                            .routeId("forward-purchase")
                            .autoStartup(false)
                            .to("mock:app3");
                    from("direct:read").routeId("read-order").to("mock:read");
                }
            });
            camel.start();
            metrics.registerConsumerRoutes(camel);

            Counter counter = registry.get(DeadLetterMetrics.METER)
                    .tags("routeId", "forward-purchase", "topic", "Purchase")
                    .counter();
            assertThat(counter.count()).isZero();
            assertThat(registry.find(DeadLetterMetrics.METER)
                            .tags("routeId", "read-order")
                            .counters())
                    .isEmpty();

            Exchange failed = new DefaultExchange(camel);
            failed.getExchangeExtension().setFromRouteId("forward-purchase");
            ExchangeFailureHandledEvent deadLettered =
                    new ExchangeFailureHandledEvent(failed, null, true, "kafka:dead-letters");
            assertThat(metrics.isEnabled(deadLettered)).isTrue();
            assertThat(metrics.isEnabled(new ExchangeFailureHandledEvent(failed, null, false, null)))
                    .as("handled, not dead-lettered")
                    .isFalse();
            metrics.notify(deadLettered);
            assertThat(counter.count()).isEqualTo(1);
        }
    }
}
