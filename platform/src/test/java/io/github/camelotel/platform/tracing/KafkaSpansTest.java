package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A record sent to Kafka (a mock producer) is a PRODUCER span named by the topic, with its key. */
class KafkaSpansTest extends TracedCamel {

    @Test
    void aSentRecordIsAProducerSpanWithTopicAndKey() throws Exception {
        KafkaComponent kafka = new KafkaComponent();
        kafka.setKafkaClientFactory(new DefaultKafkaClientFactory() {
            @Override
            public Producer getProducer(Properties properties) {
                return new MockProducer<>(true, new StringSerializer(), new StringSerializer());
            }
        });
        kafka.getConfiguration().setBrokers("localhost:1");
        camel.addComponent("kafka", kafka);
        trace(new MockEnvironment());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:once?repeatCount=1")
                        .routeId("publish")
                        .setBody(constant("{}"))
                        .setHeader("kafka.KEY", constant("order-1"))
                        .to("kafka:Purchase");
            }
        });
        camel.start();
        // the mock producer completes on the sending thread, and the span ends just after
        SpanData sent = await("span send Purchase")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getName().equals("send Purchase"))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();

        assertThat(sent.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(sent.getAttributes().asMap())
                .containsEntry(AttributeKey.stringKey("messaging.system"), "kafka")
                .containsEntry(AttributeKey.stringKey("messaging.destination.name"), "Purchase")
                .containsEntry(AttributeKey.stringKey("messaging.operation.type"), "send")
                .containsEntry(AttributeKey.stringKey("messaging.kafka.message.key"), "order-1");
        // camel-kafka leaves the record's partition and offset on a message the decorator does not get to see
        assertThat(sent.getAttributes().asMap()).doesNotContainKey(AttributeKey.stringKey("messaging.kafka.offset"));
    }
}
