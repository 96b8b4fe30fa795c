package io.github.camelotel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image each app's verify phase builds with Jib to {@code <app>/target/jib-image.tar} (on an empty base, as no
 * registry is reachable): its configuration and layers, read from the tarball (Docker's image archive format).
 */
class ImageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"executor", "app1-api", "app2-consumer", "app3-api", "app4-worker"})
    void imageRunsTheAppAsNonRootWithTheLocalStacksJvmOptionsOnItsPort(String app) throws IOException {
        Path tarball = Project.ROOT.resolve(app).resolve("target/jib-image.tar");
        assertThat(tarball).as("built by jib:buildTar in ./mvnw verify").isRegularFile();
        Map<String, byte[]> files = untar(Files.newInputStream(tarball), false);
        JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
        assertThat(manifest.get("RepoTags").get(0).asText()).isEqualTo(Project.image(app));
        JsonNode config =
                JSON.readTree(files.get(manifest.get("Config").asText())).get("config");

        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        List<String> expected = new ArrayList<>(List.of("java"));
        expected.addAll(Project.appJvmOptions());
        expected.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-cp", "@/app/jib-classpath-file"));
        assertThat(entrypoint.subList(0, expected.size()))
                .as("the JVM options the benchmark measured")
                .isEqualTo(expected);
        assertThat(entrypoint.get(entrypoint.size() - 1))
                .startsWith("io.github.camelotel.")
                .endsWith("Application");

        String user = config.get("User").asText();
        assertThat(user).matches("[1-9][0-9]*:[1-9][0-9]*");
        assertThat(config.get("ExposedPorts").fieldNames())
                .toIterable()
                .containsExactly(Project.APPS.get(app) + "/tcp");
        List<String> env = new ArrayList<>();
        config.get("Env").forEach(e -> env.add(e.asText()));
        assertThat(env).containsExactly("OTEL_SERVICE_NAME=" + app);
        assertThat(config.get("Labels")
                        .get("io.github.camelotel.health.readiness")
                        .asText())
                .isEqualTo("/actuator/health/readiness");
        assertThat(config.get("Labels")
                        .get("io.github.camelotel.health.liveness")
                        .asText())
                .isEqualTo("/actuator/health/liveness");

        // layers from the least to the most often changed: libraries, platform, resources (with the routes), classes
        Map<String, List<String>> layers = new LinkedHashMap<>();
        JsonNode history =
                JSON.readTree(files.get(manifest.get("Config").asText())).get("history");
        for (int i = 0; i < manifest.get("Layers").size(); i++) {
            byte[] layer = files.get(manifest.get("Layers").get(i).asText());
            layers.put(
                    history.get(i).get("comment").asText(),
                    List.copyOf(untar(new GZIPInputStream(new java.io.ByteArrayInputStream(layer)), true)
                            .keySet()));
        }
        assertThat(layers.keySet())
                .containsExactly("dependencies", "project dependencies", "resources", "classes", "jvm arg files");
        assertThat(layers.get("project dependencies")).contains("app/libs/platform.jar");
        assertThat(layers.get("dependencies")).anyMatch(f -> f.matches("app/libs/camel-core-engine-.*\\.jar"));
        for (String route : Project.routeFiles(app)) {
            assertThat(layers.get("resources")).contains("app/resources/routes/" + app + "/" + route);
        }
        System.out.printf(
                "image %s: user %s, port %s, env %s, entrypoint %s, layers %s%n",
                Project.image(app),
                user,
                Project.APPS.get(app),
                env,
                String.join(" ", entrypoint),
                layers.entrySet().stream()
                        .map(e -> e.getKey() + "="
                                + e.getValue().stream()
                                        .filter(f -> !f.endsWith("/"))
                                        .count() + " files")
                        .toList());
    }

    /** The regular files of a tar stream by name (their content only when {@code namesOnly} is false). */
    static Map<String, byte[]> untar(InputStream in, boolean namesOnly) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (in) {
            String longName = null;
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                long size = Long.parseLong(
                        field(header, 124, 12).trim().isEmpty()
                                ? "0"
                                : field(header, 124, 12).trim(),
                        8);
                char type = (char) header[156];
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (type == 'x') { // PAX extended header: may carry the path
                    for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
                        int eq = record.indexOf(" path=");
                        if (eq > 0) {
                            longName = record.substring(eq + 6);
                        }
                    }
                    continue;
                }
                String path = longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                longName = null;
                files.put(path, namesOnly ? new byte[0] : data);
            }
        }
        return files;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
