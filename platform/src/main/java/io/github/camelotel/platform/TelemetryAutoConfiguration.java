package io.github.camelotel.platform;

import java.util.List;
import java.util.Map;

import io.github.camelotel.platform.tracing.ZipkinDependencyLinks;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The OpenTelemetry SDK of an app, configured by the standard {@code OTEL_*} environment variables.
 *
 * <p>Camel's tracer ({@code camel-opentelemetry-starter}) picks up the {@link Tracer} and
 * {@link ContextPropagators} beans below; without them it would fall back to {@code GlobalOpenTelemetry},
 * a no-op that drops every span silently. The SDK is deliberately not registered as global, so several
 * apps can share one JVM.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
        "org.apache.camel.opentelemetry.starter.OpenTelemetryAutoConfiguration"})
@EnableConfigurationProperties(TracingProperties.class)
public class TelemetryAutoConfiguration {

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

    @Bean(destroyMethod = "close")
    public OpenTelemetrySdk openTelemetry(Environment environment, TracingProperties properties,
            ObjectProvider<SpanProcessor> extraSpanProcessors) {
        String serviceName = environment.getProperty("spring.application.name", "application");
        List<SpanProcessor> extras = extraSpanProcessors.orderedStream().toList();
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> sdkDefaults(serviceName))
                .addTracerProviderCustomizer((tracerProvider, config) -> {
                    tracerProvider.addSpanProcessor(new BaggageAttributesSpanProcessor(properties.getBaggageKeys()));
                    extras.forEach(tracerProvider::addSpanProcessor);
                    return tracerProvider;
                })
                .addSpanExporterCustomizer((exporter, config) ->
                        exporter instanceof ZipkinSpanExporter
                                ? new ZipkinDependencyLinks(exporter, properties.isZipkinLinksConsumers()) : exporter)
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

    @Bean
    public PurchaseTracing tracing(TracingProperties properties) {
        return new PurchaseTracing(properties.getBaggageKeys());
    }
}
