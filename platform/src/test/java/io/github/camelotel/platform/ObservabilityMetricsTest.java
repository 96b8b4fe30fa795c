package io.github.camelotel.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
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

/** The platform's own metrics: trace-ID exemplars, Kafka client meters and their clean-up, the dead-letter counter. */
class ObservabilityMetricsTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void exemplarIsTheCurrentSpanOrTheOneThatJustEndedOnThisThread() throws InterruptedException {
        OpenTelemetryExemplars exemplars = new OpenTelemetryExemplars();
        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(exemplars)
                .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
                .build();
        assertThat(exemplars.isCurrentSpanSampled()).isFalse();
        assertThat(exemplars.getCurrentTraceId()).isNull();

        Span route = tracing.get("test").spanBuilder("route").startSpan();
        try (Scope ignored = route.makeCurrent()) {
            assertThat(exemplars.getCurrentTraceId()).isEqualTo(route.getSpanContext().getTraceId());
            assertThat(exemplars.isCurrentSpanSampled()).isTrue();
        }
        route.end(); // as Camel's route policy does, before the route timer records
        assertThat(exemplars.getCurrentTraceId()).isEqualTo(route.getSpanContext().getTraceId());
        assertThat(exemplars.getCurrentSpanId()).isEqualTo(route.getSpanContext().getSpanId());

        String[] onAnotherThread = {"not run"};
        Thread other = new Thread(() -> onAnotherThread[0] = exemplars.getCurrentTraceId());
        other.start();
        other.join();
        assertThat(onAnotherThread[0]).as("another thread's measurement").isNull();
        tracing.close();
    }

    @Test
    void anUnsampledTraceGivesNoExemplar() {
        OpenTelemetryExemplars exemplars = new OpenTelemetryExemplars();
        exemplars.remember(SpanContext.createFromRemoteParent(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getDefault(),
                TraceState.getDefault()));
        assertThat(exemplars.isCurrentSpanSampled()).isFalse();
        exemplars.remember(SpanContext.createFromRemoteParent(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault()));
        assertThat(exemplars.isCurrentSpanSampled()).isTrue();
        assertThat(exemplars.getCurrentTraceId()).isEqualTo(TRACE_ID);
    }

    @Test
    void kafkaClientMetersAreRegisteredAndRemovedWhenTheClientCloses() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (MeteredKafkaClientFactory factory = new MeteredKafkaClientFactory(registry)) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9"); // never contacted before a send
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            Producer<?, ?> producer = factory.getProducer(props);

            assertThat(registry.find("kafka.producer.record.send.total").meters()).isNotEmpty();
            assertThat(MeteredKafkaClientFactory.openBindings()).isEqualTo(1);

            producer.close(); // Kafka closes the client's metrics reporters: the meters go with the client
            assertThat(MeteredKafkaClientFactory.openBindings()).isZero();
            assertThat(registry.find("kafka.producer.record.send.total").meters()).isEmpty();
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
                    from("kafka:Purchase?brokers=127.0.0.1:9").routeId("forward-purchase").autoStartup(false).to("mock:app3");
                    from("direct:read").routeId("read-order").to("mock:read");
                }
            });
            camel.start();
            metrics.registerConsumerRoutes(camel);

            Counter counter = registry.get(DeadLetterMetrics.METER).tags("routeId", "forward-purchase", "topic", "Purchase").counter();
            assertThat(counter.count()).isZero();
            assertThat(registry.find(DeadLetterMetrics.METER).tags("routeId", "read-order").counters()).isEmpty();

            Exchange failed = new DefaultExchange(camel);
            failed.getExchangeExtension().setFromRouteId("forward-purchase");
            ExchangeFailureHandledEvent deadLettered = new ExchangeFailureHandledEvent(failed, null, true, "kafka:dead-letters");
            assertThat(metrics.isEnabled(deadLettered)).isTrue();
            assertThat(metrics.isEnabled(new ExchangeFailureHandledEvent(failed, null, false, null))).as("handled, not dead-lettered").isFalse();
            metrics.notify(deadLettered);
            assertThat(counter.count()).isEqualTo(1);
        }
    }
}
