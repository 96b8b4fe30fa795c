package io.github.camelotel.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the repository says about each app: its port, the variables it reads, its route files, its image name. */
final class Project {

    static final Path ROOT =
            Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    /** The five apps and their server.port default, in the order of the architecture. */
    static final Map<String, Integer> APPS = new LinkedHashMap<>();

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern PORT = Pattern.compile("server:\\s*\\n\\s*port: \\$\\{[A-Z0-9_]+:(\\d+)}");
    private static final Set<String> ALL = Set.of("executor", "app1-api", "app2-consumer", "app3-api", "app4-worker");
    /**
     * Read by property name through Spring's relaxed binding, not through a placeholder: routes.dir
     * (PlatformEnvironment), smtp.username and smtp.password (app4's application.yaml), the Kafka client's
     * camel.component.kafka.security-protocol, sasl-mechanism and sasl-jaas-config (camel-kafka-starter). And the
     * OAuth2 settings of issue 26's security model (README "Configuration"): OAUTH2_ISSUER_URI and OAUTH2_CLIENT_ID
     * in every app, OAUTH2_CLIENT_SECRET in the three that call another app. platform/ reads them; once it does so
     * through placeholders, variablesRead finds them there as well.
     */
    private static final Map<String, Set<String>> READ_BY_NAME = Map.of(
            "ROUTES_DIR",
            ALL,
            "SMTP_USERNAME",
            Set.of("app4-worker"),
            "SMTP_PASSWORD",
            Set.of("app4-worker"),
            "CAMEL_COMPONENT_KAFKA_SECURITYPROTOCOL",
            ALL,
            "CAMEL_COMPONENT_KAFKA_SASLMECHANISM",
            ALL,
            "CAMEL_COMPONENT_KAFKA_SASLJAASCONFIG",
            ALL,
            "OAUTH2_ISSUER_URI",
            ALL,
            "OAUTH2_CLIENT_ID",
            ALL,
            "OAUTH2_CLIENT_SECRET",
            Set.of("executor", "app1-api", "app2-consumer"));

    static {
        for (String app : new String[] {"executor", "app1-api", "app2-consumer", "app3-api", "app4-worker"}) {
            Matcher port = PORT.matcher(read(ROOT.resolve(app + "/src/main/resources/application.yaml")));
            if (!port.find()) {
                throw new IllegalStateException("no server.port default in " + app);
            }
            APPS.put(app, Integer.parseInt(port.group(1)));
        }
    }

    private Project() {}

    /** The environment variables an app reads: its placeholders and the platform's, plus the names read by name. */
    static Set<String> variablesRead(String app) {
        Set<String> names = new TreeSet<>();
        for (Path file : new Path[] {
            ROOT.resolve(app + "/src/main/resources/application.yaml"),
            ROOT.resolve("platform/src/main/resources/platform-defaults.properties"),
            ROOT.resolve("platform/src/main/resources/logback-spring.xml")
        }) {
            Matcher m = PLACEHOLDER.matcher(read(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        READ_BY_NAME.forEach((name, apps) -> {
            if (apps.contains(app)) {
                names.add(name);
            }
        });
        return names;
    }

    /** The files an app loads from ROUTES_DIR/{folder}: its *.camel.yaml routes and its contracts (YAML and JSON). */
    static Set<String> routeFiles(String folder) {
        try (Stream<Path> files = Files.list(ROOT.resolve("routes").resolve(folder))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") || f.endsWith(".json"))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image Jib names (parent pom: ${image.registry}/${project.artifactId}:${project.version}). */
    static String image(String app) {
        return System.getProperty("image.registry", "camel-otel-purchases") + "/" + app + ":"
                + System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    /** The apps' JVM options, written once: the root pom's app.jvm.options (the local stack reads them too). */
    static List<String> appJvmOptions() {
        Matcher options = Pattern.compile("<app\\.jvm\\.options>([^<]+)</app\\.jvm\\.options>")
                .matcher(read(ROOT.resolve("pom.xml")));
        if (!options.find()) {
            throw new IllegalStateException("app.jvm.options not in pom.xml");
        }
        return Arrays.stream(options.group(1).split(",")).map(String::trim).toList();
    }

    static String platformDefault(String key) {
        for (String line : read(ROOT.resolve("platform/src/main/resources/platform-defaults.properties"))
                .split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new IllegalStateException(key + " not in platform-defaults.properties");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
