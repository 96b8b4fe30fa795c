package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.List;

/**
 * Records the chosen baggage entries (such as {@code x-client-id}) as attributes of every span.
 *
 * <p>Camel extracts baggage only for the first span of an exchange; its child spans get a parent context
 * without it. So a span takes the entry from the baggage when the context has one, else from its local parent.
 */
final class BaggageAttributesSpanProcessor implements SpanProcessor {

    private final List<AttributeKey<String>> keys;

    BaggageAttributesSpanProcessor(List<String> baggageKeys) {
        this.keys = baggageKeys.stream().map(AttributeKey::stringKey).toList();
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        Baggage baggage = Baggage.fromContext(parentContext);
        Span parent = Span.fromContext(parentContext);
        for (AttributeKey<String> key : keys) {
            String value = baggage.getEntryValue(key.getKey());
            if (value == null && parent instanceof ReadableSpan local) {
                value = local.getAttribute(key);
            }
            if (value != null) {
                span.setAttribute(key, value);
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
