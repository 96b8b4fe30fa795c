package io.github.camelotel.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who made the HTTP request an exchange serves, from its access token: the client it was issued to, its subject (the
 * customer's id when a customer signed in; the client itself for a client-credentials token) and its scopes.
 * <p>
 * Spring Security checks the token on the servlet thread; Camel runs the route on another one, so the caller travels
 * as a request attribute ({@link CallerFilter}) and then as the exchange property {@link #PROPERTY}
 * ({@link CallerRoutePolicyFactory}), never as a header a client could send.
 */
public record Caller(String clientId, String subject, Set<String> scopes) {

    /** The exchange property that holds the caller of an HTTP request. */
    public static final String PROPERTY = "platform.caller";

    /** The span attribute with the client a request's token was issued to. */
    public static final String CLIENT_ID_ATTRIBUTE = "auth.client_id";

    /** The span attribute with the person who signed in, when one did (a customer's id). */
    public static final String USER_ID_ATTRIBUTE = "user.id";

    private static final String SCOPE = "SCOPE_";

    /** Nobody: an exchange that no authenticated HTTP request started (a timer, a Kafka record). */
    public static final Caller NOBODY = new Caller("", "", Set.of());

    /** The caller a checked token names; its scopes as Spring Security read them (a string or a list claim). */
    static Caller of(JwtAuthenticationToken authentication) {
        Jwt token = authentication.getToken();
        Set<String> scopes = scopes(authentication.getAuthorities());
        String subject = token.getSubject() == null ? "" : token.getSubject();
        String clientId = firstText(token.getClaimAsString("client_id"), token.getClaimAsString("azp"));
        return new Caller(firstText(clientId, subject), subject, scopes);
    }

    /** The scopes among Spring Security's authorities ({@code SCOPE_<scope>}). */
    static Set<String> scopes(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority.startsWith(SCOPE))
                .map(authority -> authority.substring(SCOPE.length()))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The caller of the request the exchange serves, or {@link #NOBODY}. */
    public static Caller of(Exchange exchange) {
        Caller caller = exchange.getProperty(PROPERTY, Caller.class);
        return caller == null ? NOBODY : caller;
    }

    /** The caller the security filters left on the request, or null. */
    static Caller of(HttpServletRequest request) {
        return request.getAttribute(PROPERTY) instanceof Caller caller ? caller : null;
    }

    /** The caller of the request behind a platform-http message, or null for any other message. */
    static Caller fromRequest(Exchange exchange) {
        return exchange.getIn() instanceof PlatformHttpMessage message && message.getRequest() != null
                ? of(message.getRequest())
                : null;
    }

    /** Whether a person signed in (their id is the subject), rather than a client acting for itself. */
    public boolean isUser() {
        return !subject.isEmpty() && !subject.equals(clientId);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    private static String firstText(String first, String second) {
        return first == null || first.isBlank() ? second : first;
    }
}
