package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.trace.Span;
import java.util.Locale;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.EndpointServiceLocation;

/**
 * A call of the {@code minio} component (S3 API): CLIENT span {@code {Operation} {bucket}}
 * ({@code PutObject invoices}) with {@code rpc.system} aws-api, {@code rpc.service} S3, {@code rpc.method},
 * {@code aws.s3.bucket}, {@code aws.s3.key}, the server, and {@code peer.service} s3, which names the node in a
 * service graph.
 */
final class S3Spans extends ShapedSpanDecorator {

    /** What camel-minio's producer does when neither header nor endpoint names an operation. */
    private static final String DEFAULT_OPERATION = "putObject";

    S3Spans() {
        super("minio", "org.apache.camel.component.minio.MinioComponent");
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return operation(exchange, endpoint) + " " + stripSchemeAndOptions(endpoint);
    }

    @Override
    void describe(Span span, Exchange exchange, Endpoint endpoint) {
        span.setAttribute("rpc.system", "aws-api");
        span.setAttribute("rpc.service", "S3");
        span.setAttribute("rpc.method", operation(exchange, endpoint));
        span.setAttribute("peer.service", "s3");
        span.setAttribute("aws.s3.bucket", stripSchemeAndOptions(endpoint));
        String key = exchange.getIn().getHeader("CamelMinioObjectName", String.class);
        if (key != null) {
            span.setAttribute("aws.s3.key", key);
        }
        if (endpoint instanceof EndpointServiceLocation location) {
            server(span, location.getServiceUrl());
        }
    }

    private static String operation(Exchange exchange, Endpoint endpoint) {
        String operation = exchange.getIn().getHeader("CamelMinioOperation", String.class);
        if (operation == null) {
            operation = toQueryParameters(endpoint.getEndpointUri()).getOrDefault("operation", DEFAULT_OPERATION);
        }
        return operation.isEmpty()
                ? operation
                : operation.substring(0, 1).toUpperCase(Locale.ROOT) + operation.substring(1);
    }
}
