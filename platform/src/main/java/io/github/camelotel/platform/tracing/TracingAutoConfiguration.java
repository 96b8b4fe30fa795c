package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.opentelemetry.OpenTelemetryTracingStrategy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Tracing of an app: the OpenTelemetry SDK, configured by the standard {@code OTEL_*} environment variables, Camel's
 * tracer with the platform's span shapes, and bean {@code tracing} for the routes.
 *
 * <p>Camel's tracer picks up the {@link Tracer} and {@link ContextPropagators} beans below; without them it would
 * fall back to {@code GlobalOpenTelemetry}, a no-op that drops every span silently. The SDK is deliberately not
 * registered as global, so several apps can share one JVM. Runs before Spring Boot's and the
 * {@code camel-opentelemetry-starter}'s auto-configurations, whose beans step back when these exist.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
            "org.apache.camel.opentelemetry.starter.OpenTelemetryAutoConfiguration"
        })
@EnableConfigurationProperties(TracingProperties.class)
public class TracingAutoConfiguration {

    /**
     * Defaults for when no {@code OTEL_*} variable says otherwise: spans stay local, W3C context and baggage. OTLP
     * goes over HTTP (port 4318), as the README documents: the SDK's own default is gRPC, which an
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} on 4318 cannot take, so spans would be dropped with only a warning.
     */
    static Map<String, String> sdkDefaults(String serviceName) {
        return Map.of(
                "otel.service.name", serviceName,
                "otel.traces.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.propagators", "tracecontext,baggage");
    }

    /** Every {@link SpanProcessor} bean of the app is added to the SDK's tracer provider. */
    @Bean(destroyMethod = "close")
    public OpenTelemetrySdk openTelemetry(
            Environment environment, TracingProperties properties, ObjectProvider<SpanProcessor> extraSpanProcessors) {
        String serviceName = environment.getProperty("spring.application.name", "application");
        List<SpanProcessor> extras = extraSpanProcessors.orderedStream().toList();
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> sdkDefaults(serviceName))
                .addTracerProviderCustomizer((tracerProvider, config) -> {
                    tracerProvider.addSpanProcessor(new BaggageAttributesSpanProcessor(properties.getBaggageKeys()));
                    extras.forEach(tracerProvider::addSpanProcessor);
                    return tracerProvider;
                })
                .addSpanExporterCustomizer((exporter, config) -> exporter instanceof ZipkinSpanExporter
                        ? new ZipkinDependencyLinks(exporter, properties.isZipkinLinksConsumers())
                        : exporter)
                .disableShutdownHook() // Spring closes the SDK (flushing spans) when the context stops
                .build()
                .getOpenTelemetrySdk();
    }

    @Bean
    public Tracer camelOpenTelemetryTracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("org.apache.camel");
    }

    @Bean
    public ContextPropagators contextPropagators(OpenTelemetry openTelemetry) {
        return openTelemetry.getPropagators();
    }

    /** Also the {@code SpanCustomizer} Camel's tracer finds in the registry. */
    @Bean
    public ExchangeTracing tracing(TracingProperties properties) {
        return new ExchangeTracing(properties.getBaggageKeys());
    }

    /**
     * Camel's tracer, built here rather than by {@code camel-opentelemetry-starter} (whose bean steps back when one
     * exists), so that it carries the platform's span decorators ({@link SpanShapes}) and matches exclude patterns
     * once per route and endpoint ({@link PlatformTracer}). The starter's properties keep their meaning:
     * {@code camel.opentelemetry.enabled}, {@code exclude-patterns} (added to {@link SpanShapes#EXCLUDED}),
     * {@code encoding}, {@code trace-processors}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(value = "camel.opentelemetry.enabled", matchIfMissing = true)
    static class CamelTracerConfiguration {

        @Bean(initMethod = "", destroyMethod = "") // Camel runs the tracer's lifecycle
        OpenTelemetryTracer openTelemetryTracer(
                CamelContext camelContext, Tracer tracer, ContextPropagators propagators, Environment environment) {
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
            SpanShapes.decorators(
                            environment.getProperty("spring.datasource.url"),
                            environment.getProperty("spring.data.redis.host"),
                            environment.getProperty("spring.data.redis.port", Integer.class, -1))
                    .forEach(camelTracer::addDecorator);
            camelTracer.init(camelContext);
            return camelTracer;
        }
    }
}
