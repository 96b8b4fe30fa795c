package io.github.camelotel.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.RoutePolicySupport;
import org.junit.jupiter.api.Test;

/**
 * An exchange still in flight when the app is asked to stop: its route policy (where the tracer ends the route's
 * span) must see it done.
 */
class DrainRoutesBeforeCamelStopsTest {

    /** Counts what the tracer's route policy would see: exchanges begun and done. */
    static final class RecordingPolicy extends RoutePolicySupport {
        final AtomicInteger begun = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            begun.incrementAndGet();
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            done.incrementAndGet();
        }
    }

    @Test
    void anExchangeThatCompletesDuringTheStopIsSeenDone() throws Exception {
        RecordingPolicy policy = new RecordingPolicy();
        CamelContext camel = startedWithSlowRoute(policy);
        CompletableFuture<Object> inFlight = camel.createProducerTemplate().asyncRequestBody("direct:in", "order-1");
        awaitInFlight(camel);

        new DrainRoutesBeforeCamelStops(() -> camel).stop();
        camel.stop();

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("order-1 done");
        assertThat(policy.begun).hasValue(1);
        assertThat(policy.done).as("onExchangeDone of the exchange that finished while stopping").hasValue(1);
    }

    /** What the drain is for: Camel's own stop completes the exchange but skips the route policy. */
    @Test
    void withoutItCamelSkipsTheRoutePolicyOfAnExchangeThatCompletesWhileItStops() throws Exception {
        RecordingPolicy policy = new RecordingPolicy();
        CamelContext camel = startedWithSlowRoute(policy);
        CompletableFuture<Object> inFlight = camel.createProducerTemplate().asyncRequestBody("direct:in", "order-1");
        awaitInFlight(camel);

        camel.stop();

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("order-1 done");
        assertThat(policy.done).hasValue(0);
    }

    static CamelContext startedWithSlowRoute(RecordingPolicy policy) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(30);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").routePolicy(policy).delay(500).transform(simple("${body} done"));
            }
        });
        camel.start();
        return camel;
    }

    static void awaitInFlight(CamelContext camel) throws InterruptedException {
        for (int i = 0; i < 100 && camel.getInflightRepository().size() == 0; i++) {
            Thread.sleep(20);
        }
        assertThat(camel.getInflightRepository().size()).as("exchanges in flight").isEqualTo(1);
    }
}
