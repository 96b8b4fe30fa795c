package io.github.camelotel.platform.tracing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.NamedNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.opentelemetry.OpenTelemetryTracer;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.EndpointHelper;
import org.apache.camel.tracing.SpanDecorator;

/**
 * Camel's OpenTelemetry tracer, with its exclude patterns matched once per route and once per endpoint.
 *
 * <p>Camel's own tracer matches them again on every exchange a route begins and ends and on every message sent, and
 * each match resolves placeholders, normalises the endpoint URI (sorting its query, such as a whole SQL statement)
 * and compiles every pattern as a regular expression. Here a route fed by an excluded endpoint gets no tracing
 * policy at all, and a call to an excluded endpoint gets a decorator that starts no span.
 */
final class PlatformTracer extends OpenTelemetryTracer {

    /** What a call to an excluded endpoint is traced as: an in-process step, which starts no span. */
    private static final SpanDecorator NO_SPAN = new InProcessSteps("excluded");

    /** Most endpoints an app has; past it (a {@code toD} can make many) a decorator is looked up each time. */
    private static final int MAX_CACHED = 1000;

    private final List<String> excludePatterns;
    /** The decorator of each endpoint URI seen. */
    private final Map<String, SpanDecorator> decorators = new ConcurrentHashMap<>();

    /** @param excludePatterns comma-separated, as Camel's {@code exclude-patterns}; not handed to Camel's tracer */
    PlatformTracer(String excludePatterns) {
        this.excludePatterns = Arrays.stream(excludePatterns.split(","))
                .map(String::trim)
                .filter(pattern -> !pattern.isEmpty())
                .toList();
    }

    /** As Camel's tracer tells them (JMX), and what its processor spans ({@code trace-processors}) leave out. */
    @Override
    public String getExcludePatterns() {
        return String.join(",", excludePatterns);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        // Camel builds every route from its definition, so each route is decided here once
        if (route instanceof RouteDefinition definition && excluded(camelContext, definition.getEndpointUrl())) {
            return null; // no policy: the route starts no span
        }
        return super.createRoutePolicy(camelContext, routeId, route);
    }

    @Override
    protected SpanDecorator getSpanDecorator(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        SpanDecorator decorator = decorators.get(uri);
        if (decorator == null) {
            decorator = super.getSpanDecorator(endpoint);
            if (decorator.newSpan() && excluded(endpoint.getCamelContext(), uri)) {
                decorator = NO_SPAN;
            }
            if (decorators.size() < MAX_CACHED) {
                decorators.put(uri, decorator);
            }
        }
        return decorator;
    }

    private boolean excluded(CamelContext camelContext, String uri) {
        return uri != null
                && excludePatterns.stream()
                        .anyMatch(pattern -> EndpointHelper.matchEndpoint(camelContext, uri, pattern));
    }
}
