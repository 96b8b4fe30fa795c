package io.github.camelotel.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.LocalHttp;
import io.github.camelotel.platform.RouteTests;
import io.github.camelotel.platform.TestTokens;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.Builder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.MockEndpointsAndSkip;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Load mode through its routes: POST /load starts a run, the senders post each purchase to (a mock of) app1-api,
 * completion events (here sent by the mock as app4-worker would) end them, GET /load reports.
 */
@CamelSpringBootTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "executor.load.concurrency=4",
            "executor.load.drain-timeout-ms=2000",
            "executor.initial-delay=0",
            "OAUTH2_CLIENT_SECRET=route-test"
        })
@Import(TestTokens.class)
@UseAdviceWith
@MockEndpointsAndSkip("kafka:*")
class LoadModeRouteTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @EndpointInject("mock:app1")
    MockEndpoint app1;

    @LocalServerPort
    int port;

    @BeforeEach
    void replaceApp1AndTheCompletionTopic() throws Exception {
        RouteTests.adviseOnceThenStart(camel, () -> {
            AdviceWith.adviceWith(camel, "send-purchase", route -> route.replaceFromWith("direct:tick"));
            AdviceWith.adviceWith(camel, "track-completion", route -> route.replaceFromWith("direct:completions"));
            AdviceWith.adviceWith(
                    camel,
                    "post-to-app1",
                    route -> route.weaveByType(ToDynamicDefinition.class)
                            .replace()
                            .setHeader("path", Builder.simple("${variable.path}"))
                            .to("mock:app1"));
        });
    }

    @Test
    void runsAtTheRateAndMeasuresEachPurchaseUntilApp4CompletesIt() throws Exception {
        app1.expectedMessageCount(40);
        app1.whenAnyExchangeReceived(this::acceptAndCompleteAsApp4Would);

        long posted = System.nanoTime();
        HttpResponse<String> started = post("{\"rate\": 50, \"count\": 20}");
        HttpResponse<String> conflict = post("{\"rate\": 50, \"count\": 20}");

        assertThat(started.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).path("rate").asDouble()).isEqualTo(50.0);
        assertThat(conflict.statusCode())
                .as("one run at a time: %s %s", conflict.headers().map(), conflict.body())
                .isEqualTo(409);
        JsonNode report = awaitDone();
        double observedSeconds = (System.nanoTime() - posted) / 1e9;
        app1.assertIsSatisfied();
        assertThat(report.path("sent").asLong()).isEqualTo(20);
        assertThat(report.path("completed").asLong()).isEqualTo(20);
        assertThat(report.path("failed").asLong()).isZero();
        // paced, not at once: the 20th is due 19 × 20 ms after the first. The upper bounds are what this test saw
        // itself, so that a slow machine fails nothing while a wrong unit or clock still does.
        assertThat(report.path("sendingSeconds").asDouble())
                .as("20 purchases at 50/s")
                .isBetween(0.35, observedSeconds);
        assertThat(report.path("latencyMs").path("max").asDouble()).isBetween(0.0, observedSeconds * 1000);
        long perSecond = 0;
        for (JsonNode second : report.path("seconds")) {
            perSecond += second.path("completed").asLong();
        }
        assertThat(perSecond).isEqualTo(20);
    }

    @Test
    void countsAPurchaseApp1RefusesAsFailedAndDoesNotWaitForIt() throws Exception {
        app1.whenAnyExchangeReceived(e -> e.getMessage()
                .setHeader(
                        Exchange.HTTP_RESPONSE_CODE,
                        "/Message".equals(e.getMessage().getHeader("path")) ? 201 : 503));

        post("{\"rate\": \"max\", \"count\": 3}");

        JsonNode report = awaitDone();
        assertThat(report.path("sent").asLong()).isEqualTo(3);
        assertThat(report.path("failed").asLong()).isEqualTo(3);
        assertThat(report.path("lastFailure").asText()).isEqualTo("sync=201 async=503");
    }

    @Test
    void refusesABadPlanNamingTheField() throws Exception {
        HttpResponse<String> refused = post("{\"rate\": \"fast\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("fields").findValuesAsText("field"))
                .contains("rate");
    }

    @Test
    void refusesAPlanWithNeitherDurationNorCount() throws Exception {
        HttpResponse<String> refused = post("{\"rate\": 5, \"durationSeconds\": 0, \"count\": 0}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("durationSeconds or a count");
    }

    private void acceptAndCompleteAsApp4Would(Exchange call) throws Exception {
        boolean async = "/Message/Post-Message".equals(call.getMessage().getHeader("path"));
        call.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, async ? 202 : 201);
        if (async) {
            String orderId = JSON.readTree(call.getMessage().getBody(String.class))
                    .path("orderId")
                    .asText();
            template.sendBodyAndHeader(
                    "direct:completions",
                    "{\"orderId\":\"" + orderId + "\",\"status\":\"COMPLETED\"}",
                    "kafka.TIMESTAMP",
                    System.currentTimeMillis());
        }
    }

    private HttpResponse<String> post(String body) {
        return new LocalHttp(port).postJson("/load", body);
    }

    private JsonNode awaitDone() {
        AtomicReference<JsonNode> report = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            report.set(JSON.readTree(new LocalHttp(port).get("/load").body()));
            assertThat(report.get().path("state").asText())
                    .as("the run's state; last report: %s", report.get())
                    .isEqualTo("done");
        });
        return report.get();
    }
}
