package io.github.camelotel.platform;

import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.HeaderFilterStrategyComponent;

/** What the apps' route tests share. */
public final class RouteTests {

    /** Advice that replaces endpoints of routes (AdviceWith), run before Camel starts. */
    @FunctionalInterface
    public interface Advice {
        void apply() throws Exception;
    }

    private RouteTests() {}

    /**
     * With {@code @UseAdviceWith}, advises the routes and starts Camel for the first test of a Spring test context
     * (which later tests share); for the later ones, only resets the mock endpoints.
     */
    public static void adviseOnceThenStart(CamelContext camel, Advice advice) throws Exception {
        if (camel.isStarted()) {
            MockEndpoint.resetMocks(camel);
            return;
        }
        advice.apply();
        camel.start();
    }

    /**
     * The headers of a message (one a mock endpoint received in place of the component) that the component's
     * header filter, as the platform configures it, would put on the wire.
     */
    public static List<String> onTheWire(CamelContext camel, String component, Message message) {
        HeaderFilterStrategy filter = component.equals("kafka")
                ? camel.getComponent("kafka", KafkaComponent.class)
                        .getConfiguration()
                        .getHeaderFilterStrategy()
                : ((HeaderFilterStrategyComponent) camel.getComponent(component)).getHeaderFilterStrategy();
        return message.getHeaders().entrySet().stream()
                .filter(header ->
                        !filter.applyFilterToCamelHeaders(header.getKey(), header.getValue(), message.getExchange()))
                .map(Map.Entry::getKey)
                .toList();
    }
}
