package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaggageAttributesSpanProcessorTest {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final Tracer tracer = SdkTracerProvider.builder()
            .addSpanProcessor(new BaggageAttributesSpanProcessor(List.of("x-client-id")))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()
            .get("test");

    @Test
    void recordsBaggageOnTheFirstSpanAndCarriesItToLocalChildren() {
        Context extracted = Context.root()
                .with(Baggage.builder()
                        .put("x-client-id", "shop-7")
                        .put("other", "x")
                        .build());
        Span server = tracer.spanBuilder("server").setParent(extracted).startSpan();
        // Camel starts child spans from a context holding only the parent span, without the baggage.
        Span child = tracer.spanBuilder("child")
                .setParent(Context.root().with(server))
                .startSpan();
        child.end();
        server.end();

        assertThat(exporter.getFinishedSpanItems())
                .extracting(SpanData::getName, s -> s.getAttributes().asMap())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "child", java.util.Map.of(AttributeKey.stringKey("x-client-id"), "shop-7")),
                        org.assertj.core.groups.Tuple.tuple(
                                "server", java.util.Map.of(AttributeKey.stringKey("x-client-id"), "shop-7")));
    }

    @Test
    void addsNothingWithoutBaggage() {
        tracer.spanBuilder("plain").startSpan().end();

        assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().isEmpty())
                .isTrue();
    }
}
