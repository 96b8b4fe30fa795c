package io.github.camelotel.local;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The {@code Authorization} header a test sends as one of the system's OAuth2 clients, from the stack's tokens. */
final class Bearer {

    private Bearer() {}

    /** As client {@code clientId} with {@code scope}. */
    static String as(StackTokens tokens, String clientId, String scope) {
        try {
            return "Bearer " + tokens.clientToken(clientId, scope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting a token", e);
        }
    }

    /** As the executor places purchases at app1-api. */
    static String executor(LocalStack stack) {
        return as(stack.tokens(), "executor", "purchases:write");
    }

    /** As app1-api writes orders at app3-api. */
    static String app1(LocalStack stack) {
        return as(stack.tokens(), "app1-api", "orders:write");
    }

    /** As the back office reads any order. */
    static String backOffice(LocalStack stack) {
        return as(stack.tokens(), "operator", "orders:read-all");
    }

    /** As an operator switches faults on and off (/actuator/faults). */
    static String admin(LocalStack stack) {
        return as(stack.tokens(), "operator", "ops:admin");
    }

    /** As Prometheus scrapes /actuator/prometheus. */
    static String prometheus(LocalStack stack) {
        return as(stack.tokens(), "prometheus", "metrics:read");
    }
}
