package io.github.camelotel.platform.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * The scopes each operation of the app's OpenAPI document requires, as its {@code security} (or the document's)
 * says: a request passes when its token holds every scope of at least one of the operation's requirements. A request
 * for no operation of the document needs an authenticated caller and then finds nothing (404).
 */
final class ContractScopes implements AuthorizationManager<RequestAuthorizationContext> {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** One operation: its method, path template, the template as a pattern, and its alternative scope sets. */
    record Operation(String method, String template, Pattern path, List<Set<String>> requirements) {}

    private final List<Operation> operations;

    ContractScopes(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    /** The operations of a bundled document (every reference inlined). */
    static ContractScopes of(ObjectNode document) {
        List<Operation> operations = new ArrayList<>();
        JsonNode global = document.path("security");
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            Pattern pattern = Pattern.compile(path.getKey().replaceAll("\\{[^/}]+}", "[^/]+"));
            for (Map.Entry<String, JsonNode> item : path.getValue().properties()) {
                if (METHODS.contains(item.getKey())) {
                    JsonNode security =
                            item.getValue().has("security") ? item.getValue().path("security") : global;
                    operations.add(new Operation(item.getKey(), path.getKey(), pattern, requirements(security)));
                }
            }
        }
        return new ContractScopes(operations);
    }

    private static List<Set<String>> requirements(JsonNode security) {
        List<Set<String>> requirements = new ArrayList<>();
        for (JsonNode requirement : security) {
            Set<String> scopes = new LinkedHashSet<>();
            requirement.forEach(schemeScopes -> schemeScopes.forEach(scope -> scopes.add(scope.asText())));
            requirements.add(scopes);
        }
        return requirements;
    }

    /** The operation a request is for, or null. */
    Operation match(String method, String path) {
        for (Operation operation : operations) {
            if (operation.method().equalsIgnoreCase(method)
                    && operation.path().matcher(path).matches()) {
                return operation;
            }
        }
        return null;
    }

    @Override
    public AuthorizationResult authorize(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        return decide(authentication.get(), context);
    }

    /** What {@link #authorize} answers; the interface still declares this older form. */
    @Override
    @Deprecated
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        return decide(authentication.get(), context);
    }

    private AuthorizationDecision decide(Authentication caller, RequestAuthorizationContext context) {
        if (caller == null || !caller.isAuthenticated() || !(caller.getPrincipal() instanceof Jwt)) {
            return new AuthorizationDecision(false);
        }
        Operation operation =
                match(context.getRequest().getMethod(), context.getRequest().getServletPath());
        if (operation == null || operation.requirements().isEmpty()) {
            return new AuthorizationDecision(true);
        }
        Set<String> granted = Caller.scopes(caller.getAuthorities());
        return new AuthorizationDecision(operation.requirements().stream().anyMatch(granted::containsAll));
    }
}
