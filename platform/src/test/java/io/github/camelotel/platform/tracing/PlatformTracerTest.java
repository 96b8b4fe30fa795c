package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Exclude patterns, matched once per route and endpoint: the routes and calls they name make no span. */
class PlatformTracerTest extends TracedCamel {

    @Test
    void excludedRoutesAndCallsMakeNoSpanAndTheRestIsTraced() throws Exception {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("camel.opentelemetry.exclude-patterns", "timer:quiet*, mock:hidden*");
        var tracer = trace(environment);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:quiet?repeatCount=1")
                        .routeId("quiet")
                        .to("mock:hidden")
                        .to("mock:seen-by-quiet");
                from("timer:loud?repeatCount=1")
                        .routeId("loud")
                        .to("direct:step")
                        .to("mock:hidden?retainFirst=1")
                        .to("mock:seen");
                from("direct:step").routeId("step").to("mock:seen-in-step");
            }
        });
        NotifyBuilder done = new NotifyBuilder(camel)
                .fromRoute("quiet")
                .whenDone(1)
                .and()
                .fromRoute("loud")
                .whenDone(1)
                .create();
        camel.start();
        assertThat(done.matches(10, TimeUnit.SECONDS)).isTrue();

        List<SpanData> finished = spans.getFinishedSpanItems();
        // no span for the quiet route, the direct route or either call to mock:hidden
        assertThat(finished).extracting(SpanData::getName).containsExactlyInAnyOrder("loud", "mock", "mock", "mock");
        SpanData loud = finished.stream()
                .filter(s -> s.getName().equals("loud"))
                .findFirst()
                .orElseThrow();
        List<SpanData> calls = finished.stream().filter(s -> s != loud).toList();
        assertThat(calls)
                .extracting(PlatformTracerTest::uri)
                .containsExactlyInAnyOrder("mock://seen-by-quiet", "mock://seen", "mock://seen-in-step");
        assertThat(calls)
                .filteredOn(call -> !"mock://seen-by-quiet".equals(uri(call)))
                .allSatisfy(call -> assertThat(call.getParentSpanId()).isEqualTo(loud.getSpanId()));
        assertThat(tracer.getExcludePatterns()).isEqualTo("direct:*,timer:quiet*,mock:hidden*");
    }

    private static String uri(SpanData span) {
        return span.getAttributes().get(AttributeKey.stringKey("camel.uri"));
    }
}
