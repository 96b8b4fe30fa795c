package io.github.camelotel.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

/** Trace-ID exemplars: the span current when a measurement is taken, or the one that just ended on its thread. */
class OpenTelemetryExemplarsTest {

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
            assertThat(exemplars.getCurrentTraceId())
                    .isEqualTo(route.getSpanContext().getTraceId());
            assertThat(exemplars.isCurrentSpanSampled()).isTrue();
        }
        route.end(); // as Camel's route policy does, before the route timer records
        assertThat(exemplars.getCurrentTraceId())
                .isEqualTo(route.getSpanContext().getTraceId());
        assertThat(exemplars.getCurrentSpanId())
                .isEqualTo(route.getSpanContext().getSpanId());

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
        exemplars.remember(SpanContext.createFromRemoteParent(
                TRACE_ID, "00f067aa0ba902b7", TraceFlags.getDefault(), TraceState.getDefault()));
        assertThat(exemplars.isCurrentSpanSampled()).isFalse();
        exemplars.remember(SpanContext.createFromRemoteParent(
                TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()));
        assertThat(exemplars.isCurrentSpanSampled()).isTrue();
        assertThat(exemplars.getCurrentTraceId()).isEqualTo(TRACE_ID);
    }
}
