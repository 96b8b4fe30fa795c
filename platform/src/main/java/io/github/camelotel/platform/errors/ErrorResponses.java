package io.github.camelotel.platform.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.tracing.ExchangeTracing;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ValidationException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The one error model of every HTTP endpoint, used from the {@code rest-errors} route configuration as bean
 * {@code errors} and by the contract's request validation: a status code and a JSON body that names the offending
 * fields, never a stack trace.
 */
public class ErrorResponses {

    /** Seconds a client should wait before retrying when a dependency is unavailable. */
    static final String RETRY_AFTER_SECONDS = "5";

    /** An error answer: its status and its JSON body. */
    public record Answer(int status, String body) {}

    private final ObjectMapper json;
    private final ExchangeTracing tracing;

    public ErrorResponses(ObjectMapper json, ExchangeTracing tracing) {
        this.json = json;
        this.tracing = tracing;
    }

    /** Replaces the message with the error response for the exception the exchange caught. */
    public void toResponse(Exchange exchange) {
        Answer answer = answer(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class));
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (answer.status() == 503) {
            message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        message.setBody(answer.body());
    }

    /** The error answer for a failure of the exchange's request, with the trace ID. */
    public Answer answer(Exchange exchange, Exception failure) {
        Map<String, Object> body = new LinkedHashMap<>();
        int status = describe(failure, body);
        body.put("traceId", tracing.traceId(exchange));
        try {
            return new Answer(status, json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an error body of strings cannot fail to serialise", e);
        }
    }

    /** Fills in error, message (and fields) for a failure and answers the HTTP status. */
    static int describe(Exception failure, Map<String, Object> body) {
        if (failure instanceof InvalidRequest invalid) {
            body.put("error", invalid.error());
            body.put("message", invalid.getMessage());
            if (!invalid.fieldList().isEmpty()) {
                body.put("fields", invalid.fieldList());
            }
            return 400;
        }
        if (failure instanceof NotFound) {
            body.put("error", "not_found");
            body.put("message", failure.getMessage());
            return 404;
        }
        if (failure instanceof Conflict) {
            body.put("error", "conflict");
            body.put("message", failure.getMessage());
            return 409;
        }
        if (hasCause(failure, PayloadTooLarge.class)) {
            body.put("error", "payload_too_large");
            body.put("message", "the request body is too large");
            return 413;
        }
        if (failure instanceof UnsupportedMediaType) {
            body.put("error", "unsupported_media_type");
            body.put("message", failure.getMessage());
            return 415;
        }
        if (failure instanceof ValidationException || failure instanceof IllegalArgumentException) {
            body.put("error", "invalid_request");
            body.put("message", failure.getMessage());
            return 400;
        }
        if (Failures.isTransientFailure(failure)) {
            body.put("error", "dependency_unavailable");
            body.put("message", "a service this request needs is unavailable; retry later");
            return 503;
        }
        if (failure instanceof HttpOperationFailedException downstream && downstream.getStatusCode() < 500) {
            body.put("error", "rejected_downstream");
            body.put("message", "the downstream service answered " + downstream.getStatusCode());
            return 502;
        }
        body.put("error", "internal_error");
        body.put("message", "the request failed; the trace ID identifies it in the logs");
        return 500;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
