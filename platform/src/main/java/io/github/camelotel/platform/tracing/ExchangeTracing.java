package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.opentelemetry.OpenTelemetrySpanAdapter;
import org.apache.camel.opentelemetry.SpanCustomizer;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;

/**
 * Business context on Camel's spans, used from routes as bean {@code tracing}.
 *
 * <ul>
 *   <li>{@code tag}: an attribute the exchange carries: set on its open spans, on every span it starts afterwards
 *       (as a {@link SpanCustomizer}: HTTP calls, Kafka sends, SQL) and as the exchange property of the same name,
 *       for the routes; {@link BodyAttributes} tags named fields of the body this way;</li>
 *   <li>{@code headersToBaggage}: at the edge, turns the client's headers named in
 *       {@code platform.tracing.baggage-keys} into W3C baggage that Camel propagates to every downstream app;</li>
 *   <li>{@code recordFailure}: marks the current span as failed with an OpenTelemetry exception event;</li>
 *   <li>{@code attribute}: an attribute on the open spans only, such as {@code cache.hit};</li>
 *   <li>{@code traceId}: the trace ID, for responses, audit rows and log lines.</li>
 * </ul>
 */
public class ExchangeTracing implements SpanCustomizer {

    /** Exchange property: the names of the attributes tagged on the exchange, in the order they were first tagged. */
    static final String TAGGED = "platform.tracing.tagged";

    private final List<String> baggageKeys;

    public ExchangeTracing(List<String> baggageKeys) {
        this.baggageKeys = baggageKeys;
    }

    /** Tags the exchange with an attribute it carries: {@code tag(*, 'item.id', ${header.itemId})} from a route. */
    public void tag(Exchange exchange, String key, String value) {
        if (value != null) {
            carry(exchange, key, value);
        }
    }

    /**
     * The value as the exchange property {@code key}, the attribute of the exchange's open spans and, through
     * {@link #customize}, of the spans it starts later. The list of names is replaced, never changed: copies of the
     * exchange (a split, a multicast) share it.
     */
    static void carry(Exchange exchange, String key, String value) {
        exchange.setProperty(key, value);
        List<String> tagged = tagged(exchange);
        if (!tagged.contains(key)) {
            List<String> more = new ArrayList<>(tagged);
            more.add(key);
            exchange.setProperty(TAGGED, List.copyOf(more));
        }
        tagOpenSpans(exchange, key, value);
    }

    /** The value of the first attribute tagged on the exchange (its key: the id of what it processes), or null. */
    public static String key(Exchange exchange) {
        List<String> tagged = tagged(exchange);
        return tagged.isEmpty() ? null : exchange.getProperty(tagged.get(0), String.class);
    }

    /** The attributes tagged on the exchange, for a span started outside Camel's tracer. */
    public static Attributes taggedAttributes(Exchange exchange) {
        AttributesBuilder attributes = Attributes.builder();
        for (String key : tagged(exchange)) {
            String value = exchange.getProperty(key, String.class);
            if (value != null) {
                attributes.put(key, value);
            }
        }
        return attributes.build();
    }

    /**
     * The exchange's current Camel span, with its baggage, as the parent of a span started outside Camel's tracer;
     * the thread's context when the exchange has no span.
     */
    public static Context context(Exchange exchange) {
        SpanAdapter current = ActiveSpanManager.getSpan(exchange);
        if (current == null) {
            return Context.current();
        }
        Context parent;
        try (AutoCloseable ignored = current.makeCurrent()) {
            parent = Context.current();
        } catch (Exception e) {
            return Context.current();
        }
        if (current instanceof OpenTelemetrySpanAdapter adapter && adapter.getBaggage() != null) {
            parent = parent.with(adapter.getBaggage());
        }
        return parent;
    }

    @SuppressWarnings("unchecked")
    private static List<String> tagged(Exchange exchange) {
        List<String> tagged = exchange.getProperty(TAGGED, List.class);
        return tagged == null ? List.of() : tagged;
    }

    /** Tags the exchange's open spans (the route's, and the server or consumer span it runs in). */
    private static void tagOpenSpans(Exchange exchange, String key, String value) {
        var active = exchange.getProperty(ExchangePropertyKey.OTEL_ACTIVE_SPAN, ActiveSpanManager.Holder.class);
        for (var holder = active; holder != null; holder = holder.getParent()) {
            holder.getSpan().setTag(key, value);
        }
    }

    /** Sets one attribute on the open spans, e.g. {@code attribute(*, 'cache.hit', 'true')} from a route. */
    public void attribute(Exchange exchange, String key, String value) {
        if (value != null) {
            tagOpenSpans(exchange, key, value);
        }
    }

    public void headersToBaggage(Exchange exchange) {
        if (!(ActiveSpanManager.getSpan(exchange) instanceof OpenTelemetrySpanAdapter span)) {
            return;
        }
        BaggageBuilder baggage = span.getBaggage() == null ? Baggage.builder() : span.getBaggage().toBuilder();
        for (String key : baggageKeys) {
            String value = exchange.getMessage().getHeader(key, String.class);
            if (value != null && !value.isBlank()) {
                baggage.put(key, value);
                tagOpenSpans(exchange, key, value);
            }
        }
        span.setBaggage(baggage.build());
    }

    public void recordFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SpanAdapter span = ActiveSpanManager.getSpan(exchange);
        if (span == null) {
            return;
        }
        span.setError(true);
        if (failure != null) {
            StringWriter stackTrace = new StringWriter();
            failure.printStackTrace(new PrintWriter(stackTrace));
            span.log(Map.of(
                    "event", "exception",
                    "exception.type", failure.getClass().getName(),
                    "exception.message", String.valueOf(failure.getMessage()),
                    "exception.stacktrace", stackTrace.toString()));
        }
    }

    public String traceId(Exchange exchange) {
        SpanAdapter span = ActiveSpanManager.getSpan(exchange);
        return span == null ? "" : span.traceId();
    }

    @Override
    public boolean isEnabled(String operationName, Exchange exchange) {
        return exchange.getProperty(TAGGED) != null;
    }

    @Override
    public void customize(SpanBuilder spanBuilder, String operationName, Exchange exchange) {
        for (String key : tagged(exchange)) { // on the builder itself: this runs for every span
            String value = exchange.getProperty(key, String.class);
            if (value != null) {
                spanBuilder.setAttribute(key, value);
            }
        }
    }
}
