package io.github.camelotel.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The contracts kept beside the routes ({@code routes/<app>/openapi.yaml}, sharing files of {@code routes/common}
 * by relative {@code $ref}), read from where the routes load: the folder {@code routes.dir} when it is set and
 * holds the file, else the classpath. {@link #bundle} answers one self-contained document: every reference to
 * another file is replaced by that file's content (or the part its {@code #/pointer} names), so Camel, the served
 * {@code /openapi.json} and a browser need nothing but the one document.
 */
public final class Contracts {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path routesDir;

    /** @param routesDir the routes folder on disk, or null to read the classpath only */
    public Contracts(Path routesDir) {
        this.routesDir = routesDir;
    }

    /** The document at {@code path} (relative to the routes folder, e.g. {@code app1-api/openapi.yaml}) with every file reference inlined. */
    public ObjectNode bundle(String path) {
        if (!(inline(read(path), parent(path)) instanceof ObjectNode document)) {
            throw new IllegalArgumentException(path + " is not a document");
        }
        return document;
    }

    /** The names of the header and query parameters the document's operations declare. */
    public Set<String> headerAndQueryParameters(String path) {
        Set<String> names = new TreeSet<>();
        ObjectNode document = bundle(path);
        for (JsonNode item : document.path("paths")) {
            List<JsonNode> lists = new ArrayList<>(List.of(item.path("parameters")));
            item.forEach(operation -> lists.add(operation.path("parameters")));
            for (JsonNode list : lists) {
                for (JsonNode declared : list) {
                    JsonNode ref = declared.path("$ref");
                    JsonNode parameter =
                            ref.isTextual() ? document.at(ref.asText().substring(1)) : declared;
                    if (Set.of("header", "query").contains(parameter.path("in").asText())) {
                        names.add(parameter.path("name").asText());
                    }
                }
            }
        }
        return names;
    }

    /** Whether the routes hold a document at {@code path}. */
    public boolean exists(String path) {
        return onDisk(path) != null || getClass().getClassLoader().getResource("routes/" + path) != null;
    }

    private JsonNode inline(JsonNode node, String folder) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && !ref.asText().startsWith("#")) {
            String[] target = ref.asText().split("#", 2);
            String file = URI.create(folder + target[0]).normalize().toString();
            JsonNode part = read(file);
            if (target.length > 1) {
                part = part.at(target[1]);
                if (part.isMissingNode()) {
                    throw new IllegalArgumentException(folder + ": $ref " + ref.asText() + " names nothing");
                }
            }
            return inline(part, parent(file));
        }
        JsonNode copy = node.deepCopy();
        if (copy instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                object.set(field.getKey(), inline(field.getValue(), folder));
            }
        } else if (copy instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, inline(node.get(i), folder));
            }
        }
        return copy;
    }

    private JsonNode read(String path) {
        if (path.startsWith("../")) {
            throw new IllegalArgumentException("$ref outside the routes folder: " + path);
        }
        try {
            Path file = onDisk(path);
            if (file != null) {
                return YAML.readTree(file.toFile());
            }
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("routes/" + path)) {
                if (in == null) {
                    throw new IllegalArgumentException("no routes/" + path + " on disk or on the classpath");
                }
                return YAML.readTree(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read routes/" + path, e);
        }
    }

    private Path onDisk(String path) {
        if (routesDir == null) {
            return null;
        }
        Path file = routesDir.resolve(path).normalize();
        return Files.isRegularFile(file) ? file : null;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }
}
