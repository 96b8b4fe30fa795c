package io.github.camelotel.app4;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.minio.PutObjectArgs;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.MockEndpointsAndSkip;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.embedded.RedisServer;

/**
 * app4-worker's Purchase2 flow against a real Redis (idempotency keys) and a real SMTP server (GreenMail), with
 * Kafka and MinIO replaced by endpoints of the test: what the invoice says and how it is escaped, which headers
 * reach the mail, and that each step runs once per order whatever is redelivered.
 */
@CamelSpringBootTest
@SpringBootTest(properties = "logging.level.org.apache.kafka=ERROR") // the mocked Kafka endpoints find no broker
@UseAdviceWith
@MockEndpointsAndSkip("kafka:*")
class CompleteOrderRouteTest {

    static final int REDIS_PORT = freePort();
    static final int SMTP_PORT = freePort();
    static final RedisServer REDIS = startRedis();
    static final GreenMail SMTP = startSmtp();
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    /** How many of the next sends to the SMTP server fail as if it were down. */
    static final AtomicInteger SMTP_OUTAGES = new AtomicInteger();

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @Autowired
    StringRedisTemplate redis;

    @EndpointInject("mock:minio")
    MockEndpoint minio;

    @EndpointInject("mock:kafka:dead-letters")
    MockEndpoint deadLetters;

    @EndpointInject("mock:kafka:PurchaseCompleted")
    MockEndpoint completions;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.port", () -> REDIS_PORT);
        registry.add("smtp.port", () -> SMTP_PORT);
    }

    @TestConfiguration
    static class CollectSpans {
        /** The platform adds every SpanProcessor bean to the app's tracer provider. */
        @Bean
        SpanProcessor collectSpans() {
            return SimpleSpanProcessor.create(SPANS);
        }
    }

    @BeforeEach
    void replaceKafkaAndMinio() throws Exception {
        SMTP.purgeEmailFromAllMailboxes();
        SMTP_OUTAGES.set(0);
        if (camel.isStarted()) {
            MockEndpoint.resetMocks(camel);
            return;
        }
        AdviceWith.adviceWith(camel, "complete-order", route -> route.replaceFromWith("direct:purchase2"));
        AdviceWith.adviceWith(
                camel,
                "store-invoice",
                route -> route.weaveByToUri("minio:*").replace().to("mock:minio"));
        AdviceWith.adviceWith(
                camel,
                "mail-invoice",
                route -> route.weaveByToUri("smtp:*").before().process(e -> {
                    if (SMTP_OUTAGES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new ConnectException("Connection refused (the test's SMTP outage)");
                    }
                }));
        camel.start();
    }

    @AfterAll
    static void stopServers() throws IOException {
        SMTP.stop();
        REDIS.stop();
    }

    @Test
    void storesAnEscapedInvoiceAndMailsItOnceHoweverOftenTheOrderComes() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        minio.expectedMessageCount(1);

        process(order(orderId, "ada@example.com"));

        minio.assertIsSatisfied();
        PutObjectArgs put = minio.getExchanges()
                .get(0)
                .getMessage()
                .getBody(PutObjectArgs.Builder.class)
                .build();
        assertThat(put.bucket()).isEqualTo("invoices");
        assertThat(put.object()).isEqualTo(orderId + ".html");
        assertThat(put.contentType()).isEqualTo("text/html; charset=UTF-8");
        String invoice = new String(put.stream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(invoice)
                .contains(
                        "<title>Invoice for order " + orderId + "</title>",
                        "Date 2025-11-22",
                        "Ada O&#39;Brien &amp; Co",
                        "Mug &lt;b&gt;large&lt;/b&gt;",
                        ">2<",
                        ">9.50<",
                        ">19.00<",
                        ">18.90<",
                        ">37.90<",
                        "Total (EUR)");
        assertThat(invoice).doesNotContain("<b>large</b>", "O'Brien & Co");

        MimeMessage mail = onlyMail();
        assertThat(mail.getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly("ada@example.com");
        assertThat(mail.getSubject()).isEqualTo("Your invoice for order " + orderId);
        assertThat(mail.getFrom()[0].toString()).contains("invoices@example.com");
        List<String> headers = new ArrayList<>();
        for (Header header : Collections.list(mail.getAllHeaders())) {
            headers.add(header.getName());
        }
        assertThat(headers)
                .as("nothing from Kafka, Camel or the tracer leaks into the mail")
                .allMatch(name -> List.of(
                                "Return-Path",
                                "Received",
                                "Date",
                                "From",
                                "To",
                                "Message-ID",
                                "Subject",
                                "MIME-Version",
                                "Content-Type")
                        .contains(name));
        List<Part> parts = leafParts(mail);
        assertThat(textOf(parts, "text/plain"))
                .contains("Hello Ada O'Brien & Co,", orderId, "2 x Mug <b>large</b>", "Total: 37.90 EUR");
        assertThat(textOf(parts, "text/html")).contains("Hello Ada O&#39;Brien &amp; Co,", orderId, "37.90 EUR");
        Part attachment = parts.stream()
                .filter(p -> Part.ATTACHMENT.equalsIgnoreCase(disposition(p)))
                .findFirst()
                .orElseThrow();
        assertThat(attachment.getFileName()).isEqualTo("invoice-" + orderId + ".html");
        assertThat(attachment.getContentType()).startsWith("text/html");
        assertThat(new String(attachment.getInputStream().readAllBytes(), "UTF-8").replace("\r\n", "\n"))
                .as("the attachment is the stored invoice (SMTP sends text with CRLF line ends)")
                .isEqualTo(invoice);

        process(order(orderId, "ada@example.com"));

        minio.assertIsSatisfied();
        assertThat(minio.getReceivedCounter()).as("invoice stored again").isEqualTo(1);
        assertThat(SMTP.getReceivedMessages()).as("mails after a redelivery").hasSize(1);
        assertThat(redis.getExpire("invoice:" + orderId, TimeUnit.SECONDS)).isPositive();
        assertThat(redis.getExpire("mail:" + orderId, TimeUnit.SECONDS)).isPositive();
        // the test feeds the route from direct: (a step of the caller, no span), so the calls are the spans
        assertThat(spansOf(orderId))
                .as("spans of order " + orderId)
                .containsSubsequence(
                        "CLIENT SETEX",
                        "CLIENT GET invoice:" + orderId,
                        "CLIENT SET invoice:" + orderId,
                        "CLIENT GET mail:" + orderId,
                        "CLIENT smtp send",
                        "CLIENT SET mail:" + orderId);
    }

    @Test
    void announcesTheCompletedOrderOnTopicPurchaseCompleted() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        completions.expectedBodiesReceived("{\"orderId\":\"" + orderId + "\",\"status\":\"COMPLETED\"}");
        completions.expectedHeaderReceived("kafka.KEY", orderId);

        process(order(orderId, "ada@example.com"));

        completions.assertIsSatisfied();
    }

    /** SMTP_USERNAME and SMTP_PASSWORD are optional: unset, the endpoint has no credentials and does not log in. */
    @Test
    void withoutSmtpCredentialsTheMailIsSentWithoutLogin() {
        MailEndpoint smtp = camel.getEndpoints().stream()
                .filter(MailEndpoint.class::isInstance)
                .map(MailEndpoint.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(smtp.getConfiguration().getUsername()).isNull();
        assertThat(smtp.getConfiguration().getPassword()).isNull();
    }

    @Test
    void aCrashBetweenTheStepsOnlyCompletesTheMissingOne() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        redis.opsForValue().set("invoice:" + orderId, orderId); // the invoice was stored, then the worker died
        minio.expectedMessageCount(0);

        process(order(orderId, "grace@example.com"));

        assertThat(onlyMail().getSubject()).isEqualTo("Your invoice for order " + orderId);
        minio.assertIsSatisfied();
        assertThat(redis.hasKey("mail:" + orderId)).isTrue();
    }

    @Test
    void aFailedMailIsRetriedWithoutStoringTheInvoiceAgain() throws Exception {
        String orderId = "order-" + UUID.randomUUID();
        SMTP_OUTAGES.set(2);
        minio.expectedMessageCount(1);

        process(order(orderId, "alan@example.com"));

        assertThat(SMTP_OUTAGES.get()).as("outages left").isZero();
        assertThat(onlyMail().getSubject()).isEqualTo("Your invoice for order " + orderId);
        minio.assertIsSatisfied();
        assertThat(minio.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void anAddressThatWouldAddRecipientsOrHeadersIsADeadLetterBeforeAnySideEffect() throws Exception {
        deadLetters.expectedMessageCount(3);
        minio.expectedMessageCount(0);

        for (String address : List.of(
                "ada@example.com\r\nBcc: eve@example.org",
                "ada@example.com, eve@example.org",
                "Eve <eve@example.org>")) {
            process(order("order-" + UUID.randomUUID(), address));
        }

        MockEndpoint.assertIsSatisfied(deadLetters, minio);
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    /** Sends a Purchase2 message and waits until the flow (with its redeliveries) is done with it. */
    void process(String order) {
        NotifyBuilder done =
                new NotifyBuilder(camel).fromRoute("complete-order").whenDone(1).create();
        template.sendBody("direct:purchase2", order);
        assertThat(done.matches(30, TimeUnit.SECONDS))
                .as("Purchase2 message processed")
                .isTrue();
    }

    static String order(String orderId, String email) {
        return """
                {"orderId": "%s", "customerId": "C-1001", "customerName": "Ada O'Brien & Co", "customerEmail": "%s",
                 "currency": "EUR",
                 "items": [{"sku": "SKU-MUG", "name": "Mug <b>large</b>", "quantity": 2, "unitPrice": 9.5},
                           {"sku": "SKU-COFFEE", "name": "Coffee", "quantity": 1, "unitPrice": 18.90}],
                 "total": 37.90, "status": "PAID", "createdAt": "2025-11-22T23:59:58.123456+00:00",
                 "paidAt": "2025-11-22T23:59:59.5+00:00"}
                """.formatted(orderId, email.replace("\r", "\\r").replace("\n", "\\n"));
    }

    static MimeMessage onlyMail() throws Exception {
        assertThat(SMTP.waitForIncomingEmail(10_000, 1)).as("a mail arrived").isTrue();
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).hasSize(1);
        return mails[0];
    }

    /** The order's spans in the order they started, as kind, name and (idempotency look-ups) key. */
    static List<String> spansOf(String orderId) {
        return SPANS.getFinishedSpanItems().stream()
                .filter(s -> orderId.equals(s.getAttributes().get(AttributeKey.stringKey("order.id"))))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .map(s -> (s.getKind() + " " + s.getName() + " "
                                + Objects.toString(
                                        s.getAttributes().get(AttributeKey.stringKey("idempotency.key")), ""))
                        .trim())
                .toList();
    }

    static List<Part> leafParts(Part part) throws Exception {
        List<Part> leaves = new ArrayList<>();
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                leaves.addAll(leafParts(multipart.getBodyPart(i)));
            }
        } else {
            leaves.add(part);
        }
        return leaves;
    }

    static String textOf(List<Part> parts, String mimeType) throws Exception {
        for (Part part : parts) {
            if (part.isMimeType(mimeType) && !Part.ATTACHMENT.equalsIgnoreCase(disposition(part))) {
                return part.getContent().toString();
            }
        }
        throw new AssertionError("no " + mimeType + " body");
    }

    static String disposition(Part part) {
        try {
            return part.getDisposition();
        } catch (jakarta.mail.MessagingException e) {
            return null;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static RedisServer startRedis() {
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .port(REDIS_PORT)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static GreenMail startSmtp() {
        GreenMail greenMail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return greenMail;
    }
}
