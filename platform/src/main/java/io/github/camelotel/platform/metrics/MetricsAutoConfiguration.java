package io.github.camelotel.platform.metrics;

import io.github.camelotel.platform.tracing.TracingAutoConfiguration;
import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Metrics every app shares beyond what Spring Boot and camel-micrometer give: trace-ID exemplars on the Prometheus
 * histograms (routes and HTTP). What is measured as a histogram, and what Actuator exposes, is in
 * {@code platform-defaults.properties} ("Metrics"); the Kafka client and dead-letter meters are the Kafka
 * auto-configuration's.
 */
@AutoConfiguration(
        after = TracingAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
        })
public class MetricsAutoConfiguration {

    /**
     * The exemplar source of Spring Boot's Prometheus registry; as a span processor (picked up by
     * {@link TracingAutoConfiguration}) it also sees the spans that end.
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
}
