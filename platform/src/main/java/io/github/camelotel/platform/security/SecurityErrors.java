package io.github.camelotel.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 in the project's error body, with the trace ID: the refused request gets a server span of its own (in
 * the caller's trace when it sent one), since no route ran for it. The body says what is missing and nothing about
 * why a token failed, which would help an attacker more than a client.
 */
final class SecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest request) {
            return Collections.list(request.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final ContractScopes scopes;
    private final ObjectMapper json;

    SecurityErrors(OpenTelemetry openTelemetry, ContractScopes scopes, ObjectMapper json) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("io.github.camelotel.platform.security");
        this.scopes = scopes;
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        answer(request, response, 401, "unauthorized", "a valid bearer token is required");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        answer(request, response, 403, "forbidden", "the token does not allow this operation");
    }

    private void answer(
            HttpServletRequest request, HttpServletResponse response, int status, String error, String message)
            throws IOException {
        Span span = refusal(request, status);
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("message", message);
            body.put(
                    "traceId",
                    span.getSpanContext().isValid() ? span.getSpanContext().getTraceId() : "");
            response.setStatus(status);
            response.setContentType("application/json");
            json.writeValue(response.getOutputStream(), body);
        } finally {
            span.end();
        }
    }

    private Span refusal(HttpServletRequest request, int status) {
        Context parent =
                openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), request, HEADERS);
        ContractScopes.Operation operation = scopes.match(request.getMethod(), request.getServletPath());
        String name = operation == null ? request.getMethod() : request.getMethod() + " " + operation.template();
        var span = tracer.spanBuilder(name)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", request.getMethod())
                .setAttribute("url.path", request.getServletPath())
                .setAttribute("http.response.status_code", (long) status);
        if (operation != null) {
            span.setAttribute("http.route", operation.template());
        }
        Caller caller = Caller.of(request);
        if (caller != null) {
            span.setAttribute(Caller.CLIENT_ID_ATTRIBUTE, caller.clientId());
        }
        return span.startSpan();
    }
}
