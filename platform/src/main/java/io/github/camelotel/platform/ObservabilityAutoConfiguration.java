package io.github.camelotel.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Metrics every app shares beyond what Spring Boot and camel-micrometer give: trace-ID exemplars on the Prometheus
 * histograms (routes and HTTP), Kafka client metrics (consumer lag) in the apps that use Kafka, and a dead-letter
 * counter. What is
 * measured as a histogram, and what Actuator exposes, is in {@code platform-defaults.properties} ("Metrics").
 */
@AutoConfiguration(after = TelemetryAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
public class ObservabilityAutoConfiguration {

    /**
     * The exemplar source of Spring Boot's Prometheus registry; as a span processor (picked up by
     * {@link TelemetryAutoConfiguration}) it also sees the spans that end.
     */
    @Bean
    @ConditionalOnClass(name = "io.prometheus.metrics.tracer.common.SpanContext")
    @ConditionalOnMissingBean(type = "io.prometheus.metrics.tracer.common.SpanContext")
    public OpenTelemetryExemplars openTelemetryExemplars() {
        return new OpenTelemetryExemplars();
    }

    /** Exemplars for {@code http.server.requests}: the trace a request arrived with. */
    @Bean
    @ConditionalOnClass(name = "org.springframework.http.server.observation.ServerRequestObservationContext")
    @ConditionalOnBean({ContextPropagators.class, OpenTelemetryExemplars.class})
    public ObservationFilter incomingTraceExemplars(ContextPropagators propagators, OpenTelemetryExemplars exemplars) {
        return new IncomingTraceExemplars(propagators, exemplars);
    }

    @Bean
    @ConditionalOnBean(MeterRegistry.class)
    public CamelContextConfiguration deadLetterMetrics(MeterRegistry registry) {
        DeadLetterMetrics metrics = new DeadLetterMetrics(registry);
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                camelContext.getManagementStrategy().addEventNotifier(metrics);
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {
                metrics.registerConsumerRoutes(camelContext);
            }
        };
    }

    /** Only in apps with camel-kafka on the classpath (the platform depends on it optionally). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.camel.component.kafka.KafkaClientFactory")
    static class KafkaMetricsConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean(KafkaClientFactory.class)
        public MeteredKafkaClientFactory kafkaClientFactory(MeterRegistry registry) {
            return new MeteredKafkaClientFactory(registry);
        }

        /** Sets the factory on the Kafka component explicitly: its autowiring by type does not apply here. */
        @Bean
        public ComponentCustomizer meteredKafkaClients(ObjectProvider<MeteredKafkaClientFactory> factory) {
            return ComponentCustomizer.forType(KafkaComponent.class,
                    kafka -> factory.ifAvailable(kafka::setKafkaClientFactory));
        }
    }
}
