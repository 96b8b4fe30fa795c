package io.github.camelotel.platform.security;

import org.apache.camel.Exchange;

/**
 * Bean {@code caller}: what routes ask about the caller of the request they serve, e.g. in a YAML filter
 * {@code ${bean:caller?method=mayActFor(*, ${variable.customerId}, 'orders:read-all')}}.
 */
public class Callers {

    /** The token's subject: the signed-in customer's id, or the client's own id. */
    public String subject(Exchange exchange) {
        return Caller.of(exchange).subject();
    }

    /** The client the token was issued to. */
    public String clientId(Exchange exchange) {
        return Caller.of(exchange).clientId();
    }

    public boolean hasScope(Exchange exchange, String scope) {
        return Caller.of(exchange).hasScope(scope);
    }

    /**
     * Whether the caller may act on what belongs to {@code ownerId}: they are that owner (the token's subject), or
     * their token has {@code anyOwnerScope}.
     */
    public boolean mayActFor(Exchange exchange, String ownerId, String anyOwnerScope) {
        Caller caller = Caller.of(exchange);
        return caller.hasScope(anyOwnerScope)
                || (!caller.subject().isEmpty() && caller.subject().equals(ownerId));
    }
}
