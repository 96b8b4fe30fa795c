package io.github.camelotel.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class ZipkinDependencyLinksTest {

    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");

    final InMemorySpanExporter zipkin = InMemorySpanExporter.create();
    final Tracer tracer = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new ZipkinDependencyLinks(zipkin, true)))
            .build().get("test");

    @Test
    void consumersAreLinkedToTheirProducerAndDatabasesAreNamed() {
        span("send Purchase", SpanKind.PRODUCER, Attributes.empty());
        span("process Purchase", SpanKind.CONSUMER, Attributes.empty());
        span("INSERT orders", SpanKind.CLIENT, Attributes.of(ZipkinDependencyLinks.DB_SYSTEM, "postgresql",
                SERVER_ADDRESS, "localhost"));
        span("own name", SpanKind.CLIENT, Attributes.of(ZipkinDependencyLinks.PEER_SERVICE, "orders-db",
                ZipkinDependencyLinks.DB_SYSTEM, "postgresql"));
        span("POST", SpanKind.CLIENT, Attributes.of(SERVER_ADDRESS, "localhost"));
        span("POST /Message", SpanKind.SERVER, Attributes.empty());

        assertThat(zipkin.getFinishedSpanItems()).extracting(SpanData::getName, SpanData::getKind,
                        s -> String.valueOf(s.getAttributes().get(ZipkinDependencyLinks.PEER_SERVICE)))
                .containsExactly(
                        tuple("send Purchase", SpanKind.PRODUCER, "null"),
                        tuple("process Purchase", SpanKind.SERVER, "null"),
                        tuple("INSERT orders", SpanKind.CLIENT, "postgresql"),
                        tuple("own name", SpanKind.CLIENT, "orders-db"),
                        tuple("POST", SpanKind.CLIENT, "null"),
                        tuple("POST /Message", SpanKind.SERVER, "null"));
        assertThat(zipkin.getFinishedSpanItems().get(2).getTotalAttributeCount()).isEqualTo(3);
    }

    @Test
    void consumersStayUnlinkedWhereTheAppSaysSo() {
        InMemorySpanExporter unlinked = InMemorySpanExporter.create();
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new ZipkinDependencyLinks(unlinked, false)))
                .build().get("test").spanBuilder("process PurchaseCompleted").setSpanKind(SpanKind.CONSUMER).startSpan().end();
        assertThat(unlinked.getFinishedSpanItems()).extracting(SpanData::getKind).containsExactly(SpanKind.CONSUMER);
    }

    void span(String name, SpanKind kind, Attributes attributes) {
        tracer.spanBuilder(name).setSpanKind(kind).setAllAttributes(attributes).startSpan().end();
    }
}
