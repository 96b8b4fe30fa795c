package io.github.camelotel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Who may do what (issue 26), as the manifests must grant it: the Kafka ACLs of each app, the identity provider's
 * clients and scopes, and what counts as a secret.
 */
final class Security {

    /** Each app's Kafka rights: "topic|group name: operation". The routes must agree (aclsFromRoutes). */
    static final Map<String, Set<String>> KAFKA_ACLS = new LinkedHashMap<>();

    static {
        KAFKA_ACLS.put(
                "executor",
                Set.of(
                        "topic PurchaseCompleted: Read",
                        "topic PurchaseCompleted: Describe",
                        "group executor: Read",
                        "topic PurchaseCompleted.DLT: Write",
                        "topic PurchaseCompleted.DLT: Describe"));
        KAFKA_ACLS.put("app1-api", Set.of("topic Purchase: Write", "topic Purchase: Describe"));
        KAFKA_ACLS.put(
                "app2-consumer",
                Set.of(
                        "topic Purchase: Read",
                        "topic Purchase: Describe",
                        "group app2-consumer: Read",
                        "topic Purchase.DLT: Write",
                        "topic Purchase.DLT: Describe"));
        KAFKA_ACLS.put("app3-api", Set.of("topic Purchase2: Write", "topic Purchase2: Describe"));
        KAFKA_ACLS.put(
                "app4-worker",
                Set.of(
                        "topic Purchase2: Read",
                        "topic Purchase2: Describe",
                        "group app4-worker: Read",
                        "topic PurchaseCompleted: Write",
                        "topic PurchaseCompleted: Describe",
                        "topic Purchase2.DLT: Write",
                        "topic Purchase2.DLT: Describe"));
    }

    /** The apps that call another app, so get tokens of their own (client credentials) and need a client secret. */
    static final Set<String> CALLING_APPS = Set.of("executor", "app1-api", "app2-consumer");

    /** The realm's clients and the scopes their tokens carry (besides basic, which only adds sub). */
    static final Map<String, Set<String>> CLIENT_SCOPES = Map.of(
            "executor", Set.of("purchases:write"),
            "app1-api", Set.of("orders:write"),
            "app2-consumer", Set.of("orders:write"),
            "operator", Set.of("purchases:write", "load:run", "orders:read-all", "ops:admin"),
            "prometheus", Set.of("metrics:read"),
            "shop-web", Set.of("orders:read"),
            "shop-cli", Set.of("orders:read"));

    /** The demo customers: user id (the token's sub) = customer id. */
    static final Map<String, String> CUSTOMERS = Map.of(
            "C-1001", "ada.lovelace@example.com",
            "C-1002", "grace.hopper@example.com",
            "C-1003", "alan.turing@example.com",
            "C-1004", "edsger.dijkstra@example.com");

    static final String ISSUER_IN_CLUSTER = "http://keycloak:8080/realms/purchases";
    static final String ISSUER_ON_HOST = "http://localhost:8180/realms/purchases";

    /** Names of settings whose value would be a credential. */
    static final Pattern SECRETISH =
            Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|JAAS|ACCESS_?KEY|CREDENTIAL|PASSWD|PRIVATE).*");

    /**
     * The only credentials written in the repository: PostgreSQL's and MinIO's throw-away local ones, which are the
     * apps' own built-in defaults (README "Configuration"), so a file that repeats them discloses nothing.
     */
    static final Set<String> LOCAL_DEFAULTS = Set.of("POSTGRES_PASSWORD", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY");

    /** The identity provider's admin password: not in the realm, but a secret of compose and Kubernetes. */
    static final String ADMIN_PASSWORD = "KEYCLOAK_ADMIN_PASSWORD";

    static final Path REALM = Project.ROOT.resolve("infra/keycloak/purchases-realm.json");

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)}$");
    private static final Pattern KAFKA_ENDPOINT = Pattern.compile("kafka:([A-Za-z0-9._-]+)");
    private static final Pattern CONSUMER = Pattern.compile("from:\\s*\\n\\s*uri:\\s*\"?kafka:([A-Za-z0-9._-]+)");
    private static final Pattern PRODUCER = Pattern.compile("to:\\s*\"?kafka:([A-Za-z0-9._-]+)");

    private Security() {}

    /**
     * Each app's Kafka rights as its routes need them: a consumer reads its topic in its group (the platform's
     * group id is the app's name) and, through the consumer-errors route configuration, writes the topic's dead
     * letters to {@code <topic>.DLT}; a producer writes its topic. Every kafka: endpoint of a route is one of the
     * two, or this fails.
     */
    static Map<String, Set<String>> aclsFromRoutes() {
        Map<String, Set<String>> acls = new LinkedHashMap<>();
        for (String app : Project.APPS.keySet()) {
            Set<String> rights = new TreeSet<>();
            for (Path file : routeFiles(app)) {
                String text = Project.read(file);
                int endpoints = count(KAFKA_ENDPOINT.matcher(text));
                int classified = 0;
                Matcher consumer = CONSUMER.matcher(text);
                while (consumer.find()) {
                    classified++;
                    String topic = consumer.group(1);
                    if (!text.contains("routeConfigurationId: consumer-errors")) {
                        throw new AssertionError(file + ": a Kafka consumer without the consumer-errors policy");
                    }
                    rights.addAll(List.of(
                            "topic " + topic + ": Read",
                            "topic " + topic + ": Describe",
                            "group " + app + ": Read",
                            "topic " + topic + ".DLT: Write",
                            "topic " + topic + ".DLT: Describe"));
                }
                Matcher producer = PRODUCER.matcher(text);
                while (producer.find()) {
                    classified++;
                    rights.addAll(List.of(
                            "topic " + producer.group(1) + ": Write", "topic " + producer.group(1) + ": Describe"));
                }
                if (classified != endpoints) {
                    throw new AssertionError(file + ": " + endpoints + " kafka: endpoints, " + classified
                            + " of them understood as a consumer or a producer");
                }
            }
            acls.put(app, rights);
        }
        return acls;
    }

    /** The dead-letter topic is {@code <topic>.DLT}: routes/common's policy, and the platform's bean it uses. */
    static boolean deadLettersGoToTopicDotDlt() {
        String policy = Project.read(Project.ROOT.resolve("routes/common/consumer-errors.camel.yaml"));
        String bean = Project.read(
                Project.ROOT.resolve("platform/src/main/java/io/github/camelotel/platform/kafka/DeadLetters.java"));
        return policy.contains("onPrepareFailureRef: deadLetters") && bean.contains("SUFFIX = \".DLT\"");
    }

    static JsonNode realm() {
        try {
            return new ObjectMapper().readTree(REALM.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variable of a ${NAME} placeholder, or null when the value is anything else. */
    static String placeholder(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        return m.matches() ? m.group(1) : null;
    }

    /** Every ${NAME} the realm file reads from Keycloak's environment. */
    static Set<String> realmPlaceholders() {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(Project.read(REALM));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** NAME=value lines of .env. */
    static Map<String, String> dotEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Project.read(Project.ROOT.resolve(".env")).split("\n")) {
            Matcher m = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$").matcher(line);
            if (m.matches()) {
                env.put(m.group(1), m.group(2));
            }
        }
        return env;
    }

    private static List<Path> routeFiles(String app) {
        try (Stream<Path> files = Files.list(Project.ROOT.resolve("routes").resolve(app))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
