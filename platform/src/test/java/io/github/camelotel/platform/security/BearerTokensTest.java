package io.github.camelotel.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** BearerTokens answers as Spring Security's default resolver does: the same token, none, or the same error. */
class BearerTokensTest {

    @Test
    void resolvesEveryAuthorizationHeaderAsSpringsDefaultResolver() {
        List<String> headers = new ArrayList<>(List.of(
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJleGVjdXRvciJ9.c2lnbmF0dXJl-_~+/",
                "bearer abc",
                "BEARER abc==",
                "Bearer ab=c",
                "Bearer ==",
                "Bearer ",
                "Bearer",
                "Bearerabc",
                "Bearer  abc",
                "Bearer abc ",
                "Bearer a b",
                "Bearer\tabc",
                "Bearer abcé",
                "Bearer abc\u017f",
                "Basic dXNlcjpwYXNz",
                "bear",
                ""));
        for (char c = 0; c < 256; c++) {
            headers.add("Bearer a" + c + "b");
        }
        BearerTokenResolver spring = new DefaultBearerTokenResolver();
        BearerTokenResolver ours = new BearerTokens();
        for (String header : headers) {
            MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders");
            request.addHeader("Authorization", header);
            assertThat(outcome(ours, request)).as(header).isEqualTo(outcome(spring, request));
        }
        MockHttpServletRequest none = new MockHttpServletRequest("GET", "/orders");
        assertThat(outcome(ours, none)).isEqualTo(outcome(spring, none)).isEqualTo("none");
    }

    private static String outcome(BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            String token = resolver.resolve(request);
            return token == null ? "none" : "token " + token;
        } catch (OAuth2AuthenticationException e) {
            return "error " + e.getError().getErrorCode() + ": " + e.getError().getDescription();
        }
    }
}
