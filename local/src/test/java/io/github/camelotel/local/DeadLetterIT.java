package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.camelotel.local.SpanSink.ReceivedSpan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A poison message on topic Purchase (not a purchase at all) ends as a dead letter on Purchase.DLT: original payload
 * and key, the error, the attempt count and the trace context, and the trace shows app2's failed consumer span
 * with the dead letter sent from it.
 */
class DeadLetterIT {

    @Test
    void aPoisonMessageBecomesADeadLetterInItsOwnTrace() throws Exception {
        LocalStack stack = SharedStack.get();
        String key = "poison-" + UUID.randomUUID();
        String payload = "{\"orderId\": \"" + key + "\", \"items\": \"not a list\"";
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", stack.infrastructure().kafkaBootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            ProducerRecord<String, String> poison = new ProducerRecord<>("Purchase", key, payload);
            poison.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            producer.send(poison).get();
        }

        ConsumerRecord<String, String> deadLetter = await("the dead letter of " + key + " on Purchase.DLT")
                .atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .until(() -> readDeadLetter(stack, key), Objects::nonNull);
        Map<String, String> headers = StreamSupport.stream(deadLetter.headers().spliterator(), false)
                .collect(
                        Collectors.toMap(Header::key, h -> new String(h.value(), StandardCharsets.UTF_8), (a, b) -> b));
        assertThat(deadLetter.value()).as("the original payload").isEqualTo(payload);
        assertThat(headers)
                .containsEntry("dead-letter-attempts", "1")
                .containsEntry("dead-letter-app", "app2-consumer")
                .hasEntrySatisfying(
                        "dead-letter-error", error -> assertThat(error).contains("JsonValidationException"))
                .hasEntrySatisfying(
                        "traceparent", context -> assertThat(context).startsWith("00-" + traceId + "-"));

        List<ReceivedSpan> trace = await("trace " + traceId + " with the dead letter's PRODUCER span")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> stack.spanSink().trace(traceId),
                        spans -> spans.stream().anyMatch(s -> s.kind().equals("PRODUCER")));
        ReceivedSpan consumed = trace.stream()
                .filter(s -> s.service().equals("app2-consumer") && s.kind().equals("CONSUMER"))
                .findFirst()
                .orElseThrow();
        assertThat(consumed.status()).isEqualTo("ERROR");
        assertThat(consumed.events()).contains("exception");
        assertThat(trace)
                .as("the dead letter is sent within the failed consumption")
                .anyMatch(s -> s.kind().equals("PRODUCER")
                        && s.service().equals("app2-consumer")
                        && s.parentSpanId().equals(consumed.spanId()));
    }

    static ConsumerRecord<String, String> readDeadLetter(LocalStack stack, String key) {
        Properties config = new Properties();
        config.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("Purchase.DLT"));
            for (int poll = 0; poll < 5; poll++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        return null;
    }

    static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
