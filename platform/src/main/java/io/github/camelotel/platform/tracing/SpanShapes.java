package io.github.camelotel.platform.tracing;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.tracing.SpanDecorator;

/** The platform's span decorators, one per component scheme, and the endpoints left out of tracing. */
public final class SpanShapes {

    /**
     * Routes fed by these endpoints start no span (Camel's {@code exclude-patterns}, added to an app's own
     * {@code camel.opentelemetry.exclude-patterns}): a {@code direct:} sub-route is a step of its caller.
     */
    public static final String EXCLUDED = "direct:*";

    /**
     * Exchange property: the path template of the operation an HTTP request is for (e.g. {@code /orders/{orderId}}),
     * set by whoever matches the request to its operation; it names the server span.
     */
    public static final String HTTP_ROUTE = "http.route";

    /** Components that work inside the app: no span for a call to them (see {@link InProcessSteps}). */
    static final List<String> IN_PROCESS = List.of("direct", "seda", "timer", "scheduler", "json-validator",
            "mustache", "velocity", "freemarker", "xslt", "validator", "bean", "class", "language", "dataformat", "log");

    private SpanShapes() {
    }

    /**
     * @param jdbcUrl   the app's {@code spring.datasource.url} (null without one), for the database spans
     * @param redisHost the app's {@code spring.data.redis.host} (null without one), for the Redis spans
     * @param redisPort its port, -1 for none
     */
    public static List<SpanDecorator> decorators(String jdbcUrl, String redisHost, int redisPort) {
        List<SpanDecorator> decorators = new ArrayList<>();
        decorators.add(new HttpSpans.Server("platform-http", "org.apache.camel.component.platform.http.PlatformHttpComponent"));
        decorators.add(new HttpSpans.Server("rest-openapi", "org.apache.camel.component.rest.openapi.RestOpenApiComponent"));
        decorators.add(new HttpSpans.Client("http"));
        decorators.add(new HttpSpans.Client("https"));
        decorators.add(new KafkaSpans());
        decorators.add(new SqlSpans(jdbcUrl));
        decorators.add(new RedisSpans(redisHost, redisPort));
        decorators.add(new S3Spans());
        decorators.add(new SmtpSpans("smtp"));
        decorators.add(new SmtpSpans("smtps"));
        IN_PROCESS.forEach(component -> decorators.add(new InProcessSteps(component)));
        return decorators;
    }
}
