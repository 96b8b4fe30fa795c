package io.github.camelotel.platform.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Gives Spring's {@code http.server.requests} timer the trace of the request it measures. The timer records when
 * the request completes, after Camel's server span has ended and, for Camel's asynchronous requests, on the
 * container's completion thread, where no span is current. An {@link ObservationFilter} runs on that thread just
 * before the timer records: it reads the trace context the request arrived with ({@code traceparent}, which
 * every app sends to the next) and hands it to {@link OpenTelemetryExemplars} as the exemplar of this measurement.
 * A request without a {@code traceparent} (a client outside the traces) gets no exemplar.
 */
final class IncomingTraceExemplars implements ObservationFilter {

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String name) {
            return request == null ? null : request.getHeader(name);
        }
    };

    private final ContextPropagators propagators;
    private final OpenTelemetryExemplars exemplars;

    IncomingTraceExemplars(ContextPropagators propagators, OpenTelemetryExemplars exemplars) {
        this.propagators = propagators;
        this.exemplars = exemplars;
    }

    @Override
    public Observation.Context map(Observation.Context context) {
        if (context instanceof ServerRequestObservationContext request && request.getCarrier() != null) {
            Context incoming =
                    propagators.getTextMapPropagator().extract(Context.root(), request.getCarrier(), HEADERS);
            exemplars.remember(Span.fromContext(incoming).getSpanContext());
        }
        return context;
    }
}
