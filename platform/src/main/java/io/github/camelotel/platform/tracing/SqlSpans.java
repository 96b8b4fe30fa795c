package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.support.ResourceHelper;

/**
 * A statement of the {@code sql} component by the database semantic conventions: CLIENT span
 * {@code {operation} {table}} ({@code INSERT orders}) with {@code db.system} (from the JDBC URL, e.g. postgresql),
 * {@code db.namespace} (the database), {@code db.query.text} (placeholders only), {@code db.operation.name},
 * {@code db.collection.name}, {@code server.address}, {@code server.port}, and {@code peer.service} named by the
 * system, which names the database's node in a service graph (Tempo's, Zipkin's).
 */
final class SqlSpans extends ShapedSpanDecorator {

    private static final String QUERY_HEADER = "CamelSqlQuery";
    private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system");
    private static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");

    private final String defaultJdbcUrl;
    private final Map<String, SqlStatement> statements = new ConcurrentHashMap<>();
    /** The database's attributes by JDBC URL, worked out once. */
    private final Map<String, Attributes> connections = new ConcurrentHashMap<>();

    /** @param defaultJdbcUrl the app's {@code spring.datasource.url}, for an endpoint that does not tell its own */
    SqlSpans(String defaultJdbcUrl) {
        super("sql", "org.apache.camel.component.sql.SqlComponent");
        this.defaultJdbcUrl = defaultJdbcUrl;
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return statement(exchange, endpoint).spanName();
    }

    @Override
    void describe(Span span, Exchange exchange, Endpoint endpoint) {
        SqlStatement statement = statement(exchange, endpoint);
        span.setAttribute("db.query.text", statement.text());
        span.setAttribute("db.operation.name", statement.operation());
        if (statement.table() != null) {
            span.setAttribute("db.collection.name", statement.table());
        }
        String jdbcUrl = endpoint instanceof EndpointServiceLocation location
                        && location.getServiceUrl() != null
                        && location.getServiceUrl().startsWith("jdbc:")
                ? location.getServiceUrl()
                : defaultJdbcUrl;
        span.setAllAttributes(connections.computeIfAbsent(jdbcUrl == null ? "" : jdbcUrl, SqlSpans::connection));
    }

    /** The attributes of the database a JDBC URL names, such as {@code jdbc:postgresql://host:port/database?options}. */
    private static Attributes connection(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:")) {
            return Attributes.of(DB_SYSTEM, "other_sql", PEER_SERVICE, "other_sql");
        }
        String url = jdbcUrl.substring("jdbc:".length());
        String system = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
        AttributesBuilder attributes =
                Attributes.builder().put(DB_SYSTEM, system).put(PEER_SERVICE, system);
        int authority = url.indexOf("//");
        if (authority >= 0) {
            String rest = url.substring(authority + 2).split("[?;]")[0];
            int slash = rest.indexOf('/');
            attributes.putAll(server(slash < 0 ? rest : rest.substring(0, slash)));
            if (slash >= 0 && slash + 1 < rest.length()) {
                attributes.put("db.namespace", rest.substring(slash + 1));
            }
        }
        return attributes.build();
    }

    /** The statement of the endpoint (parsed once), or of the exchange's {@code CamelSqlQuery} header. */
    private SqlStatement statement(Exchange exchange, Endpoint endpoint) {
        String override = exchange.getIn().getHeader(QUERY_HEADER, String.class);
        if (override != null) {
            return SqlStatement.parse(override);
        }
        return statements.computeIfAbsent(
                endpoint.getEndpointUri(), uri -> SqlStatement.parse(load(exchange.getContext(), query(endpoint))));
    }

    /** The endpoint's query as configured: the SQL, or where to read it ({@code classpath:...}). */
    private static String query(Endpoint endpoint) {
        try {
            Object query = endpoint.getClass().getMethod("getQuery").invoke(endpoint);
            if (query instanceof String text) {
                return text;
            }
        } catch (ReflectiveOperationException e) {
            // not a SqlEndpoint: fall back to its URI
        }
        return stripSchemeAndOptions(endpoint);
    }

    private static String load(CamelContext camel, String query) {
        if (!query.startsWith("classpath:") && !query.startsWith("file:")) {
            return query;
        }
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(camel, query)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return query;
        }
    }
}
