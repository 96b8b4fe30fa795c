package io.github.camelotel.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;

/**
 * The access token of {@code Authorization: Bearer <token>} (RFC 6750, section 2.1), read as Spring Security's
 * default resolver reads it with its defaults (never from a query or form parameter), but checked per character
 * instead of by a case-insensitive regular expression over the whole token, which showed in the apps' CPU profiles
 * under load (bench/results/tuning).
 */
final class BearerTokens implements BearerTokenResolver {

    private static final String SCHEME = "Bearer ";

    @Override
    public String resolve(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length() - 1)) {
            return null; // another scheme: not this resolver's
        }
        if (!authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || !isToken(authorization, SCHEME.length())) {
            throw new OAuth2AuthenticationException(BearerTokenErrors.invalidToken("Bearer token is malformed"));
        }
        return authorization.substring(SCHEME.length());
    }

    /** RFC 6750's b64token from {@code from} to the end: {@code 1*( ALPHA / DIGIT / "-._~+/" ) *"="}. */
    static boolean isToken(String text, int from) {
        int end = text.length();
        while (end > from && text.charAt(end - 1) == '=') {
            end--;
        }
        if (end == from) {
            return false;
        }
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            boolean allowed =
                    c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~+/".indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
