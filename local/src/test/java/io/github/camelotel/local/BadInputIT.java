package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input at every write endpoint gets a 400 whose JSON body names the offending field (never a stack trace), and
 * writes nothing: no row, and nothing published that would later become one.
 */
class BadInputIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final List<String> REFUSED_ORDER_IDS = new ArrayList<>();
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.get();
    }

    /** Each case: a change that spoils a valid purchase, and the field the error must name. */
    static Stream<Arguments> badPurchases() {
        return Stream.of(
                bad("missing customer e-mail", p -> p.remove("customerEmail"), "customerEmail"),
                bad("quantity as a string", p -> item(p).put("quantity", "2"), "items[0].quantity"),
                bad("negative quantity", p -> item(p).put("quantity", -1), "items[0].quantity"),
                bad("absurd quantity", p -> item(p).put("quantity", 1_000_000), "items[0].quantity"),
                bad("negative price", p -> item(p).put("unitPrice", -5), "items[0].unitPrice"),
                bad("absurd price", p -> item(p).put("unitPrice", 1e12), "items[0].unitPrice"),
                bad(
                        "mail header injection in e-mail",
                        p -> p.put("customerEmail", "ada@example.com\r\nBcc: all@example.com"),
                        "customerEmail"),
                bad("mail header injection in name", p -> p.put("customerName", "Ada\r\nSubject: win"), "customerName"),
                bad("SQL in the order id", p -> p.put("orderId", "x'; DROP TABLE orders; --"), "orderId"),
                bad("markup in the name", p -> p.put("customerName", "<script>alert(1)</script>"), "customerName"),
                bad("unknown field", p -> p.put("isAdmin", true), "isAdmin"),
                bad("no items", p -> p.putArray("items"), "items"));
    }

    static Stream<Arguments> endpointsAndBadPurchases() {
        return Stream.of(
                        "app1:/Message",
                        "app1:/Message/Post-Message",
                        "app3:/PostMessage",
                        "app3:/Message/Post-Message")
                .flatMap(endpoint ->
                        badPurchases().map(a -> Arguments.of(endpoint, a.get()[0], a.get()[1], a.get()[2])));
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("endpointsAndBadPurchases")
    void refusesBadPurchasesNamingTheField(String endpoint, String what, Spoiler spoiler, String field)
            throws Exception {
        ObjectNode purchase = validPurchase();
        spoiler.spoil(purchase);
        REFUSED_ORDER_IDS.add(purchase.path("orderId").asText());

        HttpResponse<String> response = post(endpoint, purchase.toString(), "application/json");

        assertThat(response.statusCode()).as(what).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo("invalid_request");
        assertThat(error.get("fields").findValuesAsText("field"))
                .as(response.body())
                .contains(field);
        assertThat(error.get("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(response.body()).doesNotContain("Exception", "\tat ");
        assertNotStored(purchase.path("orderId").asText());
    }

    /** Bodies no purchase can be read from: not JSON, declared as something else, too large, too deep. */
    static Stream<Arguments> endpointsAndUnreadableBodies() {
        String oversize = "{\"customerName\": \"" + "x".repeat(100_000) + "\"}";
        String deeplyNested = "{\"orderId\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        return writeEndpoints()
                .flatMap(endpoint -> Stream.of(
                        Arguments.of(
                                endpoint,
                                "malformed JSON",
                                "{\"orderId\": \"x\", ",
                                "application/json",
                                400,
                                "malformed_json"),
                        Arguments.of(
                                endpoint,
                                "a form",
                                "orderId=1",
                                "application/x-www-form-urlencoded",
                                415,
                                "unsupported_media_type"),
                        Arguments.of(
                                endpoint, "an oversize body", oversize, "application/json", 413, "payload_too_large"),
                        Arguments.of(
                                endpoint,
                                "a deeply nested body",
                                deeplyNested,
                                "application/json",
                                400,
                                "malformed_json")));
    }

    @ParameterizedTest(name = "{0} refuses {1}")
    @MethodSource("endpointsAndUnreadableBodies")
    void refusesBodiesThatAreNoPurchase(
            String endpoint, String what, String body, String contentType, int status, String error) throws Exception {
        HttpResponse<String> response = post(endpoint, body, contentType);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(error);
    }

    @org.junit.jupiter.api.Test
    void storesUnicodeAndSqlLookingTextVerbatim() throws Exception {
        String name = "Zoë O'Brien); DROP TABLE orders; -- 李小龍 🚀";
        ObjectNode purchase = validPurchase().put("customerName", name);
        ((ObjectNode) purchase.get("items").get(0)).put("name", "Café ' OR '1'='1");

        HttpResponse<String> response = post("app1:/Message", purchase.toString(), "application/json");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        try (Connection db = DriverManager.getConnection(
                        stack.infrastructure().jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
                var query = db.prepareStatement(
                        "SELECT customer_name, items -> 0 ->> 'name' FROM orders WHERE order_id = ?")) {
            query.setString(1, purchase.get("orderId").asText());
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo(name);
                assertThat(row.getString(2)).isEqualTo("Café ' OR '1'='1");
            }
        }
    }

    static Stream<String> writeEndpoints() {
        return Stream.of(
                "app1:/Message", "app1:/Message/Post-Message", "app3:/PostMessage", "app3:/Message/Post-Message");
    }

    @ParameterizedTest(name = "GET /orders/{0} answers {1}")
    @MethodSource("orderReads")
    void orderReadsRefuseMalformedIdsAndReportUnknownOnes(String id, int status, String error) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + stack.ports().app3() + "/orders/" + id))
                        .header("Authorization", Bearer.backOffice(stack))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo(error);
    }

    static Stream<Arguments> orderReads() {
        return Stream.of(
                Arguments.of("no-such-order", 404, "not_found"),
                Arguments.of("no-such-order/audit", 404, "not_found"),
                Arguments.of("bad%20id'--", 400, "invalid_request"));
    }

    /** Refused purchases were published nowhere: after good ones sent later have completed, none of them exists. */
    @org.junit.jupiter.api.AfterAll
    static void nothingRefusedWasStoredLater() throws Exception {
        ObjectNode good = validPurchase();
        assertThat(post("app1:/Message/Post-Message", good.toString(), "application/json")
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofMinutes(1))
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertThat(status(good.get("orderId").asText())).isEqualTo("PAID"));
        for (String orderId : REFUSED_ORDER_IDS) {
            assertNotStored(orderId);
        }
    }

    static void assertNotStored(String orderId) throws Exception {
        assertThat(status(orderId)).as("row of refused order " + orderId).isNull();
    }

    static String status(String orderId) throws Exception {
        try (Connection db = DriverManager.getConnection(
                        stack.infrastructure().jdbcUrl(), Infrastructure.DB_USER, Infrastructure.DB_PASSWORD);
                var query = db.prepareStatement("SELECT status FROM orders WHERE order_id = ?")) {
            query.setString(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    static HttpResponse<String> post(String endpoint, String body, String contentType) throws Exception {
        int port = endpoint.startsWith("app1:")
                ? stack.ports().app1()
                : stack.ports().app3();
        String path = endpoint.substring(endpoint.indexOf(':') + 1);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Content-Type", contentType)
                        .header(
                                "Authorization",
                                endpoint.startsWith("app1:") ? Bearer.executor(stack) : Bearer.app1(stack))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static ObjectNode validPurchase() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"orderId": "%s", "customerId": "C-1", "customerName": "Ada Lovelace",
                 "customerEmail": "ada@example.com", "currency": "EUR",
                 "items": [{"sku": "SKU-1", "name": "Coffee", "quantity": 2, "unitPrice": 3.5}]}
                """.formatted("t-" + UUID.randomUUID()));
    }

    static ObjectNode item(ObjectNode purchase) {
        return (ObjectNode) purchase.get("items").get(0);
    }

    static Arguments bad(String what, Spoiler spoiler, String field) {
        return Arguments.of(what, spoiler, field);
    }

    @FunctionalInterface
    interface Spoiler {
        void spoil(ObjectNode purchase);
    }
}
