package io.github.camelotel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.Keyword;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * routes/common/asyncapi.yaml as the tests read it: channels by topic, each channel's message, and the JSON Schemas
 * of its key, headers and payload. Schemas are loaded from the file's own location, so its relative $refs reach
 * the same purchase.schema.json and order.schema.json the routes and the OpenAPI documents use.
 */
final class AsyncApi {

    static final Path FILE = Path.of(System.getProperty("project.root", ".."))
            .resolve("routes/common/asyncapi.yaml")
            .toAbsolutePath()
            .normalize();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    // The default dialect of a schema without $schema (AsyncAPI's draft-07 keywords mean the same in it), told that
    // the document's own top-level fields are not schema keywords.
    private static final JsonMetaSchema DIALECT = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
            .keywords(Stream.of(
                            "asyncapi", "info", "defaultContentType", "servers", "channels", "operations", "components")
                    .map(NonValidationKeyword::new)
                    .map(Keyword.class::cast)
                    .toList())
            .build();
    private static final JsonSchemaFactory SCHEMAS =
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, factory -> factory.metaSchema(DIALECT));
    // date-time and friends are only annotations in 2020-12 unless asserted
    private static final SchemaValidatorsConfig ASSERT_FORMATS =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    /** An operation: the route (by id) of an app that sends to or receives from a topic. */
    record Operation(String id, String app, String action, String topic) {

        @Override
        public String toString() {
            return app + " " + id + ": " + action + " " + topic;
        }
    }

    final JsonNode document;
    private final Map<String, JsonSchema> loaded = new LinkedHashMap<>();

    private AsyncApi(JsonNode document) {
        this.document = document;
    }

    static AsyncApi load() throws IOException {
        return new AsyncApi(YAML.readTree(FILE.toFile()));
    }

    /** Topic → JSON pointer of its channel. */
    Map<String, String> channels() {
        Map<String, String> channels = new LinkedHashMap<>();
        document.path("channels")
                .fields()
                .forEachRemaining(c -> channels.put(c.getValue().path("address").asText(), "/channels/" + c.getKey()));
        return channels;
    }

    /** JSON pointer of the topic's one message (this project has one message per topic), null for an unknown topic. */
    String message(String topic) {
        String channel = channels().get(topic);
        if (channel == null) {
            return null;
        }
        JsonNode messages = document.at(channel + "/messages");
        if (messages.size() != 1) {
            throw new IllegalStateException(
                    "channel " + topic + " has " + messages.size() + " messages, the tests expect one");
        }
        return resolve(channel + "/messages/" + messages.fieldNames().next());
    }

    List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.path("operations")
                .fields()
                .forEachRemaining(o -> operations.add(new Operation(
                        o.getKey(),
                        o.getValue().path("tags").path(0).path("name").asText(),
                        o.getValue().path("action").asText(),
                        document.at(resolve(o.getValue()
                                                .path("channel")
                                                .path("$ref")
                                                .asText()
                                                .substring(1)) + "/address")
                                .asText())));
        return operations;
    }

    /** Follows the document's internal $refs ("#/...") from a JSON pointer to the object itself. */
    String resolve(String pointer) {
        String ref = document.at(pointer).path("$ref").asText();
        return ref.startsWith("#/") ? resolve(ref.substring(1)) : pointer;
    }

    /** What is wrong with {@code instance} by the schema at {@code pointer} (an empty list when it matches). */
    List<String> violations(String pointer, JsonNode instance) {
        JsonSchema schema = loaded.computeIfAbsent(
                pointer, p -> SCHEMAS.getSchema(SchemaLocation.of(FILE.toUri() + "#" + p), ASSERT_FORMATS));
        // a message starts with where in the instance it applies, which is empty at the instance's root
        return schema.validate(instance).stream()
                .map(ValidationMessage::getMessage)
                .map(m -> m.replaceFirst("^: ", ""))
                .sorted()
                .toList();
    }
}
