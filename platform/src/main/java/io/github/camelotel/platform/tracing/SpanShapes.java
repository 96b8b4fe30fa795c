package io.github.camelotel.platform.tracing;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.tracing.SpanDecorator;

/**
 * The platform's span decorators, one per component scheme, and the endpoints left out of tracing: the one place
 * where the platform shapes Camel's spans ({@code camel-opentelemetry} 4.17), so that a trace reads like the
 * architecture and Tempo's or Zipkin's service graph draws exactly its edges.
 *
 * <p>Camel's tracer starts a span for every endpoint an exchange is sent to (the component's {@link SpanDecorator}
 * names it and chooses its kind) and for every route an exchange enters (named by the route's {@code from}
 * endpoint). Its own decorators name spans after the component ({@code sql}, {@code imap}), make every endpoint
 * without one a CLIENT span, and a route without a caller a SERVER span. {@link TracingAutoConfiguration} builds
 * Camel's tracer with these decorators instead, which follow the OpenTelemetry semantic conventions:
 *
 * <ul>
 *   <li>HTTP server {@code POST /Message} ({@code http.route}), client {@code POST} ({@code url.full},
 *       {@code server.address}): {@link HttpSpans};</li>
 *   <li>Kafka {@code send Purchase} (PRODUCER) and {@code process Purchase} (CONSUMER), with partition, offset, key
 *       and consumer group: {@link KafkaSpans};</li>
 *   <li>SQL {@code INSERT orders} with {@code db.query.text} (placeholders, never values): {@link SqlSpans}; Redis
 *       {@code SETEX}: {@link RedisSpans};</li>
 *   <li>S3 {@code PutObject invoices} and {@code smtp send}: {@link S3Spans}, {@link SmtpSpans};</li>
 *   <li>in-process steps ({@code direct:}, {@code seda:}, validators, templates, beans) start no span of their own:
 *       their work is part of the span of the call that runs them; a route that starts an exchange by itself (a
 *       timer, a seda consumer) is an INTERNAL root span named by its route id ({@code send-purchase} →
 *       {@code send purchase}): {@link InProcessSteps}.</li>
 * </ul>
 *
 * <p>Moving to {@code camel-opentelemetry2} / {@code camel-telemetry} means porting these decorators: those modules
 * have span decorators of their own (same idea, another package), and the routes do not change.
 */
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
    static final List<String> IN_PROCESS = List.of(
            "direct",
            "seda",
            "timer",
            "scheduler",
            "json-validator",
            "mustache",
            "velocity",
            "freemarker",
            "xslt",
            "validator",
            "bean",
            "class",
            "language",
            "dataformat",
            "log");

    private SpanShapes() {}

    /**
     * @param jdbcUrl   the app's {@code spring.datasource.url} (null without one), for the database spans
     * @param redisHost the app's {@code spring.data.redis.host} (null without one), for the Redis spans
     * @param redisPort its port, -1 for none
     */
    public static List<SpanDecorator> decorators(String jdbcUrl, String redisHost, int redisPort) {
        List<SpanDecorator> decorators = new ArrayList<>();
        decorators.add(new HttpSpans.Server(
                "platform-http", "org.apache.camel.component.platform.http.PlatformHttpComponent"));
        decorators.add(
                new HttpSpans.Server("rest-openapi", "org.apache.camel.component.rest.openapi.RestOpenApiComponent"));
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
