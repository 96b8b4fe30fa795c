package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.net.URI;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.decorators.AbstractSpanDecorator;

/**
 * Base of the platform's decorators: the span keeps only the attributes its convention defines (plus the Camel route
 * id), set on the OpenTelemetry span with their proper types, and a failed exchange records its exception.
 */
abstract class ShapedSpanDecorator extends AbstractSpanDecorator {

    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

    private final String component;
    private final String componentClassName;

    ShapedSpanDecorator(String component, String componentClassName) {
        this.component = component;
        this.componentClassName = componentClassName;
    }

    @Override
    public String getComponent() {
        return component;
    }

    @Override
    public String getComponentClassName() {
        return componentClassName;
    }

    /** Sets the span's attributes when it starts. */
    abstract void describe(Span span, Exchange exchange, Endpoint endpoint);

    /** Adds what is known only when the call is done (a status code, an offset). */
    void complete(Span span, Exchange exchange, Endpoint endpoint) {}

    @Override
    public final void pre(SpanAdapter adapter, Exchange exchange, Endpoint endpoint) {
        Span span = otel(adapter);
        if (exchange.getFromRouteId() != null) {
            span.setAttribute("camel.route.id", exchange.getFromRouteId());
        }
        describe(span, exchange, endpoint);
    }

    @Override
    public final void post(SpanAdapter adapter, Exchange exchange, Endpoint endpoint) {
        Span span = otel(adapter);
        complete(span, exchange, endpoint);
        Exception failure = exchange.getException();
        if (failure != null) {
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            span.setAttribute("error.type", failure.getClass().getName());
            span.recordException(failure);
        }
    }

    /**
     * The OpenTelemetry span behind Camel's adapter (which keeps it package-private): current while its scope is open.
     */
    static Span otel(SpanAdapter adapter) {
        try (AutoCloseable ignored = adapter.makeCurrent()) {
            return Span.current();
        } catch (Exception e) {
            return Span.getInvalid();
        }
    }

    /** True for the span of a route the endpoint feeds (a consumer), false for a call to it (a producer). */
    static boolean receiving(Exchange exchange, Endpoint endpoint) {
        return exchange.getFromEndpoint() == endpoint;
    }

    /** {@code server.address} and {@code server.port} from {@code host:port}, {@code user@host:port} or a URL. */
    static void server(Span span, String location) {
        span.setAllAttributes(server(location));
    }

    static Attributes server(String location) {
        if (location == null || location.isBlank()) {
            return Attributes.empty();
        }
        if (location.contains("://")) {
            URI uri = URI.create(location);
            return server(uri.getHost(), uri.getPort());
        }
        String hostPort = location.substring(location.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        return server(
                colon < 0 ? hostPort : hostPort.substring(0, colon),
                colon < 0 ? -1 : parsePort(hostPort.substring(colon + 1)));
    }

    /** @param port -1 for none */
    static Attributes server(String host, int port) {
        AttributesBuilder attributes = Attributes.builder();
        if (host != null && !host.isEmpty()) {
            attributes.put(SERVER_ADDRESS, host);
        }
        if (port > 0) {
            attributes.put(SERVER_PORT, (long) port);
        }
        return attributes.build();
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
