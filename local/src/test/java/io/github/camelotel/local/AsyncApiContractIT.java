package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
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
 * What the apps publish matches routes/common/asyncapi.yaml, read back from the shared stack's broker: one purchase
 * sent to app1 as a client would (its records on Purchase, Purchase2 and PurchaseCompleted), and one poison record
 * per consumer (its dead letter on each .DLT topic). Each record's key, headers and payload must match its channel's
 * message: no undeclared header, the required ones present, every value matching its schema, the key equal to the
 * payload's orderId. Only this test's records are checked (by key), so other tests' replays and poison records on
 * the shared topics do not count.
 */
class AsyncApiContractIT {

    static final Duration FLOW_TIMEOUT = Duration.ofMinutes(2);
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRecordsTheAppsPublishMatchTheAsyncApiDocument() throws Exception {
        LocalStack stack = SharedStack.get();
        AsyncApi asyncApi = AsyncApi.load();
        PurchaseRun run = new PurchaseRun("asyncapi", stack);
        String orderId = run.orderIds(1).get(0);
        // the dead letters keep key and value, so each must come back exactly as sent
        Map<String, ProducerRecord<String, String>> poison = Map.of(
                "Purchase.DLT",
                        poison(
                                "Purchase",
                                run.run + "-not-a-purchase",
                                "{\"orderId\": \"%s\", \"items\": \"not a list\""),
                "Purchase2.DLT", poison("Purchase2", run.run + "-bad-address", """
                        {"orderId": "%s", "customerId": "C-7", "customerName": "Test Customer", "customerEmail": "no address",
                         "currency": "EUR", "items": [{"sku": "SKU-1", "name": "Banana", "quantity": 1, "unitPrice": 0.5}],
                         "total": 0.5, "status": "PAID", "createdAt": "2026-12-04T07:15:00+00:00", "paidAt": "2026-12-04T07:15:01+00:00"}"""),
                "PurchaseCompleted.DLT", poison("PurchaseCompleted", run.run + "-not-json", "not json: %s"));
        Map<String, String> expectedKeys =
                new LinkedHashMap<>(Map.of("Purchase", orderId, "Purchase2", orderId, "PurchaseCompleted", orderId));
        poison.forEach((deadLetterTopic, record) -> expectedKeys.put(deadLetterTopic, record.key()));

        Map<String, ConsumerRecord<String, String>> published = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer(stack, expectedKeys.keySet())) {
            run.sendUntilAccepted(orderId);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", stack.infrastructure().kafkaBootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (ProducerRecord<String, String> record : poison.values()) {
                    producer.send(record).get();
                }
            }
            // in this thread: a Kafka consumer is not for several threads
            await().atMost(FLOW_TIMEOUT).pollInSameThread().ignoreExceptions().untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key() != null && record.key().equals(expectedKeys.get(record.topic()))) {
                        published.putIfAbsent(record.topic(), record);
                    }
                }
                assertThat(published.keySet())
                        .as("topics with this test's record so far")
                        .containsAll(expectedKeys.keySet());
            });
        }

        List<String> violations = new ArrayList<>();
        for (ConsumerRecord<String, String> record : published.values()) {
            System.out.printf(
                    "%s key=%s headers=%s%n",
                    record.topic(),
                    record.key(),
                    Arrays.stream(record.headers().toArray()).map(Header::key).toList());
            violations.addAll(violations(asyncApi, record));
        }
        assertThat(violations).as("records that do not match " + AsyncApi.FILE).isEmpty();
        poison.forEach((deadLetterTopic, sent) -> assertThat(
                        published.get(deadLetterTopic).value())
                .as("payload of the dead letter on " + deadLetterTopic)
                .isEqualTo(sent.value()));
    }

    /** What is wrong with the record by its channel's message in the document; empty when it matches. */
    static List<String> violations(AsyncApi asyncApi, ConsumerRecord<String, String> record) {
        String where = record.topic() + " record (key " + record.key() + ", offset " + record.offset() + ") ";
        String message = asyncApi.message(record.topic());
        if (message == null) {
            return List.of(where + "is on a topic the document has no channel for");
        }
        List<String> violations = new ArrayList<>();
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (Header header : record.headers()) {
            if (headers.has(header.key())) {
                violations.add(where + "has header " + header.key() + " more than once");
            }
            headers.put(
                    header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        asyncApi.violations(message + "/headers", headers)
                .forEach(v -> violations.add(where + "headers "
                        + headers.properties().stream().map(Map.Entry::getKey).toList() + ": " + v));

        JsonNode payload = parse(record.value());
        asyncApi.violations(message + "/payload", payload).forEach(v -> violations.add(where + "payload: " + v));

        if (record.key() == null) {
            violations.add(where + "has no key");
        } else {
            asyncApi.violations(message + "/bindings/kafka/key", JsonNodeFactory.instance.textNode(record.key()))
                    .forEach(v -> violations.add(where + "key: " + v));
            if (payload.has("orderId") && !payload.get("orderId").asText().equals(record.key())) {
                violations.add(where + "has a key other than the payload's orderId " + payload.get("orderId"));
            }
        }
        return violations;
    }

    /** The value as JSON, or as a JSON string when it is not JSON (a payload schema that wants JSON then says so). */
    static JsonNode parse(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception notJson) {
            return JsonNodeFactory.instance.textNode(value);
        }
    }

    /** A record its consumer must dead-letter at once, with a trace context so its dead letter has one to continue. */
    static ProducerRecord<String, String> poison(String topic, String key, String payloadFormat) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, payloadFormat.formatted(key));
        String traceparent = "00-" + HexFormat.of().formatHex(DeadLetterIT.randomBytes(16)) + "-"
                + HexFormat.of().formatHex(DeadLetterIT.randomBytes(8)) + "-01";
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /**
     * Subscribed before anything is sent, from the start of each topic. PurchaseCompleted.DLT may not exist yet: the
     * broker creates it for this subscription, and the short metadata age lets the consumer see it soon either way.
     */
    static KafkaConsumer<String, String> consumer(LocalStack stack, Collection<String> topics) {
        Properties config = new Properties();
        config.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "asyncapi-contract-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.copyOf(topics));
        return consumer;
    }
}
