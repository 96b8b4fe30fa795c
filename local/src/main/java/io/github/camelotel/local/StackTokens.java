package io.github.camelotel.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Access tokens from the stack's {@link AuthServer}, for tests and the benchmark, obtained the way real clients do:
 * <ul>
 *   <li>{@link #clientToken(String, String)}: a client's, with the client-credentials grant (client_secret_basic),
 *       cached until {@link #REFRESH_MARGIN} before it expires, as the apps' OAuth2 client does;</li>
 *   <li>{@link #customerToken(String)}: a demo customer's, through the authorization-code flow with PKCE as a browser
 *       runs it (authorization request, login form with its CSRF token, redirects to the loopback redirect URI, code
 *       exchange); never cached, each call is one login.</li>
 * </ul>
 * A token is a bearer credential: callers put it in an {@code Authorization} header and never in a log line.
 */
public final class StackTokens {

    /** How long before its expiry a cached token is replaced: longer than any request that carries it takes. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]*)\"");
    private static final int MAX_HOPS = 10;

    private final String issuerUri;
    private final Map<String, String> secrets;
    private final String customerPassword;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final Map<String, Cached> cache = new HashMap<>();

    /**
     * @param secrets each client's secret, by client id
     * @param customerPassword the demo customers' password
     */
    public StackTokens(String issuerUri, Map<String, String> secrets, String customerPassword) {
        this.issuerUri = issuerUri;
        this.secrets = Map.copyOf(secrets);
        this.customerPassword = customerPassword;
    }

    /**
     * A client's access token for {@code scope} (space-separated scopes), from the cache while it is valid.
     *
     * @throws TokenRequestFailed when the server refuses (e.g. 401 for a wrong secret, 400 for a scope not granted)
     */
    public synchronized String clientToken(String clientId, String scope) throws IOException, InterruptedException {
        String key = clientId + " " + scope;
        Cached cached = cache.get(key);
        if (cached == null || !Instant.now().isBefore(cached.refreshAt())) {
            String secret = secrets.get(clientId);
            if (secret == null) {
                throw new IllegalArgumentException("no secret for client " + clientId);
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(issuerUri + AuthServer.TOKEN_PATH))
                    .header("Authorization", "Basic " + basic(clientId, secret))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(10))
                    .POST(form(Map.of("grant_type", "client_credentials", "scope", scope)))
                    .build();
            Map<String, Object> answer = tokenAnswer(http.send(request, HttpResponse.BodyHandlers.ofString()));
            Duration lifetime = Duration.ofSeconds(((Number) answer.get("expires_in")).longValue());
            Instant refreshAt = Instant.now().plus(lifetime.minus(REFRESH_MARGIN));
            cached = new Cached((String) answer.get("access_token"), refreshAt);
            cache.put(key, cached);
        }
        return cached.token();
    }

    /** A demo customer's access token (scope {@link AuthServer#CUSTOMER_SCOPE}, subject the customer id). */
    public String customerToken(String customerId) throws IOException, InterruptedException {
        return customerToken(customerId, customerPassword);
    }

    /**
     * A customer's access token through the authorization-code flow with PKCE (S256), logging in with
     * {@code password} on the server's login form, as client {@link AuthServer#CUSTOMER_CLIENT}.
     *
     * @throws TokenRequestFailed when the login or the code exchange fails
     */
    public String customerToken(String customerId, String password) throws IOException, InterruptedException {
        // a browser of its own: the login session lives in its cookies only
        HttpClient browser = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager())
                .build();
        String verifier = AuthServer.newSecret();
        String state = AuthServer.newSecret();
        Map<String, String> authorization = new LinkedHashMap<>();
        authorization.put("response_type", "code");
        authorization.put("client_id", AuthServer.CUSTOMER_CLIENT);
        authorization.put("scope", AuthServer.CUSTOMER_SCOPE);
        authorization.put("redirect_uri", AuthServer.LOOPBACK_REDIRECT);
        authorization.put("code_challenge", challenge(verifier));
        authorization.put("code_challenge_method", "S256");
        authorization.put("state", state);
        URI next = URI.create(issuerUri + AuthServer.AUTHORIZATION_PATH + "?" + encoded(authorization));
        HttpRequest request = page(next).GET().build();
        boolean loggedIn = false;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            HttpResponse<String> response = browser.send(request, HttpResponse.BodyHandlers.ofString());
            String location = response.headers().firstValue("Location").orElse(null);
            if (response.statusCode() / 100 == 3 && location != null) {
                URI target = request.uri().resolve(location);
                if (target.toString().startsWith(AuthServer.LOOPBACK_REDIRECT)) {
                    return exchange(target, state, verifier);
                }
                request = page(target).GET().build();
                continue;
            }
            Matcher csrf = CSRF.matcher(response.body());
            if (response.statusCode() != 200 || !csrf.find() || loggedIn) {
                throw new TokenRequestFailed(
                        response.statusCode(),
                        "customer " + customerId + (loggedIn ? " could not log in" : ": no login form") + " at "
                                + request.uri().getPath());
            }
            loggedIn = true;
            // the login page posts to its own address
            request = page(request.uri())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(form(Map.of("username", customerId, "password", password, "_csrf", csrf.group(1))))
                    .build();
        }
        throw new TokenRequestFailed(0, "customer " + customerId + ": more than " + MAX_HOPS + " redirects");
    }

    private String exchange(URI redirect, String state, String verifier) throws IOException, InterruptedException {
        Map<String, String> query = decoded(redirect.getRawQuery());
        if (!state.equals(query.get("state")) || !query.containsKey("code")) {
            throw new TokenRequestFailed(
                    0,
                    "the authorization server answered without a code or with another state: "
                            + query.getOrDefault("error", "?"));
        }
        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", query.get("code"));
        exchange.put("redirect_uri", AuthServer.LOOPBACK_REDIRECT);
        exchange.put("client_id", AuthServer.CUSTOMER_CLIENT);
        exchange.put("code_verifier", verifier);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuerUri + AuthServer.TOKEN_PATH))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(10))
                .POST(form(exchange))
                .build();
        return (String) tokenAnswer(http.send(request, HttpResponse.BodyHandlers.ofString()))
                .get("access_token");
    }

    /**
     * The claims of a JWT, read without verifying its signature: for a test's assertions or a diagnosis, never to
     * trust a token.
     */
    public static Map<String, Object> claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a JWT (header.payload.signature)");
        }
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() {});
        } catch (IOException e) {
            throw new IllegalArgumentException("a JWT whose payload is no JSON object", e);
        }
    }

    private static Map<String, Object> tokenAnswer(HttpResponse<String> response) throws IOException {
        if (response.statusCode() != 200) {
            // the body is the OAuth2 error ({"error":"invalid_client"}): no secret in it
            throw new TokenRequestFailed(response.statusCode(), "token request refused: " + response.body());
        }
        return JSON.readValue(response.body(), new TypeReference<>() {});
    }

    private static HttpRequest.Builder page(URI uri) {
        // as a browser asks: the server sends a browser that is not logged in to its login form
        return HttpRequest.newBuilder(uri).header("Accept", "text/html").timeout(Duration.ofSeconds(10));
    }

    static String challenge(String verifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String basic(String clientId, String secret) {
        // RFC 6749 2.3.1: id and secret form-encoded before the Basic encoding
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(encoded(fields));
    }

    private static String encoded(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> decoded(String query) {
        Map<String, String> fields = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    fields.put(
                            pair.substring(0, equals),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return fields;
    }

    private record Cached(String token, Instant refreshAt) {}

    /** The authorization server refused: {@link #status()} is its HTTP status (0 when it answered unexpectedly). */
    public static final class TokenRequestFailed extends IllegalStateException {

        private final int status;

        TokenRequestFailed(int status, String message) {
            super(message + (status == 0 ? "" : " (HTTP " + status + ")"));
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
