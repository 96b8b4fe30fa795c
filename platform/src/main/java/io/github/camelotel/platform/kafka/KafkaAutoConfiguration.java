package io.github.camelotel.platform.kafka;

import io.github.camelotel.platform.AllowedHeaders;
import io.github.camelotel.platform.metrics.MetricsAutoConfiguration;
import io.github.camelotel.platform.tracing.ExchangeTracing;
import io.github.camelotel.platform.tracing.TracingAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.core.env.Environment;

/**
 * Kafka in every app: the dead-letter policy's bean {@code deadLetters} and its counter, which headers a record
 * carries (bean {@code kafkaHeaders}), and, in the apps with camel-kafka on the classpath, Kafka client metrics
 * (consumer lag). After the meter registry (which {@link MetricsAutoConfiguration} follows), for the metrics'
 * conditions.
 */
@AutoConfiguration(after = {TracingAutoConfiguration.class, MetricsAutoConfiguration.class})
public class KafkaAutoConfiguration {

    @Bean
    public DeadLetters deadLetters(ExchangeTracing tracing, Environment environment) {
        return new DeadLetters(tracing, environment.getProperty("spring.application.name", "application"));
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

    /**
     * Kafka records (the kafka component) carry the trace context and, on a dead letter, why it failed; a consumer
     * takes in the trace context only, so no record can set a header that steers a Camel component.
     */
    @Bean
    public AllowedHeaders kafkaHeaders() {
        return new AllowedHeaders(
                AllowedHeaders.TRACE_CONTEXT,
                AllowedHeaders.withTraceContext(DeadLetters.ERROR, DeadLetters.ATTEMPTS, DeadLetters.FAILED_BY));
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
            return ComponentCustomizer.forType(
                    KafkaComponent.class, kafka -> factory.ifAvailable(kafka::setKafkaClientFactory));
        }
    }
}
