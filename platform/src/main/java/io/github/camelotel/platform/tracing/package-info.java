/**
 * How Camel's spans are named and shaped: the one place where the platform customises Camel's tracing
 * ({@code camel-opentelemetry} 4.17), so that a purchase's trace reads like the architecture and Tempo's or
 * Zipkin's service graph draws exactly its edges.
 *
 * <p>Camel's tracer starts a span for every endpoint an exchange is sent to (the component's
 * {@link org.apache.camel.tracing.SpanDecorator} names it and chooses its kind) and for every route an exchange
 * enters (named by the route's {@code from} endpoint). Its own decorators name spans after the component
 * ({@code sql}, {@code imap}), make every endpoint without one a CLIENT span, and a route without a caller a SERVER
 * span. {@link io.github.camelotel.platform.tracing.CamelTracingAutoConfiguration} builds Camel's tracer with the
 * decorators of {@link io.github.camelotel.platform.tracing.SpanShapes} instead, which follow the OpenTelemetry
 * semantic conventions:
 *
 * <ul>
 *   <li>HTTP server {@code POST /Message} ({@code http.route}), client {@code POST} ({@code url.full},
 *       {@code server.address}): {@link io.github.camelotel.platform.tracing.HttpSpans};</li>
 *   <li>Kafka {@code send Purchase} (PRODUCER) and {@code process Purchase} (CONSUMER), with partition, offset, key
 *       and consumer group: {@link io.github.camelotel.platform.tracing.KafkaSpans};</li>
 *   <li>SQL {@code INSERT orders} with {@code db.query.text} (placeholders, never values):
 *       {@link io.github.camelotel.platform.tracing.SqlSpans}; Redis {@code SETEX}:
 *       {@link io.github.camelotel.platform.tracing.RedisSpans};</li>
 *   <li>S3 {@code PutObject invoices} and {@code smtp send}: {@link io.github.camelotel.platform.tracing.S3Spans},
 *       {@link io.github.camelotel.platform.tracing.SmtpSpans};</li>
 *   <li>in-process steps ({@code direct:}, {@code seda:}, validators, templates, beans) start no span of their own:
 *       their work is part of the span of the call that runs them; a route that starts an exchange by itself (a timer,
 *       a seda consumer) is an INTERNAL root span named by its route id ({@code send-purchase} →
 *       {@code send purchase}): {@link io.github.camelotel.platform.tracing.InProcessSteps}.</li>
 * </ul>
 *
 * <p>Moving to {@code camel-opentelemetry2} / {@code camel-telemetry} means porting this package: those modules have
 * span decorators of their own (same idea, another package), and the routes do not change.
 */
package io.github.camelotel.platform.tracing;
