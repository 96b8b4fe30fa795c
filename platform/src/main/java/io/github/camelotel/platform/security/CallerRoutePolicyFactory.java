package io.github.camelotel.platform.security;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Copies the caller from the HTTP request to the exchange ({@link Caller#PROPERTY}) as a route fed by the HTTP server
 * begins, while the message still is the request: later steps replace it.
 */
final class CallerRoutePolicyFactory implements RoutePolicyFactory {

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route route, Exchange exchange) {
                if (!exchange.getProperties().containsKey(Caller.PROPERTY)) {
                    Caller caller = Caller.fromRequest(exchange);
                    if (caller != null) {
                        exchange.setProperty(Caller.PROPERTY, caller);
                    }
                }
            }
        };
    }
}
