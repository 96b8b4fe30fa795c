package io.github.camelotel.platform;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.Exchange;
import org.apache.camel.ValidationException;
import org.apache.camel.component.jsonvalidator.JsonValidationException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The one error model of every HTTP endpoint, used from the {@code rest-errors} route configuration as bean
 * {@code errors}: a status code and a JSON body that names the offending fields, never a stack trace.
 */
public class ErrorResponses {

    /** Seconds a client should wait before retrying when a dependency is unavailable. */
    static final String RETRY_AFTER_SECONDS = "5";

    /** Schema keywords whose violation is about a property the location does not name yet. */
    private static final Set<String> NAMES_A_PROPERTY = Set.of("required", "additionalProperties");

    private final ObjectMapper json;
    private final PurchaseTracing tracing;

    public ErrorResponses(ObjectMapper json, PurchaseTracing tracing) {
        this.json = json;
        this.tracing = tracing;
    }

    /** Replaces the message with the error response for the exception the exchange caught. */
    public void toResponse(Exchange exchange) throws JsonProcessingException {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<String, Object> body = new LinkedHashMap<>();
        int status = describe(failure, body);
        body.put("traceId", tracing.traceId(exchange));

        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 503) {
            message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        message.setBody(json.writeValueAsString(body));
    }

    /** Fills in error, message (and fields) for a failure and answers the HTTP status. */
    static int describe(Exception failure, Map<String, Object> body) {
        if (failure instanceof JsonValidationException invalid && invalid.getNumberOfErrors() > 0) {
            List<Map<String, String>> fields = invalid.getErrors().stream()
                    .map(ErrorResponses::field)
                    .sorted(Comparator.comparing((Map<String, String> f) -> f.get("field")))
                    .toList();
            body.put("error", "invalid_request");
            body.put("message", "the request body does not match the purchase schema");
            body.put("fields", fields);
            return 400;
        }
        if (failure instanceof JsonValidationException) {
            body.put("error", "malformed_json");
            body.put("message", "the request body is not a JSON document");
            return 400;
        }
        if (hasCause(failure, RequestSizeLimitFilter.PayloadTooLarge.class)) {
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

    /** A schema violation as {field, problem}: {@code items[0].quantity}, or the path of a missing or unknown property. */
    private static Map<String, String> field(ValidationMessage violation) {
        String location = violation.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        if (NAMES_A_PROPERTY.contains(violation.getType()) && violation.getProperty() != null) {
            location = location.isEmpty() ? violation.getProperty() : location + "." + violation.getProperty();
        }
        String problem = Objects.requireNonNullElse(violation.getError(), violation.getMessage());
        return Map.of("field", location.isEmpty() ? "(body)" : location, "problem", problem);
    }
}
