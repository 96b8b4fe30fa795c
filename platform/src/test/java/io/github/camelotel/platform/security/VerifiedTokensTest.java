package io.github.camelotel.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokensTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    final AtomicInteger checks = new AtomicInteger();

    /** Accepts tokens named "good-*" (expiring a minute from NOW), refuses every other. */
    final JwtDecoder issuer = token -> {
        checks.incrementAndGet();
        if (!token.startsWith("good-")) {
            throw new BadJwtException("bad signature");
        }
        return Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .subject(token)
                .issuedAt(NOW.minusSeconds(1))
                .expiresAt(NOW.plusSeconds(60))
                .build();
    };

    @Test
    void checksEachTokenOnceUntilItExpires() {
        VerifiedTokens tokens = new VerifiedTokens(issuer, Clock.fixed(NOW, ZoneOffset.UTC));

        Jwt first = tokens.decode("good-1");
        Jwt again = tokens.decode("good-1");
        tokens.decode("good-2");

        assertThat(again).isSameAs(first);
        assertThat(checks).hasValue(2);
        VerifiedTokens later = new VerifiedTokens(issuer, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        later.decode("good-1");
        later.decode("good-1");
        assertThat(checks).as("an expired entry is checked again").hasValue(4);
    }

    @Test
    void refusesABadTokenEveryTime() {
        VerifiedTokens tokens = new VerifiedTokens(issuer, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(checks).hasValue(2);
    }
}
