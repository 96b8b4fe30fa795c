package io.github.camelotel.platform.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.http.Contracts;
import io.github.camelotel.platform.http.HttpAutoConfiguration;
import io.github.camelotel.platform.tracing.TracingAutoConfiguration;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.apache.camel.spi.RoutePolicyFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.security.oauth2.resource.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.client.RestClient;

/**
 * Who may call what, for every app that depends on the platform.
 * <ul>
 *   <li>Every HTTP request needs an OAuth2 bearer token (a JWT from {@code OAUTH2_ISSUER_URI}, checked against the
 *       issuer's keys), and each operation of the app's contract the scopes its OpenAPI document names
 *       ({@link ContractScopes}): 401 without a valid token, 403 without the scope ({@link SecurityErrors}).</li>
 *   <li>The actuator: {@code health} is open (probes), {@code prometheus} needs {@value #METRICS_SCOPE} (what
 *       Prometheus's scrape client holds), every other endpoint {@value #ADMIN_SCOPE}. The app's document and its
 *       browsable view are open: they describe, they do nothing.</li>
 *   <li>An app that calls other apps names the scope it needs ({@code platform.security.client-scope}); it then
 *       sends its own client-credentials token on every call of Camel's {@code http} component
 *       ({@link ClientCredentials}), as client {@code OAUTH2_CLIENT_ID} (its name) with {@code OAUTH2_CLIENT_SECRET}.
 *       </li>
 *   <li>Routes learn who called from bean {@code caller} ({@link Callers}).</li>
 * </ul>
 * No session and no cookie: a token is the only credential, so there is nothing for a cross-site request to ride on.
 */
@AutoConfiguration(
        after = {HttpAutoConfiguration.class, TracingAutoConfiguration.class},
        before = {
            org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration.class,
            OAuth2ResourceServerAutoConfiguration.class
        })
public class SecurityAutoConfiguration {

    /** The scope Prometheus's token holds to scrape {@code /actuator/prometheus}. */
    public static final String METRICS_SCOPE = "metrics:read";

    /** The scope of the other actuator endpoints, such as {@code /actuator/faults}. */
    public static final String ADMIN_SCOPE = "ops:admin";

    private static final Duration TOKEN_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    @Bean
    public ContractScopes contractScopes(Contracts contracts, Environment environment) {
        String contract = environment.getProperty("spring.application.name") + "/openapi.yaml";
        return contracts.exists(contract)
                ? ContractScopes.of(contracts.bundle(contract))
                : new ContractScopes(List.of());
    }

    @Bean
    public SecurityErrors securityErrors(
            OpenTelemetry openTelemetry, ContractScopes scopes, ObjectMapper objectMapper) {
        return new SecurityErrors(openTelemetry, scopes, objectMapper);
    }

    /** The issuer's keys from its discovery document, fetched at the first request; each token checked once. */
    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    public JwtDecoder jwtDecoder(Environment environment) {
        String issuer = environment.getRequiredProperty("platform.security.issuer-uri");
        return new VerifiedTokens(
                new SupplierJwtDecoder(() -> JwtDecoders.fromIssuerLocation(issuer)), Clock.systemUTC());
    }

    @Bean
    public SecurityFilterChain platformSecurity(HttpSecurity http, ContractScopes scopes, SecurityErrors errors)
            throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(EndpointRequest.to(HealthEndpoint.class))
                        .permitAll()
                        .requestMatchers(EndpointRequest.to("prometheus"))
                        .hasAuthority("SCOPE_" + METRICS_SCOPE)
                        .requestMatchers(EndpointRequest.toAnyEndpoint())
                        .hasAuthority("SCOPE_" + ADMIN_SCOPE)
                        .requestMatchers(HttpMethod.GET, "/openapi.json", "/api-docs", "/api-docs/*", "/webjars/**")
                        .permitAll()
                        .anyRequest()
                        .access(scopes))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(new BearerTokens())
                        .jwt(Customizer.withDefaults())
                        .authenticationEntryPoint(errors)
                        .accessDeniedHandler(errors))
                .exceptionHandling(
                        handling -> handling.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .addFilterAfter(new CallerFilter(), BearerTokenAuthenticationFilter.class)
                .build();
    }

    /**
     * No Micrometer observation per security filter, authentication and authorization: they measure nothing the
     * request's own server span and {@code http.server.requests} do not, and they were a large share of the apps'
     * CPU in a profile under load (bench/results/tuning).
     */
    @Bean
    @ConditionalOnMissingBean(SecurityObservationSettings.class)
    public SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's strict firewall with its own header rule (no unassigned and no ISO control character in a
     * header's name or value) checked per character instead of by a regular expression, which ran on every header
     * of every request and showed in the profile (bench/results/tuning).
     */
    @Bean
    public WebSecurityCustomizer strictHttpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(SecurityAutoConfiguration::assignedAndNotControl);
        firewall.setAllowedHeaderValues(SecurityAutoConfiguration::assignedAndNotControl);
        return web -> web.httpFirewall(firewall);
    }

    /** The strict firewall's default header rule, {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}, without a regex. */
    static boolean assignedAndNotControl(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!Character.isDefined(c) || Character.isISOControl(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    @Bean
    public Callers caller() {
        return new Callers();
    }

    @Bean
    public RoutePolicyFactory callerRoutePolicyFactory() {
        return new CallerRoutePolicyFactory();
    }

    /** The app's own token on its calls to other apps, when it names the scope they need. */
    @Bean
    @ConditionalOnProperty("platform.security.client-scope")
    public ClientCredentials clientCredentials(Environment environment) {
        String clientId = environment.getRequiredProperty("platform.security.client-id");
        String secret = environment.getProperty("platform.security.client-secret", "");
        if (secret.isBlank()) {
            throw new IllegalStateException("OAUTH2_CLIENT_SECRET is not set: this app calls other apps with its own"
                    + " access token, as OAuth2 client " + clientId);
        }
        ClientRegistration registration = ClientRegistration.withRegistrationId(ClientCredentials.REGISTRATION)
                .clientId(clientId)
                .clientSecret(secret)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .tokenUri(environment.getRequiredProperty("platform.security.token-uri"))
                .scope(environment
                        .getRequiredProperty("platform.security.client-scope")
                        .split("[\\s,]+"))
                .build();
        var registrations = new InMemoryClientRegistrationRepository(registration);
        var tokenClient = new RestClientClientCredentialsTokenResponseClient();
        tokenClient.setRestClient(RestClient.builder()
                .requestFactory(ClientHttpRequestFactoryBuilder.detect()
                        .build(ClientHttpRequestFactorySettings.defaults()
                                .withConnectTimeout(TOKEN_REQUEST_TIMEOUT)
                                .withReadTimeout(TOKEN_REQUEST_TIMEOUT)))
                .messageConverters(converters -> {
                    converters.clear();
                    converters.add(new FormHttpMessageConverter());
                    converters.add(new OAuth2AccessTokenResponseHttpMessageConverter());
                })
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        var manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
                registrations, new InMemoryOAuth2AuthorizedClientService(registrations));
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(clientCredentials -> clientCredentials.accessTokenResponseClient(tokenClient))
                .build());
        return new ClientCredentials(manager, clientId);
    }

    @Bean
    @ConditionalOnProperty("platform.security.client-scope")
    public ComponentCustomizer httpClientCredentials(ClientCredentials clientCredentials) {
        return ComponentCustomizer.forType(
                HttpComponent.class, component -> component.setHttpClientConfigurer(clientCredentials));
    }
}
