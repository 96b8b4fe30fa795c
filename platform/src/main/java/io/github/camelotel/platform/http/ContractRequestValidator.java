package io.github.camelotel.platform.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import io.github.camelotel.platform.errors.ErrorResponses;
import io.github.camelotel.platform.errors.InvalidRequest;
import io.github.camelotel.platform.errors.UnsupportedMediaType;
import io.github.camelotel.platform.tracing.SpanShapes;
import io.swagger.v3.oas.models.OpenAPI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RestClientRequestValidator;
import org.apache.camel.support.MessageHelper;

/**
 * Checks every request a {@code rest: openApi:} route serves against the operation its contract describes, before
 * the operation's route runs (Camel's client request validation; {@code clientRequestValidation: true} in the REST
 * configuration): the body's media type (415), its JSON syntax and its schema, and the parameters' schemas (400
 * naming each offending field). The answer is the project's error body ({@link ErrorResponses}), and the
 * operation's path template is kept for the server span's name ({@link SpanShapes#HTTP_ROUTE}).
 *
 * <p>Camel's own validators answer in plain text, and camel-openapi-validator builds a new validator for every
 * request; this one compiles each document once.
 */
public final class ContractRequestValidator implements RestClientRequestValidator {

    private static final Set<String> NAMES_A_PROPERTY = Set.of("required", "additionalProperties");

    private final ErrorResponses errors;
    private final ObjectMapper json;
    /** Each document Camel parsed (once per rest route, again when one reloads), compiled once. */
    private final Map<OpenAPI, ContractOperations> compiled = new IdentityHashMap<>();
    /** The last one used: the lookup of every request, without a lock. */
    private volatile Compiled last;

    private record Compiled(OpenAPI contract, ContractOperations operations) {}

    public ContractRequestValidator(ErrorResponses errors, ObjectMapper json) {
        this.errors = errors;
        this.json = json;
    }

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext context) {
        OpenAPI contract = exchange.getProperty(Exchange.REST_OPENAPI, OpenAPI.class);
        var message = exchange.getMessage();
        var operation = contract == null
                ? null
                : operations(contract)
                        .match(
                                message.getHeader(Exchange.HTTP_METHOD, String.class),
                                path(message.getHeader(Exchange.HTTP_PATH, String.class)));
        if (operation == null) {
            return null;
        }
        exchange.setProperty(SpanShapes.HTTP_ROUTE, operation.template());
        try {
            List<InvalidRequest.Field> fields = new ArrayList<>();
            for (var parameter : operation.parameters()) {
                checkParameter(parameter, message.getHeader(parameter.name(), String.class), fields);
            }
            if (operation.body() != null) {
                checkBody(operation.body(), exchange, fields);
            }
            if (!fields.isEmpty()) {
                fields.sort(Comparator.comparing(InvalidRequest.Field::field));
                throw InvalidRequest.fields(fields);
            }
            return null;
        } catch (Exception refused) {
            ErrorResponses.Answer answer = errors.answer(exchange, refused);
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            return new ValidationError(answer.status(), answer.body());
        }
    }

    private ContractOperations operations(OpenAPI contract) {
        Compiled known = last;
        if (known == null || known.contract() != contract) {
            synchronized (compiled) {
                known = new Compiled(contract, compiled.computeIfAbsent(contract, ContractOperations::new));
            }
            last = known;
        }
        return known.operations();
    }

    private static String path(String path) {
        return path == null || path.startsWith("/") ? Objects.requireNonNullElse(path, "/") : "/" + path;
    }

    private static void checkParameter(
            ContractOperations.Parameter parameter, String value, List<InvalidRequest.Field> fields) {
        if (value == null) {
            if (parameter.required()) {
                fields.add(new InvalidRequest.Field(
                        parameter.name(), "required " + parameter.in() + " parameter missing"));
            }
            return;
        }
        if (parameter.schema() != null) {
            for (ValidationMessage violation : parameter.schema().validate(TextNode.valueOf(value))) {
                fields.add(new InvalidRequest.Field(parameter.name(), problem(violation)));
            }
        }
    }

    /** Reads the body once: it stays on the message as text, for the route. */
    private void checkBody(ContractOperations.Body body, Exchange exchange, List<InvalidRequest.Field> fields)
            throws Exception {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String mediaType =
                contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType != null && !body.mediaTypes().contains(mediaType)) {
            throw unsupported(body);
        }
        String text = MessageHelper.extractBodyAsString(exchange.getMessage());
        if (text == null || text.isBlank()) {
            if (body.required()) {
                fields.add(new InvalidRequest.Field("(body)", "the request needs a body"));
            }
            return;
        }
        if (mediaType == null) {
            throw unsupported(body);
        }
        exchange.getMessage().setBody(text);
        JsonSchema schema = body.schema();
        if (schema == null) {
            return;
        }
        JsonNode document;
        try {
            document = json.readTree(text);
        } catch (JacksonException malformed) {
            throw InvalidRequest.malformedJson();
        }
        for (ValidationMessage violation : schema.validate(document)) {
            fields.add(new InvalidRequest.Field(field(violation), problem(violation)));
        }
    }

    private static UnsupportedMediaType unsupported(ContractOperations.Body body) {
        return new UnsupportedMediaType("the body must be " + String.join(" or ", body.mediaTypes()));
    }

    /** Where a violation is: {@code items[0].quantity}, or the path of a missing or unknown property. */
    private static String field(ValidationMessage violation) {
        String location = violation.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "");
        if (NAMES_A_PROPERTY.contains(violation.getType()) && violation.getProperty() != null) {
            location = location.isEmpty() ? violation.getProperty() : location + "." + violation.getProperty();
        }
        return location.isEmpty() ? "(body)" : location;
    }

    private static String problem(ValidationMessage violation) {
        return Objects.requireNonNullElse(violation.getError(), violation.getMessage());
    }
}
