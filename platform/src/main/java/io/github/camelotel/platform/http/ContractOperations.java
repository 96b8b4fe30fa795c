package io.github.camelotel.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operations of one OpenAPI document, compiled once for checking requests: each operation's path template as a
 * pattern, and the JSON schemas of its parameters and request body. OpenAPI 3.0 schemas are JSON Schema draft 4
 * with a few keywords of their own, so they are checked as draft 4 without those keywords.
 */
final class ContractOperations {

    /** Keywords of OpenAPI's schema object that say nothing about validity (or that draft 4 does not know). */
    private static final Set<String> ANNOTATIONS = Set.of(
            "example", "nullable", "readOnly", "writeOnly", "xml", "externalDocs", "deprecated", "discriminator");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

    /** A parameter: where it is ({@code path}, {@code query}, {@code header}), whether it must be there, its schema. */
    record Parameter(String name, String in, boolean required, JsonSchema schema) {}

    /** A request body: whether it must be there, the media types it may have, and the schema of JSON ones. */
    record Body(boolean required, Set<String> mediaTypes, JsonSchema schema) {}

    /** One operation: its method, path template (e.g. {@code /orders/{orderId}}), parameters and body (or null). */
    record Operation(String method, String template, Pattern path, List<Parameter> parameters, Body body) {}

    private final List<Operation> operations;

    ContractOperations(OpenAPI contract) {
        // Camel parsed the document with every reference resolved, so its JSON form holds every schema in place.
        JsonNode document = Json.mapper().valueToTree(contract);
        List<Operation> compiled = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> item : path.getValue().properties()) {
                if (METHODS.contains(item.getKey())) {
                    compiled.add(operation(
                            item.getKey(), path.getKey(), path.getValue().path("parameters"), item.getValue()));
                }
            }
        }
        this.operations = List.copyOf(compiled);
    }

    /** The operation a request is for, or null. */
    Operation match(String method, String path) {
        for (Operation operation : operations) {
            if (operation.method().equalsIgnoreCase(method)
                    && operation.path().matcher(path).matches()) {
                return operation;
            }
        }
        return null;
    }

    private static Operation operation(String method, String template, JsonNode pathParameters, JsonNode operation) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (JsonNode list : List.of(pathParameters, operation.path("parameters"))) {
            for (JsonNode parameter : list) {
                String name = parameter.path("name").asText();
                String in = parameter.path("in").asText();
                parameters.put(
                        in + ":" + name,
                        new Parameter(
                                name,
                                in,
                                parameter.path("required").asBoolean(false),
                                schema(parameter.path("schema"))));
            }
        }
        Body body = null;
        JsonNode requestBody = operation.path("requestBody");
        if (!requestBody.isMissingNode()) {
            Set<String> mediaTypes = new LinkedHashSet<>();
            JsonSchema schema = null;
            for (Map.Entry<String, JsonNode> mediaType :
                    requestBody.path("content").properties()) {
                mediaTypes.add(mediaType.getKey().toLowerCase(Locale.ROOT));
                if (mediaType.getKey().toLowerCase(Locale.ROOT).contains("json")) {
                    schema = schema(mediaType.getValue().path("schema"));
                }
            }
            body = new Body(requestBody.path("required").asBoolean(false), Set.copyOf(mediaTypes), schema);
        }
        return new Operation(
                method.toUpperCase(Locale.ROOT),
                template,
                pathPattern(template),
                List.copyOf(parameters.values()),
                body);
    }

    private static JsonSchema schema(JsonNode schema) {
        return schema.isMissingNode() ? null : SCHEMAS.getSchema(withoutAnnotations(schema.deepCopy()));
    }

    private static JsonNode withoutAnnotations(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(ANNOTATIONS);
            object.properties().forEach(field -> {
                if (field.getKey().equals("properties")) {
                    // its keys are property names (a property may well be called "example"): only its values are
                    // schemas
                    field.getValue().forEach(ContractOperations::withoutAnnotations);
                } else {
                    withoutAnnotations(field.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(ContractOperations::withoutAnnotations);
        }
        return node;
    }

    /** {@code /orders/{orderId}} as a pattern: a parameter matches one path segment, the rest matches as written. */
    private static Pattern pathPattern(String template) {
        StringBuilder regex = new StringBuilder();
        var matcher = Pattern.compile("\\{([^}/]+)}").matcher(template);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(template.substring(last, matcher.start())))
                    .append("[^/]+");
            last = matcher.end();
        }
        return Pattern.compile(
                regex.append(Pattern.quote(template.substring(last))).toString());
    }
}
