package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file under routes/ is valid Camel YAML DSL (checked against the JSON schema shipped inside the
 * camel-yaml-dsl jar) and follows the house style: every route has a kebab-case id, and every SQL endpoint names
 * how many parameters its statement has.
 */
class RouteFilesTest {

    static final Path ROUTES = Path.of(System.getProperty("project.root", "..")).resolve("routes");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final JsonSchema CAMEL_YAML_DSL = loadSchema();

    static JsonSchema loadSchema() {
        try (InputStream schema = org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader.class.getResourceAsStream(
                "/schema/camelYamlDsl.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException("camel-yaml-dsl schema not found", e);
        }
    }

    static Stream<Path> routeFiles() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROUTES)) {
            files = walk.filter(f -> f.toString().endsWith(".camel.yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(files).as("route files under " + ROUTES).hasSizeGreaterThan(10);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void isValidCamelYamlDsl(Path file) throws IOException {
        JsonNode routes = YAML.readTree(file.toFile());

        Set<ValidationMessage> violations = CAMEL_YAML_DSL.validate(routes);

        assertThat(violations).as(ROUTES.relativize(file).toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRouteHasAKebabCaseId(Path file) throws IOException {
        for (JsonNode element : YAML.readTree(file.toFile())) {
            for (String kind : List.of("route", "routeConfiguration", "rest")) {
                if (element.has(kind)) {
                    // a REST DSL bound to a contract is one route, whose id its openApi block gives
                    JsonNode id = element.get(kind).has("openApi")
                            ? element.get(kind).get("openApi").path("routeId")
                            : element.get(kind).path("id");
                    assertThat(id.asText())
                            .as(kind + " id in " + file.getFileName())
                            .matches("[a-z0-9]+(-[a-z0-9]+)*");
                }
            }
        }
    }

    /**
     * parametersCount spares PostgreSQL a round trip per statement (see save-order), so it must match the file:
     * an edited statement with one parameter more would otherwise fail at run time, naming neither file nor route.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everySqlEndpointCountsTheParametersOfItsStatement(Path file) throws IOException {
        JsonNode routes = YAML.readTree(file.toFile());
        assertThat(routes.findValues("to"))
                .as("sql endpoints written as a plain uri in " + file.getFileName())
                .noneMatch(to -> to.asText().startsWith("sql:"));
        for (JsonNode endpoint : routes.findParents("uri")) {
            String uri = endpoint.path("uri").asText();
            if (!uri.startsWith("sql:")) {
                continue;
            }
            assertThat(uri)
                    .as("a statement from a file under routes/, in " + file.getFileName())
                    .startsWith("sql:classpath:routes/");
            String statement = Files.readString(ROUTES.resolveSibling(uri.substring("sql:classpath:".length())));
            long parameters = NAMED_PARAMETER
                    .matcher(statement.replaceAll("(?m)--.*$", ""))
                    .results()
                    .count();
            assertThat(endpoint.path("parameters").path("parametersCount").asLong())
                    .as("parametersCount of " + uri + " in " + file.getFileName())
                    .isEqualTo(parameters);
        }
    }

    /** camel-sql's named parameters: {@code :#name} or {@code :#${expression}}. */
    static final Pattern NAMED_PARAMETER = Pattern.compile(":#(\\$\\{[^}]*}|\\w+)");
}
