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
import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
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
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The four apps of the floor; each method starts one and returns (its threads keep the process running). */
final class FloorApps {

    private FloorApps() {}

    /**
     * app1-api: POST /Message forwards the checked purchase to app3's POST /PostMessage and answers app3's response;
     * POST /Message/Post-Message publishes it to Purchase keyed by order id and answers 202.
     */
    static void app1() throws IOException {
        HttpClient http = Floor.httpClient();
        String app3 = env("APP3_URL", "http://localhost:8083");
        KafkaProducer<String, String> producer = Floor.producer();
        HttpServer server = Floor.server("APP1_PORT", 32);
        server.createContext("/Message", Floor.post((exchange, body) -> {
            JsonNode purchase = Floor.purchase(body);
            if ("/Message/Post-Message".equals(exchange.getRequestURI().getPath())) {
                String orderId = purchase.path("orderId").asText();
                Floor.send(producer, "Purchase", orderId, Floor.JSON.writeValueAsString(purchase));
                Floor.respond(
                        exchange,
                        202,
                        "{\"status\":\"accepted\",\"orderId\":\"" + orderId + "\",\"traceId\":\"" + traceId() + "\"}");
            } else {
                HttpResponse<byte[]> stored =
                        Floor.postJson(http, app3 + "/PostMessage", Floor.JSON.writeValueAsBytes(purchase));
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
            try {
                JsonNode purchase;
                try {
                    purchase = Floor.purchase(record.value().getBytes(StandardCharsets.UTF_8));
                } catch (IllegalArgumentException | IOException e) {
                    throw new Floor.InvalidRecord(e.getMessage());
                }
                HttpResponse<byte[]> response = Floor.postJson(http, url, Floor.JSON.writeValueAsBytes(purchase));
                if (response.statusCode() >= 400) {
                    throw new IllegalStateException("app3 answered " + response.statusCode());
                }
            } catch (Exception e) {
                throw Floor.unchecked(e);
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
        String upsert = statement(sql.resolve("upsert-order.sql"));
        String audit = statement(sql.resolve("insert-audit.sql"));
        String select = statement(sql.resolve("select-order.sql"));
        int poolSize = intEnv("POSTGRES_POOL_SIZE", 10);
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            pool.add(DriverManager.getConnection(
                    env("POSTGRES_URL", "jdbc:postgresql://localhost:5432/purchases"),
                    env("POSTGRES_USER", "purchases"),
                    env("POSTGRES_PASSWORD", "purchases")));
        }
        migrate(pool.peek());
        KafkaProducer<String, String> producer = Floor.producer();
        HttpServer server = Floor.server("APP3_PORT", 32);
        server.createContext("/PostMessage", Floor.post((exchange, body) -> {
            String orderId = Floor.purchase(body).path("orderId").asText();
            Floor.respond(exchange, 201, save(pool, upsert, audit, select, orderId, body, "RECEIVED"));
        }));
        server.createContext("/Message/Post-Message", Floor.post((exchange, body) -> {
            String orderId = Floor.purchase(body).path("orderId").asText();
            String order = save(pool, upsert, audit, select, orderId, body, "PAID");
            Floor.send(producer, "Purchase2", orderId, order);
            Floor.respond(exchange, 200, order);
        }));
        server.start();
    }

    private static String save(
            BlockingQueue<Connection> pool,
            String upsert,
            String audit,
            String select,
            String orderId,
            byte[] body,
            String event)
            throws Exception {
        String purchase = new String(body, StandardCharsets.UTF_8);
        Connection connection = pool.take();
        try {
            try (PreparedStatement statement = connection.prepareStatement(upsert)) {
                statement.setString(1, purchase);
                statement.setString(2, event);
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(audit)) {
                statement.setString(1, orderId);
                statement.setString(2, event);
                statement.setString(3, traceId());
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                statement.setString(1, orderId);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getString(1);
                }
            }
        } finally {
            pool.add(connection);
        }
    }

    /** A route's SQL file as a JDBC statement: comments dropped, each named parameter :#${...} a placeholder. */
    static String statement(Path file) throws IOException {
        StringBuilder sql = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (!line.stripLeading().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        return sql.toString().replaceAll(":#\\$\\{[^}]*}", "?").trim();
    }

    /** The schema app3-api's Flyway migration creates, when the floor runs before the app ever did. */
    private static void migrate(Connection connection) throws Exception {
        try (Statement sql = connection.createStatement();
                ResultSet exists = sql.executeQuery("SELECT to_regclass('orders')")) {
            exists.next();
            if (exists.getString(1) != null) {
                return;
            }
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute(Files.readString(
                    projectRoot().resolve("app3-api/src/main/resources/db/migration/V1__orders_and_audit.sql")));
        }
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
        long cacheTtl = intEnv("ORDER_CACHE_TTL_SECONDS", 3600);
        long onceTtl = intEnv("INVOICES_ONCE_TTL_SECONDS", 2592000);
        String bucket = env("INVOICES_BUCKET", "invoices");
        MinioClient s3 = MinioClient.builder()
                .endpoint(env("MINIO_ENDPOINT", "http://localhost:9000"))
                .credentials(env("MINIO_ACCESS_KEY", "minioadmin"), env("MINIO_SECRET_KEY", "minioadmin"))
                .region(env("MINIO_REGION", "us-east-1"))
                .build();
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
        Properties mailProperties = new Properties();
        mailProperties.put("mail.smtp.host", env("SMTP_HOST", "localhost"));
        mailProperties.put("mail.smtp.port", env("SMTP_PORT", "1025"));
        mailProperties.put("mail.smtp.connectiontimeout", "5000");
        mailProperties.put("mail.smtp.timeout", "10000");
        mailProperties.put("mail.smtp.writetimeout", "10000");
        Session mail = Session.getInstance(mailProperties);
        InternetAddress from = new InternetAddress(env("MAIL_FROM", "Camel purchases <invoices@example.com>"));
        Path templates = projectRoot().resolve("routes/app4-worker");
        DefaultMustacheFactory mustache = new DefaultMustacheFactory(templates.toFile());
        Mustache invoiceTemplate = mustache.compile("invoice.html.mustache");
        Mustache mailText = mustache.compile("invoice-mail.txt.mustache");
        Mustache mailHtml = mustache.compile("invoice-mail.html.mustache");
        KafkaProducer<String, String> producer = Floor.producer();
        Floor.consume("app4-worker", "Purchase2", "earliest", intEnv("KAFKA_CONSUMERS_COUNT", 4), record -> {
            try {
                Map<String, Object> order = Floor.map(Floor.JSON.readTree(record.value()));
                String orderId = String.valueOf(order.get("orderId"));
                String recipient = String.valueOf(order.get("customerEmail"));
                if (!Floor.ORDER_ID.matcher(orderId).matches()
                        || !Floor.EMAIL.matcher(recipient).matches()) {
                    throw new Floor.InvalidRecord("order id or e-mail address");
                }
                // SET with EX, as Spring Data Redis writes camel-spring-redis's SETEX with a timeout
                redis.set("order:" + orderId, record.value(), SetArgs.Builder.ex(cacheTtl));
                Map<String, Object> model = Map.of("body", invoiceModel(order));
                String invoice = render(invoiceTemplate, model);
                byte[] html = invoice.getBytes(StandardCharsets.UTF_8);
                if (redis.get("invoice:" + orderId) == null) {
                    s3.putObject(
                            PutObjectArgs.builder()
                                    .bucket(bucket)
                                    .object(orderId + ".html")
                                    .contentType("text/html; charset=UTF-8")
                                    .stream(new ByteArrayInputStream(html), html.length, -1)
                                    .build());
                    redis.set(
                            "invoice:" + orderId, orderId, SetArgs.Builder.nx().ex(onceTtl));
                }
                if (redis.get("mail:" + orderId) == null) {
                    Transport.send(invoiceMail(
                            mail, from, recipient, orderId, render(mailText, model), render(mailHtml, model), html));
                    redis.set("mail:" + orderId, orderId, SetArgs.Builder.nx().ex(onceTtl));
                }
                Floor.send(
                        producer,
                        "PurchaseCompleted",
                        orderId,
                        "{\"orderId\":\"" + orderId + "\",\"status\":\"COMPLETED\"}");
            } catch (Exception e) {
                throw Floor.unchecked(e);
            }
        });
        HttpServer server = Floor.server("APP4_PORT", 2); // health only, as app4-worker serves only actuator
        server.start();
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
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8");
        alternative.addBodyPart(plain);
        MimeBodyPart rich = new MimeBodyPart();
        rich.setContent(html, "text/html; charset=UTF-8");
        alternative.addBodyPart(rich);
        MimeBodyPart bodies = new MimeBodyPart();
        bodies.setContent(alternative);
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(invoice, "text/html; charset=UTF-8")));
        attachment.setFileName("invoice-" + orderId + ".html");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(bodies);
        mixed.addBodyPart(attachment);
        message.setContent(mixed);
        return message;
    }

    private static String render(Mustache template, Object scope) {
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    /** app4-worker's Invoices.model: line totals and amounts to two decimals, the stored total, the day paid. */
    static Map<String, Object> invoiceModel(Map<String, Object> order) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Object element : (List<?>) order.get("items")) {
            Map<?, ?> item = (Map<?, ?>) element;
            int quantity = ((Number) item.get("quantity")).intValue();
            BigDecimal unitPrice = new BigDecimal(item.get("unitPrice").toString());
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("sku", item.get("sku"));
            line.put("name", item.get("name"));
            line.put("quantity", quantity);
            line.put("unitPrice", amount(unitPrice));
            line.put("lineTotal", amount(unitPrice.multiply(BigDecimal.valueOf(quantity))));
            lines.add(line);
        }
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("orderId", order.get("orderId"));
        invoice.put("customerId", order.get("customerId"));
        invoice.put("customerName", order.get("customerName"));
        invoice.put("customerEmail", order.get("customerEmail"));
        invoice.put("currency", order.get("currency"));
        Object paid = order.get("paidAt") != null ? order.get("paidAt") : order.get("createdAt");
        invoice.put("date", date(paid));
        invoice.put("lines", lines);
        invoice.put("total", amount(new BigDecimal(String.valueOf(order.get("total")))));
        return invoice;
    }

    private static String amount(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static String date(Object timestamp) {
        if (timestamp == null) {
            return "";
        }
        try {
            return OffsetDateTime.parse(timestamp.toString()).toLocalDate().toString();
        } catch (DateTimeParseException e) {
            return timestamp.toString().split("T")[0];
        }
    }

    /** The audit row's trace ID column: the floor has no trace, so a random ID of the same size. */
    static String traceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
    }
}
