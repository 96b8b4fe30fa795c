package io.github.camelotel.platform;

import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;

/** What the apps' route tests share. */
public final class RouteTests {

    /** Advice that replaces endpoints of routes (AdviceWith), run before Camel starts. */
    @FunctionalInterface
    public interface Advice {
        void apply() throws Exception;
    }

    private RouteTests() {
    }

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
}
