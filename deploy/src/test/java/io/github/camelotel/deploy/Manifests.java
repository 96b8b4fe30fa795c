package io.github.camelotel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The manifests of a kustomization as YAML documents: rendered by {@code kubectl kustomize} where kubectl is on the
 * PATH, else read from the plain files the kustomization lists, with its ConfigMap generators applied (no name
 * suffix, no patches: enough for k8s/base, which has neither beyond the generators).
 */
final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();

    private Manifests() {}

    /** Whether kubectl is on the PATH ({@code -Ddeploy.files=true}: as if it were not, to try the other way). */
    static boolean kubectlPresent() {
        if (Boolean.getBoolean("deploy.files")) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Each document of the rendered kustomization in {@code dir}, as YAML text. */
    static List<String> render(Path dir, boolean kubectl) throws Exception {
        if (kubectl) {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + dir + " failed");
            }
            return split(out);
        }
        List<String> docs = new ArrayList<>();
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            docs.addAll(Files.isDirectory(path) ? render(path, false) : split(Files.readString(path)));
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            Map<String, Object> data = new LinkedHashMap<>();
            for (JsonNode file : generator.path("files")) {
                Path path = dir.resolve(file.asText());
                data.put(path.getFileName().toString(), Files.readString(path));
            }
            docs.add(YAML.writeValueAsString(Map.of(
                    "apiVersion",
                    "v1",
                    "kind",
                    "ConfigMap",
                    "metadata",
                    Map.of("name", generator.get("name").asText()),
                    "data",
                    data)));
        }
        return docs;
    }

    private static List<String> split(String yaml) {
        List<String> docs = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (!doc.replaceAll("(?m)^\\s*#.*$", "").isBlank()) {
                docs.add(doc);
            }
        }
        return docs;
    }
}
