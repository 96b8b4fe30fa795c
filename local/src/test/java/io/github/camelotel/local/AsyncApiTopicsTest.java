package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.camelotel.local.AsyncApi.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * routes/common/asyncapi.yaml describes exactly the topics the routes use, and who sends and who receives: a route
 * that starts using a topic, or stops, fails this test until the document says so. Its examples match its schemas
 * (the AsyncAPI linter does not check them).
 */
class AsyncApiTopicsTest {

    static final Path ROUTES = AsyncApi.FILE.getParent().getParent();
    /** DeadLetters.SUFFIX: the consumer-errors configuration sends a poison record of topic T to T.DLT. */
    static final String DEAD_LETTER_SUFFIX = ".DLT";

    @Test
    void theDocumentDescribesEveryTopicTheRoutesUseAndWhoSendsAndReceives() throws IOException {
        AsyncApi asyncApi = AsyncApi.load();
        List<Operation> used = operationsOfTheRoutes();
        assertThat(used).as("kafka endpoints found in " + ROUTES).hasSizeGreaterThanOrEqualTo(6);

        assertThat(asyncApi.operations())
                .as("operations of " + AsyncApi.FILE + " (key: route id, first tag: app)")
                .containsExactlyInAnyOrderElementsOf(used);
        assertThat(asyncApi.channels().keySet())
                .as("channel addresses of " + AsyncApi.FILE)
                .containsExactlyInAnyOrderElementsOf(
                        used.stream().map(Operation::topic).distinct().toList());
    }

    @Test
    void everyExampleMatchesItsMessage() throws IOException {
        AsyncApi asyncApi = AsyncApi.load();
        List<String> violations = new ArrayList<>();
        asyncApi.document.path("components").path("messages").fieldNames().forEachRemaining(name -> {
            String message = "/components/messages/" + name;
            JsonNode examples = asyncApi.document.at(message + "/examples");
            assertThat(examples).as("examples of message " + name).isNotEmpty();
            for (JsonNode example : examples) {
                for (String part : List.of("headers", "payload")) {
                    asyncApi.violations(message + "/" + part, example.path(part))
                            .forEach(v -> violations.add(
                                    name + " example " + example.path("name").asText() + " " + part + ": " + v));
                }
            }
        });
        assertThat(violations).isEmpty();
    }

    /**
     * Each route's Kafka endpoints: its {@code from} receives, a {@code to} in its steps sends, and a consumer
     * bound to consumer-errors also sends its dead letters (operation {@code <route id>-dead-letter}).
     */
    static List<Operation> operationsOfTheRoutes() throws IOException {
        assertThat(deadLetterUri()).as("consumer-errors' dead-letter channel").startsWith("kafka:");
        List<Operation> operations = new ArrayList<>();
        for (Path file : routeFiles()) {
            String app = ROUTES.relativize(file).getName(0).toString();
            for (JsonNode element : AsyncApi.YAML.readTree(file.toFile())) {
                JsonNode route = element.path("route");
                if (route.isMissingNode()) {
                    continue;
                }
                String id = route.path("id").asText();
                String consumed = topic(route.path("from").path("uri").asText());
                if (consumed != null) {
                    operations.add(new Operation(id, app, "receive", consumed));
                    if ("consumer-errors"
                            .equals(route.path("routeConfigurationId").asText())) {
                        operations.add(new Operation(id + "-dead-letter", app, "send", consumed + DEAD_LETTER_SUFFIX));
                    }
                }
                List<String> sent = new ArrayList<>();
                collectSends(route.path("from").path("steps"), sent);
                sent.forEach(topic -> operations.add(new Operation(id, app, "send", topic)));
            }
        }
        return operations;
    }

    /** Topics of every to/toD/wireTap endpoint below {@code node}, written as a string or as {@code uri:}. */
    static void collectSends(JsonNode node, List<String> topics) {
        if (node.isArray()) {
            node.forEach(child -> collectSends(child, topics));
            return;
        }
        node.fields().forEachRemaining(field -> {
            if (List.of("to", "toD", "wireTap").contains(field.getKey())) {
                JsonNode endpoint = field.getValue();
                String topic = topic(
                        endpoint.isTextual()
                                ? endpoint.asText()
                                : endpoint.path("uri").asText());
                if (topic != null) {
                    topics.add(topic);
                }
            }
            collectSends(field.getValue(), topics);
        });
    }

    static String topic(String uri) {
        return uri.startsWith("kafka:") ? uri.substring("kafka:".length()).replaceFirst("\\?.*", "") : null;
    }

    static String deadLetterUri() throws IOException {
        for (Path file : routeFiles()) {
            for (JsonNode element : AsyncApi.YAML.readTree(file.toFile())) {
                JsonNode configuration = element.path("routeConfiguration");
                if ("consumer-errors".equals(configuration.path("id").asText())) {
                    return configuration
                            .path("errorHandler")
                            .path("deadLetterChannel")
                            .path("deadLetterUri")
                            .asText();
                }
            }
        }
        return "(no routeConfiguration consumer-errors)";
    }

    static List<Path> routeFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROUTES)) {
            return walk.filter(f -> f.toString().endsWith(".camel.yaml"))
                    .sorted()
                    .toList();
        }
    }
}
