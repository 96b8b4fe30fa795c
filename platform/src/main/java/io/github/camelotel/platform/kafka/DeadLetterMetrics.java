package io.github.camelotel.platform.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.impl.event.ExchangeFailureHandledEvent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Counts the messages each consumer route gives up on and sends to its dead-letter topic: Prometheus metric
 * {@code dead_letters_total{routeId, topic}} (topic: the one consumed; the dead letter went to {@code <topic>.DLT}).
 * The counter of every Kafka consumer route exists from start-up at 0, so "dead letters present" is
 * {@code increase(dead_letters_total[10m]) > 0} and a dashboard shows 0 rather than no data.
 */
final class DeadLetterMetrics extends EventNotifierSupport {

    static final String METER = "dead.letters";
    private static final String KAFKA_SCHEME = "kafka://";

    private final MeterRegistry registry;

    DeadLetterMetrics(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** Registers the counter of every route that consumes a Kafka topic. */
    void registerConsumerRoutes(CamelContext camelContext) {
        for (Route route : camelContext.getRoutes()) {
            String topic = topic(route);
            if (topic != null) {
                counter(route.getRouteId(), topic);
            }
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeFailureHandledEvent handled && handled.isDeadLetterChannel();
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeFailureHandledEvent) event).getExchange();
        Route route = exchange.getContext().getRoute(exchange.getFromRouteId());
        String topic = route == null ? null : topic(route);
        if (topic != null) {
            counter(route.getRouteId(), topic).increment();
        }
    }

    private Counter counter(String routeId, String topic) {
        return Counter.builder(METER)
                .description("Messages sent to the dead-letter topic <topic>.DLT after processing failed")
                .tag("routeId", routeId)
                .tag("topic", topic)
                .register(registry);
    }

    /** The topic a route consumes ({@code kafka://Purchase} gives {@code Purchase}), or null for other routes. */
    static String topic(Route route) {
        String uri = route.getEndpoint().getEndpointBaseUri();
        return uri != null && uri.startsWith(KAFKA_SCHEME) ? uri.substring(KAFKA_SCHEME.length()) : null;
    }
}
