package io.github.camelotel.platform.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.ResourceResolverSupport;
import org.apache.camel.support.ResourceSupport;

/**
 * Camel resources of scheme {@code contract:}, e.g. {@code contract:app1-api/openapi.yaml} in a route's
 * {@code rest: openApi: specification:}: the contract beside the routes as one self-contained JSON document (see
 * {@link Contracts}). Camel's own loaders read a document without its location, so they could not follow the
 * relative {@code $ref}s to the schemas shared in {@code routes/common}.
 */
public final class ContractResourceResolver extends ResourceResolverSupport {

    /** The bean name under which Camel looks a resolver of this scheme up. */
    public static final String BEAN_NAME = "resource-loader-contract";

    private final Contracts contracts;

    public ContractResourceResolver(Contracts contracts) {
        super("contract");
        this.contracts = contracts;
    }

    @Override
    protected Resource createResource(String location, String remaining) {
        return new ResourceSupport(getSupportedScheme(), location) {
            @Override
            public boolean exists() {
                return contracts.exists(remaining);
            }

            @Override
            public InputStream getInputStream() {
                return new ByteArrayInputStream(
                        contracts.bundle(remaining).toString().getBytes(StandardCharsets.UTF_8));
            }
        };
    }
}
