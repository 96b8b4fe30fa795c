package io.github.camelotel.app4;

import io.github.camelotel.platform.tracing.ExchangeTracing;
import io.github.camelotel.platform.tracing.RedisSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.component.redis.processor.idempotent.SpringRedisStringIdempotentRepository;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The idempotent consumer's repository, shared by every app4-worker instance: one Redis key
 * {@code <name>:<order id>} per order and step (for example {@code mail:42}), kept for {@code expiry} seconds.
 *
 * <p>Camel's tracer only sees endpoints, so the repository's own Redis calls would be missing from the purchase's
 * trace; each call made for an exchange becomes a CLIENT span here, with the attributes of the platform's spans of
 * Redis endpoints ({@link RedisSpans}), named by the command ({@code GET}, {@code SET}, {@code DEL}), plus the key,
 * the attributes tagged on the exchange (order and customer id) and, for the look-up, whether the step was already
 * done; a child of the exchange's current span.
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
        Span span = tracer.spanBuilder(operation)
                .setParent(ExchangeTracing.context(exchange))
                .setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(RedisSpans.attributes(operation, host, port))
                .setAttribute("idempotency.key", createRedisKey(key))
                .setAllAttributes(ExchangeTracing.taggedAttributes(exchange))
                .startSpan();
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
}
