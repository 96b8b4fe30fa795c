package io.github.camelotel.platform.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Checks each distinct token once and answers the same {@link Jwt} for it until it expires. A calling app sends one
 * token for minutes, and checking its RSA signature again on every request was a sixth of an app's CPU. The key is
 * the whole token, so only bytes already verified are trusted; the cache forgets everything when it is full.
 */
final class VerifiedTokens implements JwtDecoder {

    static final int CAPACITY = 1_000;

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokens(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) {
        Jwt known = verified.get(token);
        if (known != null && unexpired(known)) {
            return known;
        }
        Jwt checked = decoder.decode(token);
        if (checked.getExpiresAt() != null) {
            if (verified.size() >= CAPACITY) {
                verified.clear();
            }
            verified.put(token, checked);
        }
        return checked;
    }

    private boolean unexpired(Jwt jwt) {
        Instant expiresAt = jwt.getExpiresAt();
        return expiresAt != null && clock.instant().isBefore(expiresAt);
    }
}
