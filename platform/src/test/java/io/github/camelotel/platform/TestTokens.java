package io.github.camelotel.platform;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signed access tokens for the route tests of one app, without an authorization server: {@code @Import} this class
 * and the app checks tokens against its key; {@link #issue} mints them. The end-to-end tests use the local stack's
 * real authorization server.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTokens {

    /** Every scope of the system's contracts: route tests that are not about access call as a client holding all. */
    public static final List<String> ALL_SCOPES =
            List.of("purchases:write", "orders:write", "orders:read-all", "load:run", "metrics:read", "ops:admin");

    private static final RSAKey KEY = generate();
    private static final NimbusJwtEncoder ENCODER = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(KEY)));

    @Bean
    public JwtDecoder jwtDecoder() throws JOSEException {
        return NimbusJwtDecoder.withPublicKey(KEY.toRSAPublicKey()).build();
    }

    /** A token of {@code clientId} for {@code subject} (the client itself, or a customer's id) with these scopes. */
    public static String issue(String clientId, String subject, List<String> scopes) {
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer("route-test")
                .subject(subject)
                .issuedAt(now)
                .expiresAt(now.plusSeconds(300))
                .claim("client_id", clientId)
                .claim("scope", String.join(" ", scopes))
                .build();
        JwsHeader header =
                JwsHeader.with(SignatureAlgorithm.RS256).keyId(KEY.getKeyID()).build();
        return ENCODER.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /** A token of client {@code route-test} with {@link #ALL_SCOPES}. */
    public static String allScopes() {
        return issue("route-test", "route-test", ALL_SCOPES);
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("route-test").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("no RSA key for test tokens", e);
        }
    }
}
