package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import java.util.Locale;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;

/**
 * A command of the {@code spring-redis} component by the database semantic conventions: CLIENT span named by the
 * command ({@code SETEX}, {@code GET}), {@code db.system} and {@code peer.service} redis, {@code db.operation.name},
 * {@code server.address} and {@code server.port} of the app's Redis. Neither key nor value is recorded (a value can
 * be a whole message). {@link #attributes} gives the same attributes to a Redis call made outside an endpoint.
 */
public final class RedisSpans extends ShapedSpanDecorator {

    /** camel-spring-redis's default when the route sets no {@code CamelRedis.Command}. */
    private static final String DEFAULT_COMMAND = "SET";

    /** Where Redis is: the connection is the component's (one template for the app), not in the endpoint URI. */
    private final Attributes server;

    RedisSpans(String host, int port) {
        super("spring-redis", "org.apache.camel.component.redis.RedisComponent");
        this.server = server(host, port);
    }

    /**
     * The attributes of the CLIENT span of a Redis command, named by the command.
     *
     * @param port -1 for none
     */
    public static Attributes attributes(String command, String host, int port) {
        return attributes(command, server(host, port));
    }

    private static Attributes attributes(String command, Attributes server) {
        return Attributes.builder()
                .put("db.system", "redis")
                .put("peer.service", "redis")
                .put("db.operation.name", command)
                .putAll(server)
                .build();
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return command(exchange);
    }

    @Override
    void describe(Span span, Exchange exchange, Endpoint endpoint) {
        span.setAllAttributes(attributes(command(exchange), server));
    }

    private static String command(Exchange exchange) {
        String command = exchange.getIn().getHeader("CamelRedis.Command", String.class);
        return command == null ? DEFAULT_COMMAND : command.toUpperCase(Locale.ROOT);
    }
}
