package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fields of the body tagged on the exchange: its properties, its key, and the attributes of the spans it starts. */
class BodyAttributesTest {

    final BodyAttributes attributes = new BodyAttributes("id=item.id, owner=owner.id");
    final ExchangeTracing tracing = new ExchangeTracing(List.of());
    final Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans))
            .build();

    @AfterEach
    void close() {
        tracerProvider.close();
    }

    @Test
    void tagsTheNamedFieldsOfJsonTextAsPropertiesAndOnTheSpansTheExchangeStartsLater() throws Exception {
        exchange.getMessage().setBody("{\"owner\": \"ada\", \"id\": \"item-7\", \"other\": \"x\", \"count\": 3}");

        attributes.tag(exchange);

        assertThat(exchange.getProperty("item.id")).isEqualTo("item-7");
        assertThat(exchange.getProperty("owner.id")).isEqualTo("ada");
        assertThat(ExchangeTracing.key(exchange)).as("the first field named").isEqualTo("item-7");
        assertThat(tracing.isEnabled("call", exchange)).isTrue();
        SpanBuilder later = tracerProvider.get("test").spanBuilder("call");
        tracing.customize(later, "call", exchange);
        later.startSpan().end();
        assertThat(spans.getFinishedSpanItems().get(0).getAttributes().asMap())
                .isEqualTo(
                        Map.of(AttributeKey.stringKey("item.id"), "item-7", AttributeKey.stringKey("owner.id"), "ada"));
    }

    @Test
    void readsAMapAndLeavesOutAFieldItDoesNotHave() throws Exception {
        exchange.getMessage().setBody(Map.of("id", 42));

        attributes.tag(exchange);

        assertThat(exchange.getProperty("item.id")).isEqualTo("42");
        assertThat(exchange.getProperties()).doesNotContainKey("owner.id");
        assertThat(ExchangeTracing.taggedAttributes(exchange).asMap())
                .containsOnlyKeys(AttributeKey.stringKey("item.id"));
    }

    @Test
    void anUntaggedExchangeCustomizesNoSpan() {
        tracing.tag(exchange, "item.id", null);

        assertThat(tracing.isEnabled("call", exchange)).isFalse();
        assertThat(ExchangeTracing.key(exchange)).isNull();
    }

    @Test
    void aTagFromARouteIsCarriedLikeABodyField() {
        tracing.tag(exchange, "item.id", "item-9");

        assertThat(exchange.getProperty("item.id")).isEqualTo("item-9");
        assertThat(ExchangeTracing.key(exchange)).isEqualTo("item-9");
    }

    @Test
    void refusesAFieldWithoutAnAttribute() {
        assertThatThrownBy(() -> new BodyAttributes("id=item.id,owner")).hasMessageContaining("'owner' is not");
    }
}
