package io.github.camelotel.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Names the remote side of a span for the Zipkin exporter, so Zipkin's dependency graph draws the Kafka hops and the
 * calls to databases. Zipkin links a PRODUCER or CONSUMER span only through its remote service (the broker node
 * between producer and consumer), and a CLIENT span without a server child only to its remote service; OpenTelemetry's
 * Zipkin exporter takes that name from {@code peer.service} alone. Where a span has none, this sets it for the
 * Zipkin export only (OTLP gets the spans as they are): the topic ({@code messaging.destination.name}) for messaging
 * spans, so the graph reads app1-api → Purchase → app2-consumer; the database ({@code db.system}) or else
 * {@code server.address} for client spans.
 */
final class ZipkinRemoteServices implements SpanExporter {

    static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");

    private final SpanExporter zipkin;

    ZipkinRemoteServices(SpanExporter zipkin) {
        this.zipkin = zipkin;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> named = new ArrayList<>(spans.size());
        spans.forEach(span -> named.add(withRemoteService(span)));
        return zipkin.export(named);
    }

    static SpanData withRemoteService(SpanData span) {
        Attributes attributes = span.getAttributes();
        if (attributes.get(PEER_SERVICE) != null) {
            return span;
        }
        String remote = switch (span.getKind()) {
            case PRODUCER, CONSUMER -> attributes.get(DESTINATION);
            case CLIENT -> attributes.get(DB_SYSTEM) != null ? attributes.get(DB_SYSTEM) : attributes.get(SERVER_ADDRESS);
            default -> null;
        };
        if (remote == null || remote.isBlank()) {
            return span;
        }
        Attributes named = attributes.toBuilder().put(PEER_SERVICE, remote).build();
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
