package io.github.camelotel.platform.tracing;

import io.github.camelotel.platform.security.Caller;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.net.URI;
import java.util.Locale;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.tracing.SpanKind;

/** HTTP spans by the stable HTTP semantic conventions. */
final class HttpSpans {

    private HttpSpans() {}

    /**
     * A request a route serves over HTTP: SERVER span {@code {method} {route}}, e.g. {@code GET /orders/{orderId}},
     * with {@code http.request.method}, {@code http.route}, {@code url.path} and {@code http.response.status_code};
     * ERROR for a 5xx answer. A REST DSL route bound to a contract ({@code rest-openapi}) serves every operation of
     * its document: its route is the operation's path template ({@link SpanShapes#HTTP_ROUTE}), known once the
     * request is matched, so the span is named when it ends.
     */
    static final class Server extends ShapedSpanDecorator {

        Server(String component, String componentClassName) {
            super(component, componentClassName);
        }

        @Override
        public String getOperationName(Exchange exchange, Endpoint endpoint) {
            String route = route(exchange, endpoint);
            return route == null ? method(exchange, endpoint) : method(exchange, endpoint) + " " + route;
        }

        @Override
        void describe(Span span, Exchange exchange, Endpoint endpoint) {
            span.setAttribute("http.request.method", method(exchange, endpoint));
            span.setAttribute("url.scheme", "http");
            String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
            if (uri != null) {
                int query = uri.indexOf('?');
                span.setAttribute("url.path", query < 0 ? uri : uri.substring(0, query));
            }
        }

        @Override
        void complete(Span span, Exchange exchange, Endpoint endpoint) {
            String route = route(exchange, endpoint);
            if (route != null) {
                span.setAttribute("http.route", route);
                span.updateName(method(exchange, endpoint) + " " + route);
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null) {
                // what platform-http answers when the route sets no code
                status = exchange.isFailed() ? 500 : exchange.getMessage().getBody() == null ? 204 : 200;
            }
            span.setAttribute("http.response.status_code", (long) status);
            Caller caller = Caller.of(exchange);
            if (!caller.clientId().isEmpty()) {
                span.setAttribute(Caller.CLIENT_ID_ATTRIBUTE, caller.clientId());
            }
            if (caller.isUser()) {
                span.setAttribute(Caller.USER_ID_ATTRIBUTE, caller.subject());
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute("error.type", String.valueOf(status));
            }
        }

        private static String method(Exchange exchange, Endpoint endpoint) {
            String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
            if (method == null
                    && endpoint instanceof PlatformHttpEndpoint http
                    && http.getHttpMethodRestrict() != null) {
                method = http.getHttpMethodRestrict().split(",")[0];
            }
            return method == null ? "HTTP" : method.toUpperCase(Locale.ROOT);
        }

        /** The path template of the request, or null while it is not known. */
        private static String route(Exchange exchange, Endpoint endpoint) {
            String route = exchange.getProperty(SpanShapes.HTTP_ROUTE, String.class);
            if (route == null && endpoint instanceof PlatformHttpEndpoint http && !http.isMatchOnUriPrefix()) {
                route = http.getPath().startsWith("/") ? http.getPath() : "/" + http.getPath();
            }
            return route;
        }

        @Override
        public SpanKind getReceiverSpanKind() {
            return SpanKind.SPAN_KIND_SERVER;
        }
    }

    /**
     * A call by the {@code http}/{@code https} component: CLIENT span named by the method, with {@code url.full},
     * {@code server.address}, {@code server.port} and {@code http.response.status_code}; ERROR for a 4xx or 5xx
     * answer or no answer.
     */
    static final class Client extends ShapedSpanDecorator {

        Client(String scheme) {
            super(scheme, "org.apache.camel.component.http.HttpComponent");
        }

        @Override
        public String getOperationName(Exchange exchange, Endpoint endpoint) {
            return method(exchange, endpoint);
        }

        @Override
        void describe(Span span, Exchange exchange, Endpoint endpoint) {
            span.setAttribute("http.request.method", method(exchange, endpoint));
            URI url = url(endpoint);
            if (url != null) {
                span.setAttribute("url.full", url.toString());
                int port = url.getPort() < 0 ? ("https".equals(url.getScheme()) ? 443 : 80) : url.getPort();
                span.setAllAttributes(server(url.getHost(), port));
            }
        }

        @Override
        void complete(Span span, Exchange exchange, Endpoint endpoint) {
            Integer status = exchange.getException() instanceof HttpOperationFailedException failed
                    ? Integer.valueOf(failed.getStatusCode())
                    : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status != null) {
                span.setAttribute("http.response.status_code", (long) status);
                if (status >= 400) {
                    span.setStatus(StatusCode.ERROR);
                    span.setAttribute("error.type", String.valueOf(status));
                }
            }
        }

        private static URI url(Endpoint endpoint) {
            if (endpoint instanceof HttpEndpoint http) {
                return http.getHttpUri();
            }
            return null;
        }

        private static String method(Exchange exchange, Endpoint endpoint) {
            String method = endpoint instanceof HttpEndpoint http && http.getHttpMethod() != null
                    ? http.getHttpMethod().name()
                    : null;
            if (method == null) {
                method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
            }
            if (method == null) {
                method = exchange.getIn().getBody() == null ? "GET" : "POST";
            }
            return method.toUpperCase(Locale.ROOT);
        }
    }
}
