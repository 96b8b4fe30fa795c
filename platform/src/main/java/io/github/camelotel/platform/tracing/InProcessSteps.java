package io.github.camelotel.platform.tracing;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.tracing.decorators.AbstractInternalSpanDecorator;

/**
 * A component that works inside the app ({@code direct}, {@code seda}, {@code timer}, validators, templates,
 * beans): a call to it starts no span, its work is part of the span of the call that runs it. A route it feeds that
 * has no caller's span (a timer tick, a seda consumer fed from an untraced route) starts an INTERNAL root span named
 * by its route id with spaces for dashes ({@code send-purchase} → {@code send purchase}). Routes fed by
 * {@code direct:} start no span either: {@link SpanShapes#EXCLUDED} leaves them out of tracing.
 *
 * <p>Being an {@link AbstractInternalSpanDecorator} is what makes Camel's tracer give such a root span no kind
 * (INTERNAL) instead of SERVER.
 */
final class InProcessSteps extends AbstractInternalSpanDecorator {

    private final String component;

    InProcessSteps(String component) {
        this.component = component;
    }

    @Override
    public String getComponent() {
        return component;
    }

    @Override
    public String getComponentClassName() {
        return null;
    }

    @Override
    public boolean newSpan() {
        return false;
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        String routeId = exchange.getFromRouteId();
        return routeId == null ? super.getOperationName(exchange, endpoint) : routeId.replace('-', ' ');
    }
}
