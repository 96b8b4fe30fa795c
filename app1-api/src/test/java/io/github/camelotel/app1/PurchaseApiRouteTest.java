package io.github.camelotel.app1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.LocalHttp;
import io.github.camelotel.platform.Purchases;
import io.github.camelotel.platform.RouteTests;
import io.github.camelotel.platform.TestTokens;
import java.net.http.HttpResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** app1-api's two paths with app3-api and Kafka replaced by mock endpoints, through the real HTTP server and its contract. */
@CamelSpringBootTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "OAUTH2_CLIENT_SECRET=route-test")
@Import(TestTokens.class)
@UseAdviceWith
class PurchaseApiRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CamelContext camel;

    @LocalServerPort
    int port;

    @EndpointInject("mock:http:app3")
    MockEndpoint app3;

    @EndpointInject("mock:kafka:Purchase")
    MockEndpoint purchaseTopic;

    @BeforeEach
    void replaceApp3AndKafka() throws Exception {
        RouteTests.adviseOnceThenStart(camel, () -> {
            AdviceWith.adviceWith(
                    camel,
                    "store-purchase",
                    route -> route.weaveById("post-to-app3").replace().to("mock:http:app3"));
            AdviceWith.adviceWith(
                    camel,
                    "publish-purchase",
                    route -> route.weaveByToUri("kafka:Purchase").replace().to("mock:kafka:Purchase"));
        });
    }

    @Test
    void syncPathSendsTheValidatedPurchaseToApp3WithoutTheClientsHeaders() throws Exception {
        app3.expectedMessageCount(1);
        app3.whenAnyExchangeReceived(e -> {
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
            e.getMessage().setHeader("Server", "app3");
            e.getMessage().setBody("{\"orderId\":\"x\"}");
        });
        String purchase = Purchases.valid();

        HttpResponse<String> answer = new LocalHttp(port).postJson("/Message", purchase);

        app3.assertIsSatisfied();
        var sent = app3.getExchanges().get(0).getMessage();
        assertThat(JSON.readTree(sent.getBody(String.class))).isEqualTo(JSON.readTree(purchase));
        assertThat(RouteTests.onTheWire(camel, "http", sent))
                .as("only the body's type and the trace context go to app3")
                .containsExactlyInAnyOrder("Content-Type", "traceparent", "baggage");
        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.headers().firstValue("Server"))
                .as("app3's own headers stay out of the response")
                .isEmpty();
    }

    @Test
    void asyncPathPublishesKeyedByOrderIdAndAnswers202WithTheTraceId() throws Exception {
        purchaseTopic.expectedMessageCount(1);
        String purchase = Purchases.validWithOrderId("order-42");

        HttpResponse<String> answer = new LocalHttp(port).postJson("/Message/Post-Message", purchase);

        purchaseTopic.assertIsSatisfied();
        Message record = purchaseTopic.getExchanges().get(0).getMessage();
        assertThat(record.getHeader("kafka.KEY")).isEqualTo("order-42");
        assertThat(RouteTests.onTheWire(camel, "kafka", record))
                .as("record headers: the trace context only")
                .containsExactlyInAnyOrder("traceparent", "baggage");
        assertThat(answer.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("orderId").asText()).isEqualTo("order-42");
        assertThat(body.get("traceId").asText()).matches("[0-9a-f]{32}");
    }

    @Test
    void requestHeadersCannotSteerTheKafkaProducerOrTheAnswer() throws Exception {
        purchaseTopic.expectedMessageCount(1);

        HttpResponse<String> answer = new LocalHttp(port)
                .postJson(
                        "/Message/Post-Message",
                        Purchases.valid(),
                        "kafka.OVERRIDE_TOPIC",
                        "Purchase2",
                        "kafka.KEY",
                        "someone-elses-order",
                        "CamelHttpResponseCode",
                        "599");

        purchaseTopic.assertIsSatisfied();
        Message record = purchaseTopic.getExchanges().get(0).getMessage();
        assertThat(record.getHeaders())
                .doesNotContainKey("kafka.OVERRIDE_TOPIC")
                .doesNotContainKey("CamelHttpResponseCode");
        assertThat(record.getHeader("kafka.KEY")).isNotEqualTo("someone-elses-order");
        assertThat(answer.statusCode()).isEqualTo(202);
    }

    @Test
    void invalidPurchaseGets400NamingTheFieldAndGoesNowhere() throws Exception {
        app3.expectedMessageCount(0);
        purchaseTopic.expectedMessageCount(0);

        for (String path : new String[] {"/Message", "/Message/Post-Message"}) {
            HttpResponse<String> answer = new LocalHttp(port).postJson(path, Purchases.withQuantityAsString());

            assertThat(answer.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(answer.body());
            assertThat(error.get("fields").findValuesAsText("field")).containsExactly("items[0].quantity");
        }
        MockEndpoint.assertIsSatisfied(app3, purchaseTopic);
    }

    @Test
    void aBodyNotDeclaredAsJsonGets415InTheErrorModel() throws Exception {
        HttpResponse<String> answer =
                new LocalHttp(port).post("/Message", "application/x-www-form-urlencoded", "orderId=1");

        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void unreachableApp3Gives503WithRetryAfter() throws Exception {
        app3.whenAnyExchangeReceived(e -> {
            throw new java.net.ConnectException("Connection refused");
        });

        HttpResponse<String> answer = new LocalHttp(port).postJson("/Message", Purchases.valid());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(JSON.readTree(answer.body()).get("error").asText()).isEqualTo("dependency_unavailable");
    }
}
