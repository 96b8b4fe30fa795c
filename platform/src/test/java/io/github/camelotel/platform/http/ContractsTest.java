package io.github.camelotel.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContractsTest {

    @TempDir
    Path routes;

    @Test
    void inlinesEveryFileReferenceWithItsPointerAndTheReferencesInsideIt() throws IOException {
        write("common/thing.schema.json", """
                {"type": "object", "properties": {"name": {"type": "string"}}}""");
        write("common/answers.yaml", """
                Thing:
                  description: a thing
                  content:
                    application/json:
                      schema:
                        $ref: './thing.schema.json'
                """);
        write("app/openapi.yaml", """
                openapi: 3.0.3
                paths:
                  /things/{id}:
                    get:
                      operationId: readThing
                      parameters:
                        - $ref: '#/components/parameters/Trace'
                      responses:
                        '200':
                          $ref: '../common/answers.yaml#/Thing'
                components:
                  parameters:
                    Trace: {name: x-trace, in: header, schema: {type: string}}
                """);
        Contracts contracts = new Contracts(routes);

        JsonNode answer = contracts.bundle("app/openapi.yaml").at("/paths/~1things~1{id}/get/responses/200");

        assertThat(answer.path("description").asText()).isEqualTo("a thing");
        assertThat(answer.at("/content/application~1json/schema/properties/name/type")
                        .asText())
                .isEqualTo("string");
        assertThat(contracts
                        .bundle("app/openapi.yaml")
                        .at("/paths/~1things~1{id}/get/parameters/0/$ref")
                        .asText())
                .as("references inside the document stay")
                .isEqualTo("#/components/parameters/Trace");
        assertThat(contracts.headerAndQueryParameters("app/openapi.yaml")).containsExactly("x-trace");
    }

    @Test
    void refusesAReferenceOutsideTheRoutesFolderOrToNothing() throws IOException {
        write("app/outside.yaml", "a: {$ref: '../../secrets.yaml'}");
        write("app/nothing.yaml", "a: {$ref: './outside.yaml#/no/such/part'}");
        Contracts contracts = new Contracts(routes);

        assertThatThrownBy(() -> contracts.bundle("app/outside.yaml"))
                .hasMessageContaining("outside the routes folder");
        assertThatThrownBy(() -> contracts.bundle("app/nothing.yaml")).hasMessageContaining("names nothing");
    }

    @Test
    void readsTheClasspathWhereTheFolderHasNoSuchFile() {
        Contracts contracts = new Contracts(routes);

        assertThat(contracts.exists("common/purchase.schema.json")).isTrue();
        assertThat(contracts.bundle("common/purchase.schema.json").path("title").asText())
                .isEqualTo("Purchase");
    }

    private void write(String path, String content) throws IOException {
        Files.createDirectories(routes.resolve(path).getParent());
        Files.writeString(routes.resolve(path), content);
    }
}
