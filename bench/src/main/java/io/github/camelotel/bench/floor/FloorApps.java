package io.github.camelotel.bench.floor;

import static io.github.camelotel.bench.floor.Floor.env;
import static io.github.camelotel.bench.floor.Floor.intEnv;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * The four apps of the floor; each method starts one and returns (its threads keep the process running). The apps
 * ran before (the benchmark's first purchase), so app3-api's schema and app4-worker's bucket exist.
 */
final class FloorApps {

    private FloorApps() {}

    /**
     * app1-api: POST /Message forwards the checked purchase to app3's POST /PostMessage and answers app3's response;
     * POST /Message/Post-Message publishes it to Purchase keyed by order id and answers 202.
     */
    static void app1() throws IOException {
        HttpClient http = Floor.httpClient();
        String app3 = env("APP3_URL", "http://localhost:8083") + "/PostMessage";
        KafkaProducer<String, String> producer = Floor.producer();
        HttpServer server = Floor.server("APP1_PORT", 32);
        server.createContext("/Message", Floor.post((exchange, body) -> {
            JsonNode purchase = Floor.purchase(body);
            String orderId = purchase.path("orderId").asText();
            if (exchange.getRequestURI().getPath().equals("/Message/Post-Message")) {
                Floor.send(producer, "Purchase", orderId, Floor.JSON.writeValueAsString(purchase));
                Floor.respond(
                        exchange,
                        202,
                        "{\"status\":\"accepted\",\"orderId\":\"" + orderId + "\",\"traceId\":\"" + traceId() + "\"}");
            } else {
                HttpResponse<byte[]> stored = Floor.postJson(http, app3, Floor.JSON.writeValueAsBytes(purchase));
                Floor.respond(exchange, stored.statusCode(), stored.body());
            }
        }));
        server.start();
    }

    /** app2-consumer: each record of Purchase, checked, POSTed to app3's POST /Message/Post-Message. */
    static void app2() throws IOException {
        Floor.server("APP2_PORT", 2).start(); // health only, as app2-consumer serves only actuator
        HttpClient http = Floor.httpClient();
        String url = env("APP3_URL", "http://localhost:8083") + "/Message/Post-Message";
        Floor.consume("app2-consumer", "Purchase", "earliest", intEnv("KAFKA_CONSUMERS_COUNT", 4), record -> {
            JsonNode purchase = Floor.purchase(record.value().getBytes(StandardCharsets.UTF_8));
            int status = Floor.postJson(http, url, Floor.JSON.writeValueAsBytes(purchase))
                    .statusCode();
            if (status >= 400) {
                throw new IllegalStateException("app3 answered " + status);
            }
        });
    }

    /**
     * app3-api: POST /PostMessage stores the purchase as RECEIVED (201), POST /Message/Post-Message as PAID and
     * publishes the stored order to Purchase2 (200); each runs the route's three statements (upsert, audit row,
     * read-back), prepared, on a pooled connection in auto-commit, as camel-sql does.
     */
    static void app3() throws Exception {
        Path sql = projectRoot().resolve("routes/app3-api/sql");
        List<String> statements = List.of(
                statement(sql.resolve("upsert-order.sql")),
                statement(sql.resolve("insert-audit.sql")),
                statement(sql.resolve("select-order.sql")));
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(intEnv("POSTGRES_POOL_SIZE", 10));
        while (pool.remainingCapacity() > 0) {
            pool.add(DriverManager.getConnection(
                    env("POSTGRES_URL", "jdbc:postgresql://localhost:5432/purchases"),
                    env("POSTGRES_USER", "purchases"),
                    env("POSTGRES_PASSWORD", "purchases")));
        }
        KafkaProducer<String, String> producer = Floor.producer();
        HttpServer server = Floor.server("APP3_PORT", 32);
        server.createContext("/PostMessage", Floor.post((exchange, body) -> {
            String orderId = Floor.purchase(body).path("orderId").asText();
            Floor.respond(exchange, 201, save(pool, statements, orderId, body, "RECEIVED"));
        }));
        server.createContext("/Message/Post-Message", Floor.post((exchange, body) -> {
            String orderId = Floor.purchase(body).path("orderId").asText();
            String order = save(pool, statements, orderId, body, "PAID");
            Floor.send(producer, "Purchase2", orderId, order);
            Floor.respond(exchange, 200, order);
        }));
        server.start();
    }

    private static String save(
            BlockingQueue<Connection> pool, List<String> statements, String orderId, byte[] body, String event)
            throws Exception {
        Connection connection = pool.take();
        try (PreparedStatement upsert = connection.prepareStatement(statements.get(0));
                PreparedStatement audit = connection.prepareStatement(statements.get(1));
                PreparedStatement select = connection.prepareStatement(statements.get(2))) {
            upsert.setString(1, new String(body, StandardCharsets.UTF_8));
            upsert.setString(2, event);
            upsert.executeUpdate();
            audit.setString(1, orderId);
            audit.setString(2, event);
            audit.setString(3, traceId());
            audit.executeUpdate();
            select.setString(1, orderId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } finally {
            pool.add(connection);
        }
    }

    /** A route's SQL file as a JDBC statement: comments dropped, each named parameter :#${...} a placeholder. */
    static String statement(Path file) throws IOException {
        StringBuilder sql = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            sql.append(line.stripLeading().startsWith("--") ? "" : line + "\n");
        }
        return sql.toString().replaceAll(":#\\$\\{[^}]*}", "?").trim();
    }

    /**
     * app4-worker: each record of Purchase2 (the stored order): cache it in Redis (SET order:<id> EX), render the
     * invoice; store it in S3 unless Redis says it was (GET invoice:<id>, PUT, SET NX EX); mail the customer unless
     * Redis says it was (GET mail:<id>, one SMTP transaction, SET NX EX); publish the completion event.
     */
    static void app4() throws Exception {
        RedisCommands<String, String> redis = RedisClient.create(
                        RedisURI.create(env("REDIS_HOST", "localhost"), intEnv("REDIS_PORT", 6379)))
                .connect()
                .sync();
        SetArgs cache = SetArgs.Builder.ex(intEnv("ORDER_CACHE_TTL_SECONDS", 3600));
        SetArgs once = SetArgs.Builder.nx().ex(intEnv("INVOICES_ONCE_TTL_SECONDS", 2592000));
        String bucket = env("INVOICES_BUCKET", "invoices");
        MinioClient s3 = MinioClient.builder()
                .endpoint(env("MINIO_ENDPOINT", "http://localhost:9000"))
                .credentials(env("MINIO_ACCESS_KEY", "minioadmin"), env("MINIO_SECRET_KEY", "minioadmin"))
                .region(env("MINIO_REGION", "us-east-1"))
                .build();
        Properties mailProperties = new Properties();
        mailProperties.put("mail.smtp.host", env("SMTP_HOST", "localhost"));
        mailProperties.put("mail.smtp.port", env("SMTP_PORT", "1025"));
        mailProperties.put("mail.smtp.connectiontimeout", "5000");
        mailProperties.put("mail.smtp.timeout", "10000");
        Session mail = Session.getInstance(mailProperties);
        // one SMTP connection per consumer thread, kept open between mails (reconnected when the server closed it)
        ThreadLocal<Transport> smtp = ThreadLocal.withInitial(() -> new SMTPTransport(mail, null));
        InternetAddress from = new InternetAddress(env("MAIL_FROM", "Camel purchases <invoices@example.com>"));
        DefaultMustacheFactory mustache = new DefaultMustacheFactory(
                projectRoot().resolve("routes/app4-worker").toFile());
        Mustache invoiceTemplate = mustache.compile("invoice.html.mustache");
        Mustache mailText = mustache.compile("invoice-mail.txt.mustache");
        Mustache mailHtml = mustache.compile("invoice-mail.html.mustache");
        KafkaProducer<String, String> producer = Floor.producer();
        Pattern orderIds = Floor.pattern("orderId");
        Pattern emails = Floor.pattern("customerEmail");
        Floor.consume("app4-worker", "Purchase2", "earliest", intEnv("KAFKA_CONSUMERS_COUNT", 4), record -> {
            JsonNode order = Floor.JSON.readTree(record.value());
            String orderId = order.path("orderId").asText();
            String recipient = order.path("customerEmail").asText();
            if (!orderIds.matcher(orderId).matches()
                    || !emails.matcher(recipient).matches()) {
                throw new IllegalArgumentException("order id or e-mail address");
            }
            // SET with EX, as Spring Data Redis writes camel-spring-redis's SETEX with a timeout
            redis.set("order:" + orderId, record.value(), cache);
            Map<String, Object> model = Map.of("body", invoiceModel(order));
            byte[] html = render(invoiceTemplate, model).getBytes(StandardCharsets.UTF_8);
            if (redis.get("invoice:" + orderId) == null) {
                s3.putObject(
                        PutObjectArgs.builder()
                                .bucket(bucket)
                                .object(orderId + ".html")
                                .contentType("text/html; charset=UTF-8")
                                .stream(new ByteArrayInputStream(html), html.length, -1)
                                .build());
                redis.set("invoice:" + orderId, orderId, once);
            }
            if (redis.get("mail:" + orderId) == null) {
                MimeMessage message = invoiceMail(
                        mail, from, recipient, orderId, render(mailText, model), render(mailHtml, model), html);
                Transport transport = smtp.get();
                try {
                    if (!transport.isConnected()) {
                        transport.connect();
                    }
                    transport.sendMessage(message, message.getAllRecipients());
                } catch (MessagingException e) {
                    transport.close(); // the retry connects anew
                    throw e;
                }
                redis.set("mail:" + orderId, orderId, once);
            }
            Floor.send(
                    producer,
                    "PurchaseCompleted",
                    orderId,
                    "{\"orderId\":\"" + orderId + "\",\"status\":\"COMPLETED\"}");
        });
        Floor.server("APP4_PORT", 2).start(); // health only, as app4-worker serves only actuator
    }

    /** The mail of complete-order's mail-invoice: the HTML body with its plain-text alternative, the invoice attached. */
    private static MimeMessage invoiceMail(
            Session session,
            InternetAddress from,
            String recipient,
            String orderId,
            String text,
            String html,
            byte[] invoice)
            throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        message.setSubject("Your invoice for order " + orderId, "UTF-8");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setContent(html, "text/html; charset=UTF-8");
        MimeBodyPart bodies = new MimeBodyPart();
        bodies.setContent(new MimeMultipart("alternative", plain, rich));
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(invoice, "text/html; charset=UTF-8")));
        attachment.setFileName("invoice-" + orderId + ".html");
        message.setContent(new MimeMultipart("mixed", bodies, attachment));
        message.saveChanges();
        return message;
    }

    private static String render(Mustache template, Object scope) {
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    /** app4-worker's Invoices.model: line totals and amounts to two decimals, the stored total, the day paid. */
    static Map<String, Object> invoiceModel(JsonNode order) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (JsonNode item : order.path("items")) {
            BigDecimal unitPrice = item.path("unitPrice").decimalValue();
            int quantity = item.path("quantity").asInt();
            lines.add(Map.<String, Object>of(
                    "sku", item.path("sku").asText(),
                    "name", item.path("name").asText(),
                    "quantity", quantity,
                    "unitPrice", amount(unitPrice),
                    "lineTotal", amount(unitPrice.multiply(BigDecimal.valueOf(quantity)))));
        }
        Map<String, Object> invoice = new LinkedHashMap<>();
        for (String field : List.of("orderId", "customerId", "customerName", "customerEmail", "currency")) {
            invoice.put(field, order.path(field).asText());
        }
        String paid =
                order.path(order.hasNonNull("paidAt") ? "paidAt" : "createdAt").asText();
        invoice.put("date", paid.split("T")[0]); // the day of an ISO-8601 timestamp
        invoice.put("lines", lines);
        invoice.put("total", amount(new BigDecimal(order.path("total").asText("0"))));
        return invoice;
    }

    private static String amount(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** The audit row's trace ID column: the floor has no trace, so a random ID of the same size. */
    static String traceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }
}
