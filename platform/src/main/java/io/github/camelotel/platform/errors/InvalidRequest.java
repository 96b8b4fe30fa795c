package io.github.camelotel.platform.errors;

import java.util.List;

/**
 * A request its contract refuses: answered with 400 and, for {@code invalid_request}, one entry per offending
 * field (such as {@code items[0].quantity}) and what is wrong with it.
 */
public class InvalidRequest extends RuntimeException {

    /** One offending field and what is wrong with it. */
    public record Field(String field, String problem) {}

    private final String error;
    private final List<Field> fields;

    private InvalidRequest(String error, String message, List<Field> fields) {
        super(message);
        this.error = error;
        this.fields = List.copyOf(fields);
    }

    public static InvalidRequest fields(List<Field> fields) {
        return new InvalidRequest("invalid_request", "the request does not match its OpenAPI document", fields);
    }

    public static InvalidRequest malformedJson() {
        return new InvalidRequest("malformed_json", "the request body is not a JSON document", List.of());
    }

    public String error() {
        return error;
    }

    public List<Field> fieldList() {
        return fields;
    }
}
