package io.github.camelotel.platform.http;

import static java.util.stream.Collectors.toSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.AllowedHeaders;
import io.github.camelotel.platform.errors.ErrorResponses;
import io.github.camelotel.platform.errors.ErrorsAutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnResource;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.webjars.WebJarVersionLocator;

/**
 * HTTP APIs bound to their contracts: the {@code contract:} resources that {@code rest: openApi:} routes name,
 * request validation against them, each app's document at {@code GET /openapi.json} with a browsable view at
 * {@code GET /api-docs}, the request size limit, and which headers may cross each HTTP hop (components refer to
 * these beans in {@code platform-defaults.properties}).
 */
@AutoConfiguration(after = ErrorsAutoConfiguration.class)
public class HttpAutoConfiguration {

    private static final Set<String> HTTP_CLIENT_IN = Set.of("Content-Type", "Retry-After");

    /** Applies to every HTTP endpoint of the app; the limit is {@code platform.http.max-request-bytes}. */
    @Bean
    public FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(Environment environment) {
        long maxBytes = environment.getProperty("platform.http.max-request-bytes", Long.class, 65_536L);
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(maxBytes));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    public Contracts contracts(Environment environment) {
        String routesDir = environment.getProperty("routes.dir", "");
        return new Contracts(routesDir.isBlank() ? null : Path.of(routesDir));
    }

    @Bean(ContractResourceResolver.BEAN_NAME)
    public ContractResourceResolver contractResourceResolver(Contracts contracts) {
        return new ContractResourceResolver(contracts);
    }

    @Bean
    public ContractRequestValidator contractRequestValidator(ErrorResponses errors, ObjectMapper objectMapper) {
        return new ContractRequestValidator(errors, objectMapper);
    }

    /**
     * {@code GET /openapi.json} and {@code GET /api-docs}, in an app whose routes hold {@code openapi.yaml}: the
     * document as it was when the app started, as Camel's REST DSL read it.
     */
    @Bean
    @ConditionalOnResource(resources = "classpath:routes/${spring.application.name}/openapi.yaml")
    public RouterFunction<ServerResponse> apiDocuments(Contracts contracts, Environment environment)
            throws IOException {
        String document = contracts.bundle(contract(environment)).toString();
        String page = text("/platform/api-docs.html");
        String oauth2Redirect = text("/" + new WebJarVersionLocator().fullPath("swagger-ui", "oauth2-redirect.html"));
        return RouterFunctions.route()
                .GET(
                        "/openapi.json",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.APPLICATION_JSON)
                                .body(document))
                .GET(
                        "/api-docs",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_HTML)
                                .body(page))
                // where the authorization server sends a customer back after "Authorize" on the page
                .GET(
                        "/api-docs/oauth2-redirect.html",
                        request -> ServerResponse.ok()
                                .contentType(MediaType.TEXT_HTML)
                                .body(oauth2Redirect))
                .build();
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = HttpAutoConfiguration.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * The HTTP server (the platform-http component) takes in only the body's type, the trace context and the header
     * and query parameters the app's contract declares, so no request can set a header that steers a Camel
     * component (such as {@code kafka.OVERRIDE_TOPIC}); it answers with the headers its contract answers with.
     */
    @Bean
    public AllowedHeaders httpServerHeaders(Contracts contracts, Environment environment) {
        String document = contract(environment);
        Set<String> declared = contracts.exists(document) ? contracts.headerAndQueryParameters(document) : Set.of();
        return new AllowedHeaders(
                union(AllowedHeaders.withTraceContext("Content-Type", "Accept"), declared),
                Set.of("Content-Type", "Retry-After", "Allow", "Location"));
    }

    /**
     * Calls to other apps (the http component) carry the body's type and the trace context, and take in the answer's
     * type and Retry-After: the client's x-client-id and x-session-id travel on as baggage, not as headers.
     */
    @Bean
    public AllowedHeaders httpClientHeaders() {
        return new AllowedHeaders(HTTP_CLIENT_IN, AllowedHeaders.withTraceContext("Content-Type"));
    }

    /** A call made as the client of the system (the executor's, named on its endpoint): with the client's headers. */
    @Bean
    public AllowedHeaders clientHeaders() {
        return new AllowedHeaders(
                HTTP_CLIENT_IN, AllowedHeaders.withTraceContext("Content-Type", "x-client-id", "x-session-id"));
    }

    /** The app's contract, relative to the routes folder. */
    private static String contract(Environment environment) {
        return environment.getProperty("spring.application.name") + "/openapi.yaml";
    }

    private static Set<String> union(Set<String> some, Set<String> more) {
        return Stream.concat(some.stream(), more.stream()).collect(toSet());
    }
}
