package io.github.camelotel.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Adapts the spans sent to Zipkin (OTLP gets them as they are) so that Zipkin's dependency graph draws the Kafka hops
 * and the database calls, which it would otherwise leave out:
 * <ul>
 * <li>Zipkin links a CONSUMER span only to a named broker, its remote endpoint, which OpenTelemetry's Zipkin exporter
 *     sets on CLIENT and PRODUCER spans only. Sent as a SERVER span, a consumer is linked to the service of the
 *     producer above it, the edge the architecture has (app1-api → app2-consumer over topic Purchase).</li>
 * <li>Zipkin links a CLIENT span without a server child to its remote endpoint, which the exporter takes from
 *     {@code peer.service} alone: where a database span has none, {@code db.system} names it.</li>
 * </ul>
 */
final class ZipkinDependencyLinks implements SpanExporter {

    static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");

    private final SpanExporter zipkin;
    private final boolean linkConsumers;

    /** @param linkConsumers false: consumers stay CONSUMER spans, unlinked (platform.tracing.zipkin-links-consumers) */
    ZipkinDependencyLinks(SpanExporter zipkin, boolean linkConsumers) {
        this.zipkin = zipkin;
        this.linkConsumers = linkConsumers;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> linkable = new ArrayList<>(spans.size());
        spans.forEach(span -> linkable.add(linkable(span, linkConsumers)));
        return zipkin.export(linkable);
    }

    static SpanData linkable(SpanData span, boolean linkConsumers) {
        Attributes attributes = span.getAttributes();
        if (span.getKind() == SpanKind.CONSUMER && linkConsumers) {
            return new DelegatingSpanData(span) {
                @Override
                public SpanKind getKind() {
                    return SpanKind.SERVER;
                }
            };
        }
        String database = attributes.get(DB_SYSTEM);
        if (span.getKind() != SpanKind.CLIENT || attributes.get(PEER_SERVICE) != null || database == null) {
            return span;
        }
        Attributes named = attributes.toBuilder().put(PEER_SERVICE, database).build();
        return new DelegatingSpanData(span) {
            @Override
            public Attributes getAttributes() {
                return named;
            }

            @Override
            public int getTotalAttributeCount() {
                return span.getTotalAttributeCount() + 1;
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
