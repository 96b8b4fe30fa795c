package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.camelotel.local.SpanSink.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Nothing secret or personal where it does not belong. A demo customer's purchase goes through both paths with the
 * executor's token, the customer reads it back with their own, and refused calls come with a forged and a
 * wrong-scope token; then no app log file, no line the apps shipped to "Loki", no span (name, attribute or event),
 * no metric and no Kafka record header of the whole run holds an access token, a client secret, the demo password, or a demo
 * customer's e-mail address or name. The purchase itself carries the name and address in its payload, where they
 * belong (the order, the invoice, the mail).
 */
class NoSecretsIT {

    /** Every demo customer as load-engine's Purchases makes them: name and e-mail address. */
    static final Map<String, String> CUSTOMERS = Map.of(
            "Ada Lovelace", "ada.lovelace@example.com",
            "Grace Hopper", "grace.hopper@example.com",
            "Alan Turing", "alan.turing@example.com",
            "Edsger Dijkstra", "edsger.dijkstra@example.com");
    /** The shape of any JWT (a header and a payload, each a base64url JSON object). */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void noTokenSecretOrPersonalDataInLogsSpansOrRecordHeaders() throws Exception {
        LocalStack stack = SharedStack.get();
        String orderId = "no-secrets-" + UUID.randomUUID();
        String purchase = """
                {"orderId": "%s", "customerId": "C-1001", "customerName": "Ada Lovelace",
                 "customerEmail": "ada.lovelace@example.com", "currency": "EUR",
                 "items": [{"sku": "SKU-1", "name": "Coffee", "quantity": 1, "unitPrice": 3.5}]}
                """.formatted(orderId);
        int app1 = stack.ports().app1();
        int app3 = stack.ports().app3();
        String customer = "Bearer " + stack.tokens().customerToken("C-1001");

        assertThat(call(app1, "POST", "/Message", purchase, Bearer.executor(stack))
                        .statusCode())
                .isEqualTo(201);
        assertThat(call(app1, "POST", "/Message/Post-Message", purchase, Bearer.executor(stack))
                        .statusCode())
                .isEqualTo(202);
        await("order " + orderId + " paid")
                .atMost(Duration.ofMinutes(1))
                .until(
                        () -> call(app3, "GET", "/orders/" + orderId, null, customer)
                                .body(),
                        b -> b.contains("PAID"));
        assertThat(call(app3, "POST", "/PostMessage", purchase, customer).statusCode())
                .isEqualTo(403);
        assertThat(call(app3, "GET", "/orders/" + orderId, null, customer + "forged")
                        .statusCode())
                .isEqualTo(401);
        await("app4-worker's span of order " + orderId)
                .atMost(Duration.ofSeconds(30))
                .until(() -> stack.spanSink().spans().stream()
                        .anyMatch(s -> s.service().equals("app4-worker")
                                && orderId.equals(s.attributes().get("order.id"))));

        List<String> secrets = new ArrayList<>();
        AuthServer.CLIENTS.forEach(client -> secrets.add(stack.auth().secret(client)));
        secrets.add(stack.auth().customerPassword());
        secrets.add(customer.substring("Bearer ".length()));
        List<String> personal = Stream.concat(CUSTOMERS.keySet().stream(), CUSTOMERS.values().stream())
                .toList();
        Map<String, List<String>> places = Map.of(
                "app log files",
                logLines(),
                "lines shipped to Loki",
                SharedStack.loki().entries().stream()
                        .map(LokiPushSink.Entry::line)
                        .toList(),
                "spans",
                spans(stack),
                "Kafka record headers",
                recordHeaders(stack));

        SoftAssertions.assertSoftly(softly -> places.forEach((place, texts) -> {
            softly.assertThat(texts).as("%s: read", place).isNotEmpty();
            for (String text : texts) {
                softly.assertThat(JWT.matcher(text).find())
                        .as("%s: an access token in %s", place, text)
                        .isFalse();
                for (String secret : secrets) {
                    softly.assertThat(text).as("%s: a secret", place).doesNotContain(secret);
                }
                for (String data : personal) {
                    softly.assertThat(text).as("%s: personal data", place).doesNotContain(data);
                }
            }
        }));
    }

    static HttpResponse<String> call(int port, String method, String path, String body, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", authorization)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every line of every app's log file of the shared stack. */
    static List<String> logLines() throws Exception {
        Path logs = Path.of(System.getProperty("project.root", ".."))
                .toAbsolutePath()
                .normalize()
                .resolve("local/target/it-logs");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /** Every app's /actuator/prometheus, line by line. */
    static List<String> metrics(LocalStack stack) throws Exception {
        List<String> lines = new ArrayList<>();
        for (App app : App.values()) {
            lines.addAll(call(stack.ports().of(app), "GET", "/actuator/prometheus", null, Bearer.prometheus(stack))
                    .body()
                    .lines()
                    .toList());
        }
        return lines;
    }

    /** Every span received, as its name, attributes and events. */
    static List<String> spans(LocalStack stack) {
        return stack.spanSink().spans().stream()
                .map(ReceivedSpan.class::cast)
                .map(s -> s.name() + " " + s.attributes() + " " + s.events())
                .toList();
    }

    /** Every header of every record on every topic up to now, as key=value. */
    static List<String> recordHeaders(LocalStack stack) {
        Properties config = new Properties();
        config.put(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafkaBootstrapServers());
        List<String> headers = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = Infrastructure.TOPICS.stream()
                    .flatMap(topic -> consumer.partitionsFor(topic).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await("every record up to " + ends).atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    for (Header header : record.headers()) {
                        byte[] value = header.value();
                        headers.add(
                                header.key() + "=" + (value == null ? "" : new String(value, StandardCharsets.UTF_8)));
                    }
                }
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        }
        return headers;
    }
}
