package io.github.camelotel.platform;

import java.io.IOException;
import java.util.Collections;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes the trace context a request arrives with ({@code traceparent}, {@code baggage}) current while the servlet
 * container handles it, around Spring's {@code http.server.requests} timer. That timer records after Camel's
 * server span has ended, often on another thread (async dispatch); with the caller's context current, its
 * histogram bucket gets the trace ID as exemplar ({@link OpenTelemetryExemplars}). It changes no span: Camel
 * extracts the same context from the same headers as the parent of its server span.
 */
final class IncomingTraceContextFilter extends OncePerRequestFilter {

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

    IncomingTraceContextFilter(ContextPropagators propagators) {
        this.propagators = propagators;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Context incoming = propagators.getTextMapPropagator().extract(Context.root(), request, HEADERS);
        try (Scope ignored = incoming.makeCurrent()) {
            chain.doFilter(request, response);
        }
    }

    /** Also around the async dispatch that completes a request, where the timer records. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }
}
