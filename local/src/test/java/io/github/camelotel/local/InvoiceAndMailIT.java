package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.local.SpanSink.ReceivedSpan;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Step 7 of a purchase against real servers: app4-worker stores each paid order's HTML invoice in the S3 server
 * (bucket invoices) and mails it to the customer through the SMTP server, once per order even when the Purchase2
 * message is replayed, and the S3, SMTP and Redis calls are spans of the purchase's trace with the order id.
 */
class InvoiceAndMailIT {

    static final Duration FLOW_TIMEOUT = Duration.ofMinutes(2);
    static final Pattern SUBJECT = Pattern.compile("Your invoice for order (\\S+)");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.get();
    }

    @Test
    void everyPaidPurchaseHasItsInvoiceStoredAndOneMailWithItInThePurchasesTrace() throws Exception {
        Set<String> earlier = mailedOrders();
        List<String> orders = await("3 orders mailed from now on")
                .atMost(FLOW_TIMEOUT)
                .ignoreExceptions()
                .until(() -> newlyMailedOrders(earlier, 3), Objects::nonNull);

        for (String orderId : orders) {
            JsonNode order = order(orderId);
            String total = order.get("total")
                    .decimalValue()
                    .setScale(2, RoundingMode.HALF_UP)
                    .toPlainString();

            HttpResponse<String> stored = invoice(orderId);
            assertThat(stored.statusCode()).as("invoice of " + orderId).isEqualTo(200);
            assertThat(stored.headers().firstValue("Content-Type"))
                    .get()
                    .asString()
                    .startsWith("text/html");
            String invoice = stored.body();
            assertThat(invoice)
                    .contains(
                            "Invoice for order " + orderId,
                            order.get("customerName").asText(),
                            ">" + total + "<",
                            "Total (" + order.get("currency").asText() + ")");
            for (JsonNode item : order.get("items")) {
                BigDecimal lineTotal = item.get("unitPrice")
                        .decimalValue()
                        .multiply(BigDecimal.valueOf(item.get("quantity").asInt()));
                assertThat(invoice)
                        .contains(
                                item.get("name").asText(),
                                lineTotal.setScale(2, RoundingMode.HALF_UP).toPlainString());
            }

            MimeMessage mail = onlyMailAbout(orderId);
            assertThat(mail.getRecipients(Message.RecipientType.TO))
                    .extracting(Object::toString)
                    .containsExactly(order.get("customerEmail").asText());
            assertThat(mail.getSubject()).isEqualTo("Your invoice for order " + orderId);
            assertThat(headerNames(mail))
                    .as("headers of the mail about " + orderId)
                    .doesNotContain("traceparent", "baggage", "kafka.KEY", "x-client-id", "x-session-id")
                    .noneMatch(name -> name.startsWith("Camel") || name.startsWith("kafka."));
            Part attachment = attachment(mail);
            assertThat(attachment.getFileName()).isEqualTo("invoice-" + orderId + ".html");
            assertThat(new String(attachment.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .replace("\r\n", "\n"))
                    .as("the attached invoice is the stored one")
                    .isEqualTo(invoice);
            assertThat(bodies(mail)).as("plain-text and HTML bodies").containsKeys("text/plain", "text/html");
            assertThat(bodies(mail).get("text/plain")).contains(orderId, total);

            assertStoreAndMailAreSpansOfThePurchasesTrace(orderId);
        }
    }

    @Test
    void aReplayedPurchase2MessageStoresNoSecondInvoiceAndSendsNoSecondMail() throws Exception {
        Set<String> earlier = mailedOrders();
        String orderId = await("an order mailed from now on")
                .atMost(FLOW_TIMEOUT)
                .ignoreExceptions()
                .until(() -> newlyMailedOrders(earlier, 1), Objects::nonNull)
                .get(0);
        HttpResponse<String> before = invoice(orderId);
        assertThat(before.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(consumerSpans(orderId))
                        .as("app4's deliveries of " + orderId)
                        .isOne());

        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(
                            "Purchase2", orderId, order(orderId).toString()))
                    .get();
        }

        // the replay was consumed, and both steps found their key in Redis
        await().atMost(FLOW_TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(consumerSpans(orderId)).as("the delivery and the replay").isEqualTo(2);
            assertThat(app4Spans(orderId).stream()
                            .filter(s -> s.name().equals("GET")
                                    && "true".equals(s.attributes().get("idempotency.duplicate")))
                            .map(s -> s.attributes().get("idempotency.key")))
                    .containsExactlyInAnyOrder("invoice:" + orderId, "mail:" + orderId);
        });
        onlyMailAbout(orderId); // fails unless there is still exactly one: the replay sent none
        HttpResponse<String> after = invoice(orderId);
        assertThat(after.body()).isEqualTo(before.body());
        assertThat(after.headers().firstValue("Last-Modified"))
                .isEqualTo(before.headers().firstValue("Last-Modified"));
        assertThat(after.headers().firstValue("ETag"))
                .isEqualTo(before.headers().firstValue("ETag"));
        assertThat(app4Spans(orderId).stream().filter(InvoiceAndMailIT::isS3).count())
                .as("S3 calls")
                .isEqualTo(1);
        assertThat(app4Spans(orderId).stream().filter(InvoiceAndMailIT::isSmtp).count())
                .as("SMTP calls")
                .isEqualTo(1);
    }

    /** The S3 put, the SMTP send and the idempotency look-ups and marks: app4-worker spans of the one trace. */
    static void assertStoreAndMailAreSpansOfThePurchasesTrace(String orderId) throws Exception {
        AtomicReference<List<ReceivedSpan>> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<ReceivedSpan> consumer = app4Spans(orderId).stream()
                    .filter(s -> s.kind().equals("CONSUMER"))
                    .toList();
            assertThat(consumer).hasSize(1);
            List<ReceivedSpan> spans = stack.spanSink().trace(consumer.get(0).traceId());
            assertThat(spans)
                    .as(describe(spans))
                    .anyMatch(InvoiceAndMailIT::isS3)
                    .anyMatch(InvoiceAndMailIT::isSmtp);
            found.set(spans);
        });
        List<ReceivedSpan> trace = found.get();
        assertThat(trace)
                .as("the trace starts at the executor")
                .anyMatch(s -> s.isRoot() && s.service().equals("executor"));
        List<ReceivedSpan> app4 =
                trace.stream().filter(s -> s.service().equals("app4-worker")).toList();
        System.out.printf("app4-worker's spans of order %s:%s%n", orderId, describe(app4));
        Set<String> ids = new LinkedHashSet<>();
        trace.forEach(s -> ids.add(s.spanId()));
        for (ReceivedSpan span : app4) {
            assertThat(span.attributes().get("order.id"))
                    .as("order.id on " + span.name())
                    .isEqualTo(orderId);
            assertThat(span.isRoot() || ids.contains(span.parentSpanId()))
                    .as("parent of " + span.name() + " in the trace")
                    .isTrue();
        }
        assertThat(app4.stream().filter(InvoiceAndMailIT::isS3))
                .singleElement()
                .satisfies(s -> assertThat(s.status()).isNotEqualTo("ERROR"));
        assertThat(app4.stream().filter(InvoiceAndMailIT::isSmtp))
                .singleElement()
                .satisfies(s -> assertThat(s.status()).isNotEqualTo("ERROR"));
        assertThat(app4.stream()
                        .filter(s -> s.attributes().containsKey("idempotency.key"))
                        .map(s -> s.name() + " " + s.attributes().get("idempotency.key")))
                .contains(
                        "GET invoice:" + orderId,
                        "SET invoice:" + orderId,
                        "GET mail:" + orderId,
                        "SET mail:" + orderId);
        assertThat(app4)
                .filteredOn(s -> "redis".equals(s.attributes().get("db.system")))
                .allMatch(s -> s.kind().equals("CLIENT")
                        && List.of("GET", "SET", "SETEX").contains(s.name()));
    }

    /** The platform's span decorators name these calls (PutObject invoices, smtp send) and their peer. */
    static boolean isS3(ReceivedSpan span) {
        return span.kind().equals("CLIENT") && "s3".equals(span.attributes().get("peer.service"));
    }

    static boolean isSmtp(ReceivedSpan span) {
        return span.kind().equals("CLIENT") && "smtp".equals(span.attributes().get("peer.service"));
    }

    static String describe(List<ReceivedSpan> spans) {
        StringBuilder text = new StringBuilder();
        spans.forEach(s -> text.append('\n')
                .append(s.service())
                .append(' ')
                .append(s.kind())
                .append(' ')
                .append(s.name())
                .append(' ')
                .append(s.attributes()));
        return text.toString();
    }

    /** The orders whose mail arrived so far. */
    static Set<String> mailedOrders() {
        Set<String> orders = new LinkedHashSet<>();
        for (MimeMessage mail : stack.infrastructure().mail().received()) {
            Matcher subject = SUBJECT.matcher(subjectOf(mail));
            if (subject.matches()) {
                orders.add(subject.group(1));
            }
        }
        return orders;
    }

    /**
     * {@code count} orders mailed since {@code earlier} was taken, once there are that many: purchases of this test
     * only, whatever other tests sharing the stack did before (injected faults, restarts, replays).
     */
    static List<String> newlyMailedOrders(Set<String> earlier, int count) {
        Set<String> orders = mailedOrders();
        orders.removeAll(earlier);
        return orders.size() >= count ? new ArrayList<>(orders).subList(0, count) : null;
    }

    static MimeMessage onlyMailAbout(String orderId) {
        List<MimeMessage> mails = stack.infrastructure().mail().received().stream()
                .filter(m -> subjectOf(m).contains(orderId))
                .toList();
        assertThat(mails).as("mails about order " + orderId).hasSize(1);
        return mails.get(0);
    }

    static List<ReceivedSpan> app4Spans(String orderId) {
        return stack.spanSink().spans().stream()
                .filter(s -> s.service().equals("app4-worker")
                        && orderId.equals(s.attributes().get("order.id")))
                .toList();
    }

    /** How often app4-worker consumed a Purchase2 message of the order. */
    static long consumerSpans(String orderId) {
        return app4Spans(orderId).stream()
                .filter(s -> s.kind().equals("CONSUMER"))
                .count();
    }

    static JsonNode order(String orderId) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + stack.ports().app3() + "/orders/" + orderId))
                        .header("Authorization", Bearer.backOffice(stack))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /orders/" + orderId).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> invoice(String orderId) throws IOException, InterruptedException {
        URI object = URI.create(
                stack.infrastructure().s3Endpoint() + "/" + Infrastructure.INVOICES_BUCKET + "/" + orderId + ".html");
        return HTTP.send(
                HttpRequest.newBuilder(object).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.infrastructure().kafkaBootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static String subjectOf(MimeMessage mail) {
        try {
            return String.valueOf(mail.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> headerNames(MimeMessage mail) throws Exception {
        List<String> names = new ArrayList<>();
        for (Header header : Collections.list(mail.getAllHeaders())) {
            names.add(header.getName());
        }
        return names;
    }

    /** The body parts that are not attachments, by MIME type (text/plain, text/html). */
    static Map<String, String> bodies(Part part) throws Exception {
        Map<String, String> bodies = new java.util.HashMap<>();
        for (Part leaf : leaves(part)) {
            if (!Part.ATTACHMENT.equalsIgnoreCase(leaf.getDisposition())) {
                bodies.put(
                        leaf.getContentType().replaceAll(";.*", "").trim().toLowerCase(),
                        leaf.getContent().toString());
            }
        }
        return bodies;
    }

    static Part attachment(Part part) throws Exception {
        for (Part leaf : leaves(part)) {
            if (Part.ATTACHMENT.equalsIgnoreCase(leaf.getDisposition())) {
                return leaf;
            }
        }
        throw new AssertionError("no attachment");
    }

    static List<Part> leaves(Part part) throws Exception {
        List<Part> leaves = new ArrayList<>();
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                leaves.addAll(leaves(multipart.getBodyPart(i)));
            }
        } else {
            leaves.add(part);
        }
        return leaves;
    }
}
