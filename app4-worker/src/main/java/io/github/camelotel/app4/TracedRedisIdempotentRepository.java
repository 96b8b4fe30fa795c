package io.github.camelotel.app4;

import java.util.function.BooleanSupplier;

import io.github.camelotel.platform.PurchaseTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.camel.Exchange;
import org.apache.camel.component.redis.processor.idempotent.SpringRedisStringIdempotentRepository;
import org.apache.camel.opentelemetry.OpenTelemetrySpanAdapter;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The idempotent consumer's repository, shared by every app4-worker instance: one Redis key
 * {@code <name>:<order id>} per order and step (for example {@code mail:42}), kept for {@code expiry} seconds.
 *
 * <p>Camel's tracer only sees endpoints, so the repository's own Redis calls would be missing from the purchase's
 * trace; each call made for an exchange becomes a CLIENT span here, shaped like the platform's spans of Redis
 * endpoints: named by the command ({@code GET}, {@code SET}, {@code DEL}), db.system and peer.service redis, the
 * server, plus the key, the order id and, for the look-up, whether the step was already done; a child of the exchange's current span.
 */
public class TracedRedisIdempotentRepository extends SpringRedisStringIdempotentRepository {

    private final Tracer tracer;
    private final String host;
    private final int port;

    public TracedRedisIdempotentRepository(StringRedisTemplate redisTemplate, Tracer tracer, String name) {
        super(redisTemplate, name);
        this.tracer = tracer;
        if (redisTemplate.getConnectionFactory() instanceof LettuceConnectionFactory lettuce) {
            this.host = lettuce.getHostName();
            this.port = lettuce.getPort();
        } else {
            this.host = null;
            this.port = -1;
        }
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return traced(exchange, "GET", key, () -> contains(key), "idempotency.duplicate");
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        return traced(exchange, "SET", key, () -> add(key), "idempotency.added");
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return traced(exchange, "DEL", key, () -> remove(key), "idempotency.removed");
    }

    private boolean traced(Exchange exchange, String operation, String key, BooleanSupplier call, String outcome) {
        SpanBuilder builder = tracer.spanBuilder(operation)
                .setParent(parentOf(exchange))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system", "redis")
                .setAttribute("peer.service", "redis")
                .setAttribute("db.operation.name", operation)
                .setAttribute("idempotency.key", createRedisKey(key));
        if (host != null) {
            builder.setAttribute("server.address", host).setAttribute("server.port", (long) port);
        }
        setIfPresent(builder, PurchaseTracing.ORDER_ID, exchange.getProperty(PurchaseTracing.ORDER_ID, String.class));
        setIfPresent(builder, PurchaseTracing.CUSTOMER_ID, exchange.getProperty(PurchaseTracing.CUSTOMER_ID, String.class));
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            boolean answer = call.getAsBoolean();
            span.setAttribute(outcome, answer);
            return answer;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** The exchange's current Camel span, with its baggage, as parent; the thread's context without one. */
    private static Context parentOf(Exchange exchange) {
        SpanAdapter current = ActiveSpanManager.getSpan(exchange);
        if (current == null) {
            return Context.current();
        }
        Context parent;
        try (AutoCloseable scope = current.makeCurrent()) {
            parent = Context.current();
        } catch (Exception e) {
            return Context.current();
        }
        if (current instanceof OpenTelemetrySpanAdapter adapter && adapter.getBaggage() != null) {
            parent = parent.with(adapter.getBaggage());
        }
        return parent;
    }

    private static void setIfPresent(SpanBuilder builder, String key, String value) {
        if (value != null) {
            builder.setAttribute(key, value);
        }
    }
}
