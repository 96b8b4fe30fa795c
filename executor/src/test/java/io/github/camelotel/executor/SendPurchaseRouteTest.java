package io.github.camelotel.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.RouteTests;
import java.net.ConnectException;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/** The executor's tick, with app1-api replaced by a mock endpoint. */
@CamelSpringBootTest
@SpringBootTest(properties = "OAUTH2_CLIENT_SECRET=route-test")
@UseAdviceWith
class SendPurchaseRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @EndpointInject("mock:app1")
    MockEndpoint app1;

    @BeforeEach
    void replaceTimerAndApp1() throws Exception {
        RouteTests.adviseOnceThenStart(camel, () -> {
            AdviceWith.adviceWith(camel, "send-purchase", route -> route.replaceFromWith("direct:tick"));
            AdviceWith.adviceWith(
                    camel,
                    "post-to-app1",
                    route -> route.weaveByType(ToDynamicDefinition.class)
                            .replace()
                            .setHeader("path", simpleVariable())
                            .to("mock:app1"));
        });
    }

    private static org.apache.camel.builder.ValueBuilder simpleVariable() {
        return org.apache.camel.builder.Builder.simple("${variable.path}");
    }

    @Test
    void sendsOnePurchaseDownTheSyncThenTheAsyncPathWithTheClientHeaders() throws Exception {
        app1.expectedMessageCount(2);
        app1.whenAnyExchangeReceived(e -> e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201));

        Exchange tick = template.send("direct:tick", e -> {});

        app1.assertIsSatisfied();
        List<Exchange> calls = app1.getExchanges();
        assertThat(calls)
                .extracting(e -> e.getMessage().getHeader("path"))
                .containsExactly("/Message", "/Message/Post-Message");
        JsonNode sync = JSON.readTree(calls.get(0).getMessage().getBody(String.class));
        JsonNode async = JSON.readTree(calls.get(1).getMessage().getBody(String.class));
        assertThat(async).as("the same purchase on both paths").isEqualTo(sync);
        assertThat(sync.get("items").size()).isPositive();
        for (Exchange call : calls) {
            assertThat(call.getMessage().getHeader("x-client-id")).isEqualTo("executor");
            assertThat(call.getMessage().getHeader("x-session-id", String.class))
                    .isNotBlank();
            assertThat(call.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
        }
        assertThat(tick.getVariable("syncOutcome", String.class)).isEqualTo("201");
    }

    @Test
    void reportsAnUnreachableApp1AndKeepsGoing() throws Exception {
        app1.whenAnyExchangeReceived(e -> {
            throw new ConnectException("Connection refused");
        });

        Exchange tick = template.send("direct:tick", e -> {});

        assertThat(tick.isFailed()).isFalse();
        assertThat(tick.getVariable("syncOutcome", String.class)).startsWith("failed (ConnectException");
        assertThat(tick.getVariable("outcome", String.class)).startsWith("failed (ConnectException");
    }
}
