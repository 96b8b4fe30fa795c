package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class ZipkinDependencyLinksTest {

    @Test
    void consumersAreSentAsServersAndEverythingElseAsItIs() {
        InMemorySpanExporter zipkin = InMemorySpanExporter.create();
        sendEachKind(new ZipkinDependencyLinks(zipkin, true));

        assertThat(zipkin.getFinishedSpanItems())
                .extracting(SpanData::getName, SpanData::getKind)
                .containsExactly(
                        tuple("send Purchase", SpanKind.PRODUCER),
                        tuple("process Purchase", SpanKind.SERVER),
                        tuple("INSERT orders", SpanKind.CLIENT),
                        tuple("POST /Message", SpanKind.SERVER),
                        tuple("purchase", SpanKind.INTERNAL));
    }

    @Test
    void consumersStayUnlinkedWhereTheAppSaysSo() {
        InMemorySpanExporter zipkin = InMemorySpanExporter.create();
        sendEachKind(new ZipkinDependencyLinks(zipkin, false));

        assertThat(zipkin.getFinishedSpanItems())
                .extracting(SpanData::getKind)
                .containsExactly(
                        SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.CLIENT, SpanKind.SERVER, SpanKind.INTERNAL);
    }

    static void sendEachKind(ZipkinDependencyLinks exporter) {
        var tracer = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()
                .get("test");
        tracer.spanBuilder("send Purchase")
                .setSpanKind(SpanKind.PRODUCER)
                .startSpan()
                .end();
        tracer.spanBuilder("process Purchase")
                .setSpanKind(SpanKind.CONSUMER)
                .startSpan()
                .end();
        tracer.spanBuilder("INSERT orders")
                .setSpanKind(SpanKind.CLIENT)
                .startSpan()
                .end();
        tracer.spanBuilder("POST /Message")
                .setSpanKind(SpanKind.SERVER)
                .startSpan()
                .end();
        tracer.spanBuilder("purchase")
                .setSpanKind(SpanKind.INTERNAL)
                .startSpan()
                .end();
    }
}
