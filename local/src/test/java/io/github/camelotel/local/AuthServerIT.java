package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's authorization server as the apps and a user meet it: its real jar as a process of the stack, Keycloak's
 * URL layout (discovery, token, JWKS under the issuer), client-credentials tokens with their scope and client id, a
 * customer's token through the login form, signatures the published key verifies, and no secret left behind.
 */
class AuthServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path home;

    static AuthServer auth;

    @BeforeAll
    static void start() throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".."));
        auth = AuthServer.start(root, Ports.freePort(), List.of(8081, 8083), home.resolve("logs"));
        auth.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (auth != null) {
            auth.close();
            assertThat(auth.operatorSecretFile()).as("deleted with the server").doesNotExist();
        }
    }

    @Test
    void discoveryNamesTheIssuerAndItsEndpointsAsKeycloakDoes() throws Exception {
        JsonNode discovery = get(auth.issuerUri() + "/.well-known/openid-configuration");
        assertThat(auth.issuerUri()).matches("http://localhost:\\d+/realms/purchases");
        assertThat(discovery.get("issuer").asText()).isEqualTo(auth.issuerUri());
        assertThat(discovery.get("token_endpoint").asText())
                .isEqualTo(auth.tokenEndpoint())
                .isEqualTo(auth.issuerUri() + "/protocol/openid-connect/token");
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(auth.issuerUri() + "/protocol/openid-connect/certs");
        assertThat(discovery.get("authorization_endpoint").asText())
                .isEqualTo(auth.issuerUri() + "/protocol/openid-connect/auth");
    }

    @Test
    void aClientsTokenCarriesItsScopeAndClientIdAndIsCached() throws Exception {
        String token = auth.tokens().clientToken("operator", "purchases:write ops:admin");
        Map<String, Object> claims = StackTokens.claims(token);
        assertThat(claims)
                .containsEntry("iss", auth.issuerUri())
                .containsEntry("sub", "operator")
                .containsEntry("client_id", "operator")
                .containsEntry("scope", "ops:admin purchases:write");
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue())
                .as("five minutes")
                .isEqualTo(300);
        assertThat(auth.tokens().clientToken("operator", "purchases:write ops:admin"))
                .as("cached")
                .isEqualTo(token);
        assertThat(StackTokens.claims(auth.tokens().clientToken("app2-consumer", "orders:write")))
                .containsEntry("client_id", "app2-consumer")
                .containsEntry("scope", "orders:write");
        assertThat(StackTokens.claims(auth.tokens().clientToken("prometheus", "metrics:read")))
                .containsEntry("scope", "metrics:read");
        assertThat(verifies(token)).as("signed with the published key").isTrue();
    }

    @Test
    void aWrongSecretIsUnauthorizedAndAScopeNotGrantedIsRefused() {
        StackTokens wrong = new StackTokens(auth.issuerUri(), Map.of("executor", "not-the-secret"), "");
        assertThatThrownBy(() -> wrong.clientToken("executor", "purchases:write"))
                .isInstanceOfSatisfying(
                        StackTokens.TokenRequestFailed.class,
                        failed -> assertThat(failed.status()).isEqualTo(401))
                .hasMessageNotContaining("not-the-secret");
        assertThatThrownBy(() -> auth.tokens().clientToken("executor", "orders:write"))
                .isInstanceOfSatisfying(
                        StackTokens.TokenRequestFailed.class,
                        failed -> assertThat(failed.status()).isEqualTo(400))
                .hasMessageContaining("invalid_scope");
    }

    @Test
    void aCustomerLogsInWithTheFormAndGetsATokenOfTheirOwn() throws Exception {
        String token = auth.tokens().customerToken("C-1001");
        assertThat(StackTokens.claims(token))
                .containsEntry("sub", "C-1001")
                .containsEntry("scope", "orders:read")
                .containsEntry("client_id", "shop-web")
                .containsEntry("iss", auth.issuerUri());
        assertThat(verifies(token)).isTrue();
        assertThatThrownBy(() -> auth.tokens().customerToken("C-1002", "a wrong password"))
                .isInstanceOf(StackTokens.TokenRequestFailed.class)
                .hasMessageContaining("C-1002 could not log in");
    }

    @Test
    void anAppsSwaggerUiMayCallTheTokenEndpointAndNoOtherPage() throws Exception {
        assertThat(preflight("http://localhost:8083").headers().firstValue("Access-Control-Allow-Origin"))
                .contains("http://localhost:8083");
        assertThat(preflight("http://elsewhere.example").statusCode()).isEqualTo(403);
    }

    private static HttpResponse<Void> preflight(String origin) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(auth.tokenEndpoint()))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", "POST")
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void theSecretsAreInFilesOnlyThisUserReads() throws Exception {
        for (Path file : List.of(auth.operatorSecretFile(), auth.customerPasswordFile())) {
            assertThat(file.getParent()).isEqualTo(home);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(auth.operatorSecretFile())).isEqualTo(auth.secret("operator"));
        assertThat(Files.readString(auth.customerPasswordFile())).isEqualTo(auth.customerPassword());
        assertThat(Files.readString(auth.log())).doesNotContain(auth.secret("operator"), auth.customerPassword());
    }

    /** Whether the JWT's RS256 signature verifies with the key of the JWKS that has its key id. */
    static boolean verifies(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        JsonNode key = null;
        for (JsonNode each : get(auth.jwksUri()).get("keys")) {
            if (each.get("kid").asText().equals(header.get("kid").asText())) {
                key = each;
            }
        }
        assertThat(key).as("the token's key in the JWKS").isNotNull();
        PublicKey publicKey = KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(unsigned(key.get("n")), unsigned(key.get("e"))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    private static BigInteger unsigned(JsonNode base64url) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(base64url.asText()));
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
