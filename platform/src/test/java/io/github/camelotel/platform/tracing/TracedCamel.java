package io.github.camelotel.platform.tracing;

import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.junit.jupiter.api.AfterEach;
import org.springframework.core.env.Environment;

/** Base of the tests of a Camel context traced as the platform traces an app, its spans kept in memory. */
abstract class TracedCamel {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();
    final CamelContext camel = new DefaultCamelContext();

    /** Puts the platform's tracer on the context, configured by the app's {@code environment}. */
    OpenTelemetryTracer trace(Environment environment) {
        return new TracingAutoConfiguration.CamelTracerConfiguration()
                .openTelemetryTracer(camel, tracerProvider.get("test"), ContextPropagators.noop(), environment);
    }

    @AfterEach
    void stop() {
        camel.stop();
        tracerProvider.close();
    }
}
