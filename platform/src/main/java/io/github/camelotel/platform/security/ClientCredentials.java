package io.github.camelotel.platform.security;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;

/**
 * This app's own access token on every call of Camel's HTTP client (component {@code http}): obtained with the
 * client-credentials grant, kept until shortly before it expires, then replaced. The header is added inside the HTTP
 * client, after Camel's headers were mapped, so the token is in no Camel message, log line or span.
 */
final class ClientCredentials implements HttpClientConfigurer {

    static final String REGISTRATION = "self";

    private final OAuth2AuthorizedClientManager clients;
    private final AnonymousAuthenticationToken principal;

    ClientCredentials(OAuth2AuthorizedClientManager clients, String clientId) {
        this.clients = clients;
        this.principal =
                new AnonymousAuthenticationToken(clientId, clientId, AuthorityUtils.createAuthorityList("ROLE_CLIENT"));
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst(
                (request, entity, context) -> request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token()));
    }

    /** The current access token, requested from the authorization server when there is none or it expires soon. */
    String token() {
        OAuth2AuthorizedClient client = clients.authorize(OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION)
                .principal(principal)
                .build());
        if (client == null) {
            throw new IllegalStateException("no access token for client registration " + REGISTRATION);
        }
        return client.getAccessToken().getTokenValue();
    }
}
