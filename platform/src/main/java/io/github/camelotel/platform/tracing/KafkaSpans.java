package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.trace.Span;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.tracing.ExtractAdapter;
import org.apache.camel.tracing.InjectAdapter;
import org.apache.camel.tracing.SpanKind;
import org.apache.camel.tracing.propagation.CamelMessagingHeadersExtractAdapter;
import org.apache.camel.tracing.propagation.CamelMessagingHeadersInjectAdapter;

/**
 * Kafka by the messaging semantic conventions: PRODUCER span {@code send {topic}} for a record sent, CONSUMER span
 * {@code process {topic}} for the route that handles a record, with {@code messaging.system} kafka,
 * {@code messaging.destination.name}, {@code messaging.operation.type} and the record key; the consumer span also
 * the partition, the offset and the consumer group. (The producer span has no partition or offset: the message
 * Camel's tracer hands the decorator when the send is done is not the one camel-kafka put the record metadata on;
 * KafkaSpansTest shows it.) The trace context travels in the record's headers, as with Camel's decorator.
 */
final class KafkaSpans extends ShapedSpanDecorator {

    KafkaSpans() {
        super("kafka", "org.apache.camel.component.kafka.KafkaComponent");
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return (receiving(exchange, endpoint) ? "process " : "send ") + topic(exchange, endpoint);
    }

    @Override
    void describe(Span span, Exchange exchange, Endpoint endpoint) {
        boolean receiving = receiving(exchange, endpoint);
        span.setAttribute("messaging.system", "kafka");
        span.setAttribute("messaging.destination.name", topic(exchange, endpoint));
        span.setAttribute("messaging.operation.type", receiving ? "process" : "send");
        span.setAttribute("messaging.operation.name", receiving ? "process" : "send");
        String key = exchange.getIn().getHeader(KafkaConstants.KEY, String.class);
        if (key != null) {
            span.setAttribute("messaging.kafka.message.key", key);
        }
        if (receiving) {
            Integer partition = exchange.getIn().getHeader(KafkaConstants.PARTITION, Integer.class);
            if (partition != null) {
                span.setAttribute("messaging.destination.partition.id", String.valueOf(partition));
            }
            Long offset = exchange.getIn().getHeader(KafkaConstants.OFFSET, Long.class);
            if (offset != null) {
                span.setAttribute("messaging.kafka.offset", offset);
            }
            if (endpoint instanceof KafkaEndpoint kafka
                    && kafka.getConfiguration().getGroupId() != null) {
                span.setAttribute(
                        "messaging.consumer.group.name",
                        kafka.getConfiguration().getGroupId());
            }
        }
    }

    private static String topic(Exchange exchange, Endpoint endpoint) {
        String topic = receiving(exchange, endpoint)
                ? null
                : exchange.getIn().getHeader(KafkaConstants.OVERRIDE_TOPIC, String.class);
        if (topic == null && endpoint instanceof KafkaEndpoint kafka) {
            topic = kafka.getConfiguration().getTopic();
        }
        return topic == null ? stripSchemeAndOptions(endpoint) : topic;
    }

    @Override
    public SpanKind getInitiatorSpanKind() {
        return SpanKind.PRODUCER;
    }

    @Override
    public SpanKind getReceiverSpanKind() {
        return SpanKind.CONSUMER;
    }

    @Override
    public ExtractAdapter getExtractAdapter(Map<String, Object> map, boolean encoding) {
        return new CamelMessagingHeadersExtractAdapter(map, encoding);
    }

    @Override
    public InjectAdapter getInjectAdapter(Map<String, Object> map, boolean encoding) {
        return new CamelMessagingHeadersInjectAdapter(map, encoding);
    }
}
