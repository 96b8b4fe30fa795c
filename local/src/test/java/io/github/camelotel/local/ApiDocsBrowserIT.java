package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each HTTP app serves its contract: {@code GET /openapi.json} is the document of {@code routes/<app>/openapi.yaml}
 * (with its shared schemas in place), and {@code /api-docs} shows its operations in a real browser (headless
 * Chromium renders Swagger UI, scripts and all).
 */
class ApiDocsBrowserIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.get();
    }

    static Stream<Arguments> apps() {
        return Stream.of(
                Arguments.of("executor", stack.ports().executor()),
                Arguments.of("app1-api", stack.ports().app1()),
                Arguments.of("app3-api", stack.ports().app3()));
    }

    @ParameterizedTest(name = "{0} serves its contract")
    @MethodSource("apps")
    void servesItsContractWithEveryOperation(String app, int port) throws Exception {
        HttpResponse<String> served = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/openapi.json"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode document = JSON.readTree(served.body());
        assertThat(operationIds(document)).isNotEmpty().isEqualTo(operationIds(source(app)));
        assertThat(served.body()).as("every file reference is inlined").doesNotContain("\"$ref\":\"../");
    }

    @ParameterizedTest(name = "{0}'s API can be read in a browser")
    @MethodSource("apps")
    void showsEveryOperationInABrowser(String app, int port) throws Exception {
        String page = renderedPage("http://localhost:" + port + "/api-docs");

        List<JsonNode> operations = operations(source(app));
        assertThat(operations).as("operations of routes/%s/openapi.yaml", app).isNotEmpty();
        for (JsonNode operation : operations) {
            assertThat(page)
                    .as("Swagger UI shows %s", operation.path("operationId").asText())
                    .contains(
                            "id=\"operations-" + operation.path("tags").path(0).asText() + "-"
                                    + operation.path("operationId").asText() + "\"");
        }
    }

    /** The page as headless Chromium leaves it once its scripts ran (they fetch and render the document). */
    static String renderedPage(String url) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            String why = CHROMIUM + " is not installed (Debian package chromium; .ci/run installs it)";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        Path profile = Files.createTempDirectory("chromium");
        Path page = Files.createTempFile("api-docs", ".html");
        // the page to a file, so that a hung Chromium fails the wait below instead of blocking a read forever
        Process chromium = new ProcessBuilder(
                        CHROMIUM.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--virtual-time-budget=15000",
                        "--dump-dom",
                        url)
                .redirectOutput(page.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            assertThat(chromium.waitFor(2, TimeUnit.MINUTES))
                    .as("chromium ends")
                    .isTrue();
            return Files.readString(page, StandardCharsets.UTF_8);
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
            Files.deleteIfExists(page);
        }
    }

    static JsonNode source(String app) throws IOException {
        Path root = Path.of(System.getProperty("project.root", ".."))
                .toAbsolutePath()
                .normalize();
        return new ObjectMapper(new YAMLFactory())
                .readTree(root.resolve("routes")
                        .resolve(app)
                        .resolve("openapi.yaml")
                        .toFile());
    }

    static List<JsonNode> operations(JsonNode document) {
        List<JsonNode> operations = new ArrayList<>();
        document.path("paths")
                .forEach(item -> item.forEach(operation -> {
                    if (operation.has("operationId")) {
                        operations.add(operation);
                    }
                }));
        return operations;
    }

    static List<String> operationIds(JsonNode document) {
        return operations(document).stream()
                .map(operation -> operation.path("operationId").asText())
                .sorted()
                .toList();
    }
}
