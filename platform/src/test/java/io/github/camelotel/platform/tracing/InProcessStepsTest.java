package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Camel's tracer as the platform builds it: in-process steps make no span, a timer's route is an INTERNAL root. */
class InProcessStepsTest extends TracedCamel {

    @Test
    void aTimerRouteIsAnInternalRootNamedByItsIdAndDirectSedaAndLogStepsAreNoSpans() throws Exception {
        trace(new MockEnvironment());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:purchases?repeatCount=1")
                        .routeId("send-purchase")
                        .to("direct:post")
                        .to("log:sent");
                from("direct:post").routeId("post-purchase").to("seda:later").to("mock:posted");
                from("seda:later").routeId("later-step").to("mock:later");
            }
        });
        NotifyBuilder done = new NotifyBuilder(camel)
                .fromRoute("later-step")
                .whenDone(1)
                .and()
                .fromRoute("send-purchase")
                .whenDone(1)
                .create();
        camel.start();
        assertThat(done.matches(10, TimeUnit.SECONDS)).isTrue();

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished)
                .extracting(SpanData::getName)
                .containsExactlyInAnyOrder("send purchase", "mock", "later step", "mock");
        SpanData root = finished.stream()
                .filter(s -> s.getName().equals("send purchase"))
                .findFirst()
                .orElseThrow();
        assertThat(root.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        SpanData later = finished.stream()
                .filter(s -> s.getName().equals("later step"))
                .findFirst()
                .orElseThrow();
        assertThat(later.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(later.getTraceId())
                .as("the seda step continues the timer's trace")
                .isEqualTo(root.getTraceId());
    }
}
