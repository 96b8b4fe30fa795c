package io.github.camelotel.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The realm {@code purchases} laid out as Keycloak lays out a realm, so that the apps' settings
 * ({@code OAUTH2_ISSUER_URI}, its token endpoint {@code <issuer>/protocol/openid-connect/token}) are the same for
 * {@code ./run-local} and for docker-compose.yml's Keycloak. Every endpoint lives under the issuer's path, which is
 * the servlet context path ({@code /realms/purchases}, application.yaml), because Spring Authorization Server with
 * one fixed issuer serves discovery at {@code /.well-known/openid-configuration} of its own root and builds each
 * advertised endpoint as issuer + endpoint path:
 * <ul>
 *   <li>{@code <issuer>/.well-known/openid-configuration}: discovery (what a resource server's issuer-uri reads)</li>
 *   <li>{@code <issuer>/protocol/openid-connect/token}: tokens; {@code …/certs}: the JWKS; {@code …/auth}:
 *       authorization (a customer logs in at {@code <issuer>/login})</li>
 * </ul>
 * Access tokens are JWTs signed RS256 with a key generated at every start (in memory only), valid
 * {@link #ACCESS_TOKEN_TTL}, with the granted scopes in {@code scope} (space-separated, as Keycloak and RFC 9068 put
 * them) and the client in {@code client_id}; a customer's token has the customer id as its subject.
 * <p>
 * No secret is in this code or the repository: they come from the environment, which the local stack fills with
 * secrets it generates at every start.
 * <ul>
 *   <li>{@code AUTH_PORT}: the port (8180);</li>
 *   <li>{@code AUTH_ISSUER_URI}: the issuer, {@code http://localhost:<port>/realms/purchases} by default; its path
 *       must be the context path;</li>
 *   <li>{@code AUTH_CLIENT_SECRETS}: the secret of every client of {@link #CLIENTS}, as
 *       {@code <client id>=<secret>,<client id>=<secret>…} (so the secrets must not hold a comma or an equals sign:
 *       the stack's are base64url);</li>
 *   <li>{@code AUTH_DEMO_PASSWORD}: the password of every demo customer ({@link #CUSTOMERS});</li>
 *   <li>{@code AUTH_SWAGGER_UI_PORTS}: the apps' ports, comma-separated: each app's Swagger UI
 *       ({@code http://localhost:<port>/api-docs/oauth2-redirect.html}) may log a customer in.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfig {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServerConfig.class);

    /** Each confidential client (client-credentials grant) and the only scopes it may be granted. */
    static final Map<String, List<String>> CLIENTS = Map.of(
            "executor", List.of("purchases:write"),
            "app1-api", List.of("orders:write"),
            "app2-consumer", List.of("orders:write"),
            "operator", List.of("purchases:write", "load:run", "orders:read-all", "ops:admin"),
            "prometheus", List.of("metrics:read")); // scrapes the apps' /actuator/prometheus

    /** The public client customers log in through: the apps' Swagger UI, or a loopback redirect (tests, CLIs). */
    static final String CUSTOMER_CLIENT = "shop-web";

    static final String CUSTOMER_SCOPE = "orders:read";
    static final String LOOPBACK_REDIRECT = "http://127.0.0.1/callback";
    /** By customer id, which is the username and so the token's subject: Ada Lovelace, Grace Hopper, Alan Turing, Edsger Dijkstra. */
    static final List<String> CUSTOMERS = List.of("C-1001", "C-1002", "C-1003", "C-1004");

    static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(5);
    private static final String PROTOCOL = "/protocol/openid-connect";
    /**
     * Secrets and the demo password are compared in plain text: they sit in this process's environment anyway, so a
     * hash in memory protects nothing, and it would cost a bcrypt round per token request.
     */
    private static final String PLAIN = "{noop}";

    /** The protocol endpoints; a browser that is not logged in is sent to the login form. */
    @Bean
    @Order(1)
    SecurityFilterChain protocolEndpoints(HttpSecurity http) throws Exception {
        OAuth2AuthorizationServerConfigurer server = OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, endpoints -> endpoints.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .cors(Customizer.withDefaults()) // Swagger UI exchanges the code from the app's page
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"),
                        new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    /**
     * Everything else: Spring Security's login form, where the demo customers log in; and the CORS preflight of the
     * token endpoint (an OPTIONS request, which the protocol chain's POST-only matcher leaves to this one).
     */
    @Bean
    @Order(2)
    SecurityFilterChain loginForm(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .cors(Customizer.withDefaults())
                .build();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(
            @Value("${auth.issuer-uri}") String issuer, @Value("${server.servlet.context-path}") String contextPath) {
        if (!URI.create(issuer).getPath().equals(contextPath)) {
            throw new IllegalStateException("AUTH_ISSUER_URI must have the path " + contextPath + ", not " + issuer);
        }
        LOG.info(
                "issuer {}, clients {} and {}, customers {}",
                issuer,
                new TreeSet<>(CLIENTS.keySet()),
                CUSTOMER_CLIENT,
                CUSTOMERS);
        return AuthorizationServerSettings.builder()
                .issuer(issuer)
                .authorizationEndpoint(PROTOCOL + "/auth")
                .tokenEndpoint(PROTOCOL + "/token")
                .jwkSetEndpoint(PROTOCOL + "/certs")
                .tokenIntrospectionEndpoint(PROTOCOL + "/token/introspect")
                .tokenRevocationEndpoint(PROTOCOL + "/revoke")
                .oidcUserInfoEndpoint(PROTOCOL + "/userinfo")
                .oidcLogoutEndpoint(PROTOCOL + "/logout")
                .build();
    }

    @Bean
    RegisteredClientRepository registeredClients(
            @Value("${auth.client-secrets}") String secrets, @Value("${auth.swagger-ui-ports}") String appPorts) {
        TokenSettings tokens =
                TokenSettings.builder().accessTokenTimeToLive(ACCESS_TOKEN_TTL).build();
        Map<String, String> secretOf = secrets(secrets);
        List<RegisteredClient> clients = new ArrayList<>();
        CLIENTS.forEach((id, scopes) -> clients.add(RegisteredClient.withId(id)
                .clientId(id)
                .clientSecret(PLAIN + secretOf.get(id))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(granted -> granted.addAll(scopes))
                .tokenSettings(tokens)
                .build()));
        clients.add(RegisteredClient.withId(CUSTOMER_CLIENT)
                .clientId(CUSTOMER_CLIENT)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE) // a browser keeps no secret: PKCE instead
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUris(uris -> {
                    ports(appPorts).forEach(port -> uris.add(swaggerUi(port) + "/api-docs/oauth2-redirect.html"));
                    uris.add(LOOPBACK_REDIRECT); // any port, as RFC 8252 wants for loopback redirects
                })
                .scope(CUSTOMER_SCOPE)
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(true) // S256: the only method Spring Authorization Server accepts
                        .requireAuthorizationConsent(false)
                        .build())
                .tokenSettings(tokens)
                .build());
        return new InMemoryRegisteredClientRepository(clients);
    }

    @Bean
    UserDetailsService customers(@Value("${auth.demo-password}") String password) {
        if (password.isBlank()) {
            throw new IllegalStateException("AUTH_DEMO_PASSWORD is not set: the demo customers' password");
        }
        return new InMemoryUserDetailsManager(CUSTOMERS.stream()
                .map(id -> User.withUsername(id)
                        .password(PLAIN + password)
                        .roles("CUSTOMER")
                        .build())
                .toList());
    }

    /** A new RSA key at every start: tokens of an earlier run stop verifying, which is what a restart should do. */
    @Bean
    JWKSource<SecurityContext> signingKey() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey(pair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    /** Access tokens name their client ({@code client_id}) and carry {@code scope} as one space-separated string. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> accessTokenClaims() {
        return context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                context.getClaims()
                        .claim("client_id", context.getRegisteredClient().getClientId());
                context.getClaims().claims(claims -> {
                    if (claims.get("scope") instanceof Collection<?> scopes) {
                        claims.put(
                                "scope",
                                String.join(
                                        " ",
                                        new TreeSet<>(scopes.stream()
                                                .map(String::valueOf)
                                                .toList())));
                    }
                });
            }
        };
    }

    /** The apps' Swagger UI pages may call the token endpoint; by this name, Spring Security's cors() finds it. */
    @Bean
    CorsConfigurationSource corsConfigurationSource(@Value("${auth.swagger-ui-ports}") String appPorts) {
        CorsConfiguration cors = new CorsConfiguration();
        ports(appPorts).forEach(port -> cors.addAllowedOrigin(swaggerUi(port)));
        cors.setAllowedMethods(List.of("GET", "POST"));
        cors.addAllowedHeader("*");
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    /** AUTH_CLIENT_SECRETS as a map; fails naming the client (never the secret) when one is missing or unknown. */
    static Map<String, String> secrets(String spec) {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String id = (equals < 0 ? entry : entry.substring(0, equals)).trim();
            if (equals < 0
                    || !CLIENTS.containsKey(id)
                    || entry.substring(equals + 1).isBlank()) {
                throw new IllegalStateException("AUTH_CLIENT_SECRETS: '" + id
                        + "' is not <client id>=<secret> with one of the clients " + new TreeSet<>(CLIENTS.keySet()));
            }
            secrets.put(id, entry.substring(equals + 1).trim());
        }
        List<String> missing =
                CLIENTS.keySet().stream().filter(id -> !secrets.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("AUTH_CLIENT_SECRETS has no secret for " + missing);
        }
        return secrets;
    }

    private static List<Integer> ports(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(port -> !port.isEmpty())
                .map(Integer::valueOf)
                .toList();
    }

    private static String swaggerUi(int port) {
        return "http://localhost:" + port;
    }
}
