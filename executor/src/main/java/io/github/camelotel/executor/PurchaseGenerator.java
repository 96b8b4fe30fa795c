package io.github.camelotel.executor;

import io.github.camelotel.load.Purchases;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The routes' purchases (bean {@code purchases}): load-engine's {@link Purchases}, and this run's session id. */
@Component("purchases")
public class PurchaseGenerator {

    /** One session per executor run, so a user can find all its purchases by x-session-id. */
    private final String sessionId = UUID.randomUUID().toString();

    public Map<String, Object> next() {
        return Purchases.next();
    }

    public String sessionId() {
        return sessionId;
    }
}
