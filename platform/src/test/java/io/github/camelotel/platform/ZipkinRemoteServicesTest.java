package io.github.camelotel.platform;

import static org.assertj.core.api.Assertions.assertThat;


import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class ZipkinRemoteServicesTest {

    final InMemorySpanExporter zipkin = InMemorySpanExporter.create();
    final Tracer tracer = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new ZipkinRemoteServices(zipkin)))
            .build().get("test");

    @Test
    void namesTheRemoteServiceOfMessagingAndClientSpansThatHaveNone() {
        span("send", SpanKind.PRODUCER, Attributes.of(ZipkinRemoteServices.DESTINATION, "Purchase"));
        span("process", SpanKind.CONSUMER, Attributes.of(ZipkinRemoteServices.DESTINATION, "Purchase"));
        span("INSERT orders", SpanKind.CLIENT, Attributes.of(ZipkinRemoteServices.DB_SYSTEM, "postgresql",
                ZipkinRemoteServices.SERVER_ADDRESS, "localhost"));
        span("smtp send", SpanKind.CLIENT, Attributes.of(ZipkinRemoteServices.SERVER_ADDRESS, "mail.example"));
        span("own name", SpanKind.CLIENT, Attributes.of(ZipkinRemoteServices.PEER_SERVICE, "billing",
                ZipkinRemoteServices.DB_SYSTEM, "redis"));
        span("POST /Message", SpanKind.SERVER, Attributes.of(ZipkinRemoteServices.SERVER_ADDRESS, "localhost"));
        span("direct", SpanKind.CLIENT, Attributes.empty());

        assertThat(zipkin.getFinishedSpanItems()).extracting(SpanData::getName,
                        s -> String.valueOf(s.getAttributes().get(ZipkinRemoteServices.PEER_SERVICE)))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("send", "Purchase"),
                        org.assertj.core.groups.Tuple.tuple("process", "Purchase"),
                        org.assertj.core.groups.Tuple.tuple("INSERT orders", "postgresql"),
                        org.assertj.core.groups.Tuple.tuple("smtp send", "mail.example"),
                        org.assertj.core.groups.Tuple.tuple("own name", "billing"),
                        org.assertj.core.groups.Tuple.tuple("POST /Message", "null"),
                        org.assertj.core.groups.Tuple.tuple("direct", "null"));
        assertThat(zipkin.getFinishedSpanItems().get(0).getTotalAttributeCount()).isEqualTo(2);
    }

    void span(String name, SpanKind kind, Attributes attributes) {
        Span span = tracer.spanBuilder(name).setSpanKind(kind).setAllAttributes(attributes).startSpan();
        span.end();
    }
}
