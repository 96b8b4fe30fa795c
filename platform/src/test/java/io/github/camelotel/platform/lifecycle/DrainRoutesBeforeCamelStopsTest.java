package io.github.camelotel.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

    final RecordingPolicy policy = new RecordingPolicy();
    final CountDownLatch entered = new CountDownLatch(1);

    @Test
    void anExchangeThatCompletesDuringTheStopIsSeenDone() throws Exception {
        CamelContext camel = startedWithSlowRoute();
        CompletableFuture<Object> inFlight = sendAndAwaitInFlight(camel);

        new DrainRoutesBeforeCamelStops(() -> camel).stop();
        camel.stop();

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("order-1 done");
        assertThat(policy.begun).hasValue(1);
        assertThat(policy.done)
                .as("onExchangeDone of the exchange that finished while stopping")
                .hasValue(1);
    }

    /** What the drain is for: Camel's own stop completes the exchange but skips the route policy. */
    @Test
    void withoutItCamelSkipsTheRoutePolicyOfAnExchangeThatCompletesWhileItStops() throws Exception {
        CamelContext camel = startedWithSlowRoute();
        CompletableFuture<Object> inFlight = sendAndAwaitInFlight(camel);

        camel.stop();

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("order-1 done");
        assertThat(policy.done).hasValue(0);
    }

    /** A route that takes half a second per exchange, after telling {@link #entered} that one is in it. */
    CamelContext startedWithSlowRoute() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(30);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in")
                        .routePolicy(policy)
                        .process(exchange -> entered.countDown())
                        .delay(500)
                        .transform(simple("${body} done"));
            }
        });
        camel.start();
        return camel;
    }

    CompletableFuture<Object> sendAndAwaitInFlight(CamelContext camel) throws InterruptedException {
        CompletableFuture<Object> inFlight = camel.createProducerTemplate().asyncRequestBody("direct:in", "order-1");
        assertThat(entered.await(10, TimeUnit.SECONDS))
                .as("the exchange is in the route")
                .isTrue();
        assertThat(camel.getInflightRepository().size())
                .as("exchanges in flight")
                .isEqualTo(1);
        return inFlight;
    }
}
