package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.opentelemetry.OpenTelemetryTracingStrategy;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Camel's tracer, built here rather than by {@code camel-opentelemetry-starter} (whose bean steps back when one
 * exists), so that it carries the platform's span decorators ({@link SpanShapes}) and matches exclude patterns once
 * per route and endpoint ({@link PlatformTracer}). The starter's properties keep their meaning:
 * {@code camel.opentelemetry.enabled}, {@code exclude-patterns} (added to {@link SpanShapes#EXCLUDED}),
 * {@code encoding}, {@code trace-processors}. The tracer finds the app's {@code Tracer}, {@code ContextPropagators}
 * and {@code SpanCustomizer} ({@code PurchaseTracing}) beans.
 */
@AutoConfiguration(
        afterName = "io.github.camelotel.platform.TelemetryAutoConfiguration",
        beforeName = "org.apache.camel.opentelemetry.starter.OpenTelemetryAutoConfiguration")
@ConditionalOnProperty(value = "camel.opentelemetry.enabled", matchIfMissing = true)
public class CamelTracingAutoConfiguration {

    @Bean(initMethod = "", destroyMethod = "") // Camel runs the tracer's lifecycle
    OpenTelemetryTracer openTelemetryTracer(CamelContext camelContext, Tracer tracer, ContextPropagators propagators,
            Environment environment) {
        OpenTelemetryTracer camelTracer = new PlatformTracer(
                SpanShapes.EXCLUDED + "," + environment.getProperty("camel.opentelemetry.exclude-patterns", ""));
        camelTracer.setTracer(tracer);
        camelTracer.setContextPropagators(propagators);
        camelTracer.setEncoding(environment.getProperty("camel.opentelemetry.encoding", Boolean.class, false));
        if (environment.getProperty("camel.opentelemetry.trace-processors", Boolean.class, false)) {
            OpenTelemetryTracingStrategy strategy = new OpenTelemetryTracingStrategy(camelTracer);
            strategy.setPropagateContext(true);
            camelTracer.setTracingStrategy(strategy);
        }
        // Camel keeps decorators in one map per JVM, keyed by scheme; these replace its own for the same schemes
        SpanShapes.decorators(environment.getProperty("spring.datasource.url"), environment.getProperty("spring.data.redis.host"),
                environment.getProperty("spring.data.redis.port", Integer.class, -1)).forEach(camelTracer::addDecorator);
        camelTracer.init(camelContext);
        return camelTracer;
    }
}
