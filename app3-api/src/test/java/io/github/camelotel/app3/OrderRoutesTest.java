package io.github.camelotel.app3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.LocalHttp;
import io.github.camelotel.platform.Purchases;
import io.github.camelotel.platform.RouteTests;
import io.github.camelotel.platform.TestTokens;
import io.github.camelotel.platform.sql.ParsedOnceStatements;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * app3-api's routes against a real PostgreSQL (schema by Flyway), with Kafka and Redis replaced by mock endpoints:
 * idempotent writes, the audit trail, the Purchase2 message and the cache-aside read path.
 */
@CamelSpringBootTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestTokens.class)
@UseAdviceWith
class OrderRoutesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final EmbeddedPostgres POSTGRES = startPostgres();

    @Autowired
    CamelContext camel;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @EndpointInject("mock:kafka:Purchase2")
    MockEndpoint purchase2;

    @EndpointInject("mock:redis")
    MockEndpoint redis;

    static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        POSTGRES.close();
    }

    @BeforeEach
    void replaceKafkaAndRedis() throws Exception {
        RouteTests.adviseOnceThenStart(camel, () -> {
            AdviceWith.adviceWith(
                    camel,
                    "record-payment",
                    r -> r.weaveByToUri("kafka:Purchase2").replace().to("mock:kafka:Purchase2"));
            AdviceWith.adviceWith(
                    camel,
                    "read-order",
                    r -> r.weaveByToUri("spring-redis*").replace().to("mock:redis"));
        });
    }

    @Test
    void storesAPurchaseOnceHoweverOftenItArrives() throws Exception {
        String purchase = Purchases.validWithOrderId("order-once");

        HttpResponse<String> first = http().postJson("/PostMessage", purchase);
        http().postJson("/PostMessage", purchase);

        assertThat(first.statusCode()).isEqualTo(201);
        JsonNode stored = JSON.readTree(first.body());
        assertThat(stored.get("status").asText()).isEqualTo("RECEIVED");
        assertThat(stored.get("total").decimalValue()).isEqualByComparingTo(new BigDecimal("16.25"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM orders WHERE order_id = 'order-once'", Integer.class))
                .isEqualTo(1);
        assertThat(audit("order-once")).containsExactly("RECEIVED");
    }

    @Test
    void recordsThePaymentOnceAndPublishesThePaidOrderKeyedByItsId() throws Exception {
        String purchase = Purchases.validWithOrderId("order-paid");
        http().postJson("/PostMessage", purchase);
        purchase2.expectedMessageCount(2);

        HttpResponse<String> paid = http().postJson("/Message/Post-Message", purchase);
        Object paidAt = jdbc.queryForObject("SELECT paid_at FROM orders WHERE order_id = 'order-paid'", Object.class);
        http().postJson("/Message/Post-Message", purchase);
        http().postJson("/PostMessage", purchase);

        purchase2.assertIsSatisfied();
        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(paid.body()).get("status").asText()).isEqualTo("PAID");
        var message = purchase2.getExchanges().get(0).getMessage();
        assertThat(message.getHeader("kafka.KEY")).isEqualTo("order-paid");
        assertThat(JSON.readTree(message.getBody(String.class))
                        .get("customerEmail")
                        .asText())
                .isEqualTo("ada@example.com");
        assertThat(jdbc.queryForObject("SELECT status FROM orders WHERE order_id = 'order-paid'", String.class))
                .as("a late sync request does not undo the payment")
                .isEqualTo("PAID");
        assertThat(jdbc.queryForObject("SELECT paid_at FROM orders WHERE order_id = 'order-paid'", Object.class))
                .isEqualTo(paidAt);
        assertThat(audit("order-paid")).containsExactly("RECEIVED", "PAID");
    }

    @Test
    void readsFromTheDatabaseOnACacheMissAndFillsTheCache() throws Exception {
        http().postJson("/PostMessage", Purchases.validWithOrderId("order-read"));
        redis.expectedMessageCount(2);

        HttpResponse<String> read = http().get("/orders/order-read");

        redis.assertIsSatisfied();
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("orderId").asText()).isEqualTo("order-read");
        var fill = redis.getExchanges().get(1).getMessage();
        assertThat(fill.getHeaders())
                .contains(Map.entry("CamelRedis.Command", "SETEX"), Map.entry("CamelRedis.Key", "order:order-read"));
        assertThat(fill.getHeader("CamelRedis.Timeout", Long.class)).isPositive();
    }

    @Test
    void answers404ForAnUnknownOrder() throws Exception {
        HttpResponse<String> read = http().get("/orders/no-such-order");

        assertThat(read.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(read.body()).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aCustomerReadsTheirOwnOrdersAndFindsNoOneElses() throws Exception {
        http().postJson("/PostMessage", Purchases.validWithOrderId("order-of-ada")); // customer C-1001
        LocalHttp ada = new LocalHttp(port, TestTokens.issue("shop-web", "C-1001", List.of("orders:read")));
        LocalHttp grace = new LocalHttp(port, TestTokens.issue("shop-web", "C-1002", List.of("orders:read")));
        LocalHttp backOffice =
                new LocalHttp(port, TestTokens.issue("operator", "operator", List.of("orders:read-all")));

        assertThat(ada.get("/orders/order-of-ada").statusCode()).isEqualTo(200);
        assertThat(ada.get("/orders/order-of-ada/audit").statusCode()).isEqualTo(200);
        assertThat(backOffice.get("/orders/order-of-ada").statusCode()).isEqualTo(200);
        assertThat(backOffice.get("/orders/order-of-ada/audit").statusCode()).isEqualTo(200);
        for (String path : List.of("/orders/order-of-ada", "/orders/order-of-ada/audit")) {
            HttpResponse<String> probe = grace.get(path);
            assertThat(probe.statusCode()).as(path).isEqualTo(404);
            assertThat(probe.body())
                    .as("the same answer as for an unknown order")
                    .contains("\"error\":\"not_found\"", "no order with id order-of-ada")
                    .doesNotContain("C-1001", "Ada");
        }
    }

    @Test
    void refusesACallWithoutTokenWith401AndOneWithoutTheScopeWith403() throws Exception {
        String purchase = Purchases.validWithOrderId("order-refused");
        LocalHttp customer = new LocalHttp(port, TestTokens.issue("shop-web", "C-1001", List.of("orders:read")));
        LocalHttp executor = new LocalHttp(port, TestTokens.issue("executor", "executor", List.of("purchases:write")));

        HttpResponse<String> anonymous = new LocalHttp(port, null).postJson("/PostMessage", purchase);
        HttpResponse<String> forged = new LocalHttp(port, TestTokens.allScopes() + "x").get("/orders/order-refused");
        HttpResponse<String> byCustomer = customer.postJson("/Message/Post-Message", purchase);
        HttpResponse<String> byExecutor = executor.postJson("/PostMessage", purchase);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(JSON.readTree(anonymous.body()).get("error").asText()).isEqualTo("unauthorized");
        assertThat(JSON.readTree(anonymous.body()).get("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(forged.body()).as("nothing on why the token failed").doesNotContainIgnoringCase("signature");
        for (HttpResponse<String> refused : List.of(byCustomer, byExecutor)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(JSON.readTree(refused.body()).get("error").asText()).isEqualTo("forbidden");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM orders WHERE order_id = 'order-refused'", Integer.class))
                .as("a refused request stores nothing")
                .isZero();
    }

    @Test
    void theActuatorOpensHealthOnlyAndMetricsToTheScrapeScope() {
        LocalHttp anonymous = new LocalHttp(port, null);
        LocalHttp prometheus =
                new LocalHttp(port, TestTokens.issue("prometheus", "prometheus", List.of("metrics:read")));

        assertThat(anonymous.get("/actuator/health").statusCode())
                .as("open: it answers the app's health (DOWN here, without Redis)")
                .isIn(200, 503);
        assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(prometheus.get("/actuator/prometheus").statusCode())
                .as("let through (a test context exports no metrics: 404; ObservabilityConfigIT scrapes the real apps)")
                .isNotIn(401, 403);
        assertThat(prometheus.get("/actuator/info").statusCode())
                .as("every other endpoint needs ops:admin")
                .isEqualTo(403);
        assertThat(http().get("/actuator/info").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/openapi.json").statusCode())
                .as("the contract is public")
                .isEqualTo(200);
    }

    @Test
    void everySqlEndpointParsesItsStatementOnce() {
        assertThat(camel.getEndpoints().stream()
                        .filter(SqlEndpoint.class::isInstance)
                        .map(SqlEndpoint.class::cast)
                        .toList())
                .as("the routes' sql: endpoints (platform's SqlAutoConfiguration)")
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(
                        sql -> assertThat(sql.getPrepareStatementStrategy()).isInstanceOf(ParsedOnceStatements.class));
    }

    LocalHttp http() {
        return new LocalHttp(port);
    }

    List<String> audit(String orderId) {
        return jdbc.queryForList("SELECT event FROM audit_log WHERE order_id = ? ORDER BY id", String.class, orderId);
    }
}
