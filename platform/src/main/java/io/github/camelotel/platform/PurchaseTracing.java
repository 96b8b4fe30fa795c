package io.github.camelotel.platform;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.trace.SpanBuilder;
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
 *   <li>{@code tagPurchase}: puts the order and customer id on the open spans of the exchange and, as a
 *       {@link SpanCustomizer}, on every span the exchange starts afterwards (HTTP calls, Kafka sends, SQL);</li>
 *   <li>{@code headersToBaggage}: at the edge, turns the client's {@code x-client-id}/{@code x-session-id}
 *       headers into W3C baggage that Camel propagates to every downstream app;</li>
 *   <li>{@code recordFailure}: marks the current span as failed with an OpenTelemetry exception event;</li>
 *   <li>{@code attribute}: any other attribute on the open spans, such as {@code cache.hit};</li>
 *   <li>{@code traceId}: the trace ID, for responses, audit rows and log lines.</li>
 * </ul>
 */
public class PurchaseTracing implements SpanCustomizer {

    public static final String ORDER_ID = "order.id";
    public static final String CUSTOMER_ID = "customer.id";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> baggageKeys;

    public PurchaseTracing(List<String> baggageKeys) {
        this.baggageKeys = baggageKeys;
    }

    /** Reads {@code orderId} and {@code customerId} from the purchase: a map, or JSON text as it came in. */
    public void tagPurchase(Exchange exchange) throws JsonProcessingException {
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> purchase) {
            tag(exchange, ORDER_ID, purchase.get("orderId"));
            tag(exchange, CUSTOMER_ID, purchase.get("customerId"));
        } else if (body != null) {
            JsonNode purchase = JSON.readTree(exchange.getMessage().getBody(String.class));
            tag(exchange, ORDER_ID, purchase.path("orderId").textValue());
            tag(exchange, CUSTOMER_ID, purchase.path("customerId").textValue());
        }
    }

    /** Tags the exchange's open spans (the route's, and the server or consumer span it runs in). */
    private static void tag(Exchange exchange, String key, Object value) {
        if (value == null) {
            return;
        }
        exchange.setProperty(key, value.toString());
        tagOpenSpans(exchange, key, value.toString());
    }

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
        return exchange.getProperty(ORDER_ID) != null;
    }

    @Override
    public void customize(SpanBuilder spanBuilder, String operationName, Exchange exchange) {
        spanBuilder.setAttribute(ORDER_ID, exchange.getProperty(ORDER_ID, String.class));
        String customerId = exchange.getProperty(CUSTOMER_ID, String.class);
        if (customerId != null) {
            spanBuilder.setAttribute(CUSTOMER_ID, customerId);
        }
    }
}
