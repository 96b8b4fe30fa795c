package io.github.camelotel.app2;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.camelotel.platform.Purchases;
import io.github.camelotel.platform.RouteTests;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * app2-consumer's route with topic Purchase, app3-api and the dead-letter topic replaced by endpoints of the test:
 * proves the shared consumer-errors configuration (retry what is transient, dead-letter what is poison).
 */
@CamelSpringBootTest
@SpringBootTest(properties = "OAUTH2_CLIENT_SECRET=route-test")
@UseAdviceWith
class ForwardPurchaseRouteTest {

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @EndpointInject("mock:app3")
    MockEndpoint app3;

    @EndpointInject("mock:dead-letters")
    MockEndpoint deadLetters;

    @BeforeEach
    void replaceKafkaAndApp3() throws Exception {
        RouteTests.adviseOnceThenStart(camel, () -> {
            AdviceWith.adviceWith(camel, "forward-purchase", route -> {
                route.replaceFromWith("direct:purchase-topic");
                route.weaveById("post-to-app3").replace().to("mock:app3");
            });
            // The dead-letter channel's endpoint is not part of the route: intercept it where it is sent.
            AdviceWith.adviceWith(
                    camel,
                    "forward-purchase",
                    route -> route.interceptSendToEndpoint("kafka:dead-letters")
                            .skipSendToOriginalEndpoint()
                            .to("mock:dead-letters"));
        });
    }

    @Test
    void forwardsEachPurchaseToApp3() throws Exception {
        app3.expectedMessageCount(1);
        app3.expectedHeaderReceived("Content-Type", "application/json");

        template.sendBodyAndHeaders(
                "direct:purchase-topic", Purchases.valid(), Map.of("kafka.TOPIC", "Purchase", "kafka.KEY", "k1"));

        MockEndpoint.assertIsSatisfied(app3);
        assertThat(RouteTests.onTheWire(
                        camel, "http", app3.getExchanges().get(0).getMessage()))
                .as("the record's own headers stay in app2")
                .containsExactlyInAnyOrder("Content-Type", "traceparent");
        assertThat(deadLetters.getReceivedCounter()).isZero();
    }

    @Test
    void retriesWhileApp3IsUnreachableAndDeliversOnceItIsBack() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        app3.whenAnyExchangeReceived(e -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new ConnectException("Connection refused");
            }
        });

        template.sendBodyAndHeaders(
                "direct:purchase-topic", Purchases.valid(), Map.of("kafka.TOPIC", "Purchase", "kafka.KEY", "k2"));

        assertThat(attempts).hasValue(4);
        assertThat(deadLetters.getReceivedCounter()).isZero();
    }

    @Test
    void sendsAPoisonMessageToPurchaseDltWithItsOriginalPayloadAndTheError() throws Exception {
        deadLetters.expectedMessageCount(1);
        String poison = Purchases.withQuantityAsString();

        template.sendBodyAndHeaders(
                "direct:purchase-topic", poison, Map.of("kafka.TOPIC", "Purchase", "kafka.KEY", "k3"));

        MockEndpoint.assertIsSatisfied(deadLetters);
        var deadLetter = deadLetters.getExchanges().get(0).getMessage();
        assertThat(deadLetter.getBody(String.class)).isEqualTo(poison);
        assertThat(deadLetter.getHeader("kafka.OVERRIDE_TOPIC")).isEqualTo("Purchase.DLT");
        assertThat(deadLetter.getHeader("kafka.KEY")).isEqualTo("k3");
        assertThat(deadLetter.getHeader("dead-letter-error", String.class)).contains("JsonValidationException");
        assertThat(deadLetter.getHeader("dead-letter-attempts")).isEqualTo("1");
        assertThat(app3.getReceivedCounter()).isZero();
    }
}
