package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Adapts the spans sent to Zipkin (OTLP gets them as they are) so that Zipkin's dependency graph draws the Kafka
 * hops. Zipkin links a CONSUMER span only to a named broker, its remote endpoint, which OpenTelemetry's Zipkin
 * exporter sets on CLIENT and PRODUCER spans only. Sent as a SERVER span, a consumer is linked to the service of the
 * producer above it, the edge the architecture has (app1-api → app2-consumer over topic Purchase). The database,
 * S3 and SMTP calls need nothing here: their spans name the remote side in {@code peer.service}, which the exporter
 * turns into the remote endpoint.
 */
public final class ZipkinDependencyLinks implements SpanExporter {

    private final SpanExporter zipkin;
    private final boolean linkConsumers;

    /** @param linkConsumers false: consumers stay CONSUMER spans, unlinked (platform.tracing.zipkin-links-consumers) */
    public ZipkinDependencyLinks(SpanExporter zipkin, boolean linkConsumers) {
        this.zipkin = zipkin;
        this.linkConsumers = linkConsumers;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        if (!linkConsumers) {
            return zipkin.export(spans);
        }
        List<SpanData> linkable = new ArrayList<>(spans.size());
        spans.forEach(span -> linkable.add(span.getKind() == SpanKind.CONSUMER ? asServer(span) : span));
        return zipkin.export(linkable);
    }

    private static SpanData asServer(SpanData consumer) {
        return new DelegatingSpanData(consumer) {
            @Override
            public SpanKind getKind() {
                return SpanKind.SERVER;
            }
        };
    }

    @Override
    public CompletableResultCode flush() {
        return zipkin.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return zipkin.shutdown();
    }
}
