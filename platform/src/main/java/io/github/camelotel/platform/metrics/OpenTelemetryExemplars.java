package io.github.camelotel.platform.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.concurrent.TimeUnit;

/**
 * Tells the Prometheus registry which trace a measurement belongs to, so latency histogram buckets and counters
 * carry an exemplar {@code # {trace_id="...",span_id="..."}} that Grafana links to the trace in Tempo. Spring Boot
 * provides this only with Micrometer Tracing; these apps trace with the OpenTelemetry SDK that Camel drives.
 *
 * <p>The span is the current one ({@link Span#current()}) if there is one. The two latency timers that matter most
 * record just after their span has ended, though: Camel's route timer ({@code camel.route.policy}) runs after the
 * tracer's route policy ends the route span, and Spring's {@code http.server.requests} after Camel's server span
 * (see {@link IncomingTraceExemplars}). So this is also a {@link SpanProcessor} that remembers, per thread, the span
 * that ended last, and offers it for a measurement taken on that thread within {@link #RECENT_NANOS}. Only sampled
 * spans become exemplars: an unsampled trace is not in Tempo.
 */
final class OpenTelemetryExemplars implements io.prometheus.metrics.tracer.common.SpanContext, SpanProcessor {

    /** How long after a span ended a measurement on the same thread still belongs to it. */
    static final long RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private static final AttributeKey<Boolean> EXEMPLAR = AttributeKey.booleanKey(EXEMPLAR_ATTRIBUTE_NAME);

    private record Ended(SpanContext span, long atNanos) {}

    private final ThreadLocal<Ended> lastEnded = new ThreadLocal<>();

    @Override
    public String getCurrentTraceId() {
        SpanContext span = current();
        return span.isValid() ? span.getTraceId() : null;
    }

    @Override
    public String getCurrentSpanId() {
        SpanContext span = current();
        return span.isValid() ? span.getSpanId() : null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
        SpanContext span = current();
        return span.isValid() && span.isSampled();
    }

    /** Marks a span that is still open, so a tail sampler downstream could keep the traces metrics point to. */
    @Override
    public void markCurrentSpanAsExemplar() {
        Span.current().setAttribute(EXEMPLAR, Boolean.parseBoolean(EXEMPLAR_ATTRIBUTE_VALUE));
    }

    SpanContext current() {
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid()) {
            return current;
        }
        Ended ended = lastEnded.get();
        if (ended != null && System.nanoTime() - ended.atNanos() <= RECENT_NANOS) {
            return ended.span();
        }
        return SpanContext.getInvalid();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        remember(span.getSpanContext());
    }

    /** Offers a span for the measurements taken next on this thread (also used by {@link IncomingTraceExemplars}). */
    void remember(SpanContext span) {
        if (span.isValid()) {
            lastEnded.set(new Ended(span, System.nanoTime()));
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }
}
