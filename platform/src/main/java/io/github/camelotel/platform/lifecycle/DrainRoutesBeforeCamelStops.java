package io.github.camelotel.platform.lifecycle;

import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.springframework.context.Phased;
import org.springframework.context.SmartLifecycle;

/**
 * On a graceful stop, lets the routes finish their in-flight exchanges while Camel is still running, and only then
 * lets Camel stop.
 * <p>
 * Camel does not call a route policy's {@code onExchangeDone} while its context is stopping. The tracer ends a
 * route's span (the Kafka CONSUMER or HTTP SERVER span) and the route metrics record an exchange in exactly that
 * callback, so every exchange that completed during Camel's own graceful stop was processed but left no span and no
 * timing: a scaled-down consumer's last purchases had traces without their consumer hop. This lifecycle stops just
 * before the Camel context does and runs Camel's own shutdown strategy over the routes (consumers first, in-flight
 * exchanges awaited up to {@code camel.main.shutdown-timeout}); when Camel stops next, nothing is left in flight.
 */
final class DrainRoutesBeforeCamelStops implements SmartLifecycle {

    private final Supplier<CamelContext> camel;
    private volatile boolean running;

    /**
     * Takes the Camel context as a supplier, looked up when needed: a lifecycle bean that depended on it would make
     * Spring start the context ahead of its phase, before its routes are loaded.
     */
    DrainRoutesBeforeCamelStops(Supplier<CamelContext> camel) {
        this.camel = camel;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        CamelContext context = camel.get();
        try {
            context.getShutdownStrategy()
                    .shutdown(context, context.getCamelContextExtension().getRouteStartupOrder());
        } catch (Exception e) {
            throw new IllegalStateException("draining the routes before Camel stops failed", e);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops right before the Camel context (a higher phase stops earlier). */
    @Override
    public int getPhase() {
        return camel.get() instanceof Phased phased ? phased.getPhase() + 1 : DEFAULT_PHASE;
    }
}
