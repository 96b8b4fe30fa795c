package io.github.camelotel.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stack's OAuth2 authorization server: the {@code auth-server} module's jar (built by the same reactor, like the
 * apps' jars) as a {@link ServerProcess} with its output in {@code <log dir>/auth-server.log}, laid out like
 * Keycloak's realm {@code purchases} (issuer {@code http://localhost:<port>/realms/purchases}).
 * <p>
 * Every start generates a new secret for each client of {@link #CLIENTS} and a new password for the demo customers
 * ({@link #CUSTOMERS}), hands them to the server in its environment, and writes the operator's secret and the
 * customers' password to {@code <home>/operator.secret} and {@code <home>/customer.password} (readable by this user
 * only, deleted at {@link #close()}), so that a user can get a token without any secret being printed.
 */
public final class AuthServer implements AutoCloseable {

    /**
     * The clients that get their tokens with the client-credentials grant: the three calling apps, a person's
     * ({@link #OPERATOR}), and Prometheus's scrape client (scope metrics:read).
     */
    public static final List<String> CLIENTS =
            List.of("executor", "app1-api", "app2-consumer", "operator", "prometheus");
    /** The apps that call other apps, each the client of its own name. */
    public static final List<App> CALLERS = List.of(App.EXECUTOR, App.APP1, App.APP2);
    /** The client for a person at the command line: every scope (see the auth-server module). */
    public static final String OPERATOR = "operator";

    public static final String OPERATOR_SCOPES = "purchases:write load:run orders:read-all ops:admin";
    /** The demo customers' ids, which are their usernames and their tokens' subject. */
    public static final List<String> CUSTOMERS = List.of("C-1001", "C-1002", "C-1003", "C-1004");
    /** The public client customers log in through (authorization code with PKCE). */
    public static final String CUSTOMER_CLIENT = "shop-web";

    public static final String CUSTOMER_SCOPE = "orders:read";
    /** The loopback redirect registered for {@link #CUSTOMER_CLIENT}, which a program can follow without a listener. */
    public static final String LOOPBACK_REDIRECT = "http://127.0.0.1/callback";

    static final String REALM_PATH = "/realms/purchases";
    static final String TOKEN_PATH = "/protocol/openid-connect/token";
    static final String AUTHORIZATION_PATH = "/protocol/openid-connect/auth";
    static final String JWKS_PATH = "/protocol/openid-connect/certs";
    static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    /**
     * After the apps' JVM options (C1 only, small thread stacks, the serial collector): a smaller heap, as it holds
     * about 16 MB live. Measured on this stack after a start and 50 token requests: about 120 MB resident with 64 MB
     * of heap and 125 MB with 96 MB, most of it classes (35 MB of metaspace) and the JVM itself, not the heap.
     */
    static final List<String> JVM_OPTIONS = List.of("-Xms16m", "-Xmx64m", "-XX:MaxMetaspaceSize=96m");

    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final Map<String, String> secrets;
    private final String customerPassword;
    private final List<Path> secretFiles;
    private final ServerProcess process;
    private final StackTokens tokens;

    private AuthServer(
            int port,
            Map<String, String> secrets,
            String customerPassword,
            List<Path> secretFiles,
            ServerProcess process) {
        this.port = port;
        this.secrets = secrets;
        this.customerPassword = customerPassword;
        this.secretFiles = secretFiles;
        this.process = process;
        this.tokens = new StackTokens(issuerUri(), secrets, customerPassword);
    }

    /**
     * Starts the server from {@code <project root>/auth-server/target/auth-server.jar} without waiting for it;
     * {@link #awaitReady()} waits.
     *
     * @param appPorts the apps' ports: their Swagger UI may log a customer in
     * @param logDir where its log goes; the secret files go to the stack's folder, its parent
     */
    public static AuthServer start(Path projectRoot, int port, Collection<Integer> appPorts, Path logDir)
            throws IOException {
        Path home = logDir.toAbsolutePath().normalize().getParent();
        Path jar = projectRoot.resolve("auth-server").resolve("target").resolve("auth-server.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with ./mvnw package -DskipTests");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        CLIENTS.forEach(client -> secrets.put(client, newSecret()));
        String customerPassword = newSecret();
        List<Path> files = List.of(
                Folders.writePrivate(home.resolve("operator.secret"), secrets.get(OPERATOR)),
                Folders.writePrivate(home.resolve("customer.password"), customerPassword));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AUTH_PORT", String.valueOf(port));
        env.put("AUTH_ISSUER_URI", issuerUri(port));
        env.put(
                "AUTH_CLIENT_SECRETS",
                secrets.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")));
        env.put("AUTH_DEMO_PASSWORD", customerPassword);
        env.put(
                "AUTH_SWAGGER_UI_PORTS",
                appPorts.stream().sorted().map(String::valueOf).collect(Collectors.joining(",")));
        List<String> command = new ArrayList<>(ServerProcess.javaCommand(home, jar, JVM_OPTIONS));
        ServerProcess process =
                ServerProcess.start("auth-server", command, logDir.resolve("auth-server.log"), "TERM", env);
        return new AuthServer(port, Map.copyOf(secrets), customerPassword, files, process);
    }

    /** 32 random bytes, base64url: no character the server's AUTH_CLIENT_SECRETS list or a shell word needs quoted. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Waits until the server answers its discovery document (what the apps' resource servers read first). */
    public void awaitReady() throws InterruptedException {
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuerUri() + DISCOVERY_PATH))
                .timeout(Duration.ofSeconds(5))
                .build();
        process.awaitReady(
                START_TIMEOUT,
                () -> HTTP.send(discovery, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    static String issuerUri(int port) {
        return "http://localhost:" + port + REALM_PATH;
    }

    /** {@code http://localhost:<port>/realms/purchases}: the apps' OAUTH2_ISSUER_URI. */
    public String issuerUri() {
        return issuerUri(port);
    }

    public String tokenEndpoint() {
        return issuerUri() + TOKEN_PATH;
    }

    public String jwksUri() {
        return issuerUri() + JWKS_PATH;
    }

    /** This run's secret of a client of {@link #CLIENTS}. */
    public String secret(String clientId) {
        String secret = secrets.get(clientId);
        if (secret == null) {
            throw new IllegalArgumentException("no client " + clientId + " (clients: " + CLIENTS + ")");
        }
        return secret;
    }

    /** This run's password of every demo customer. */
    public String customerPassword() {
        return customerPassword;
    }

    /** The file that holds the operator's secret, for a {@code curl} that reads it. */
    public Path operatorSecretFile() {
        return secretFiles.get(0);
    }

    /** The file that holds the customers' password. */
    public Path customerPasswordFile() {
        return secretFiles.get(1);
    }

    /** Tokens from this server: a client's (client credentials) or a customer's (authorization code). */
    public StackTokens tokens() {
        return tokens;
    }

    public Path log() {
        return process.log();
    }

    /** A graceful stop (SIGTERM), then a kill if the server has not stopped in time; its secret files are deleted. */
    @Override
    public void close() throws InterruptedException {
        process.stop();
        for (Path file : secretFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stale secret is useless: the next start writes new ones
            }
        }
    }
}
