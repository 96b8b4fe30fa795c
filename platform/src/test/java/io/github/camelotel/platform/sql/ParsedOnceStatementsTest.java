package io.github.camelotel.platform.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The statements parsed once give what camel-sql's default strategy gives on every execution. */
class ParsedOnceStatementsTest {

    static final Path SQL = Path.of(System.getProperty("project.root", "..")).resolve("routes/app3-api/sql");
    final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void preparesAndFillsTheRoutesStatementsAsTheDefaultDoes() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = Files.list(SQL)) {
            files = listed.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        ParsedOnceStatements parsedOnce = new ParsedOnceStatements(',');
        for (Path file : files) {
            // camel-sql turns the statement's :# into :? before the strategy sees it
            String query = Files.readString(file).replace('#', '?');
            for (int execution = 0; execution < 2; execution++) { // the second from what the first remembered
                Exchange exchange = exchange(Map.of(
                        "purchase", "{\"orderId\":\"o-" + execution + "\"}",
                        "event", "PAID",
                        "orderId", "o-" + execution,
                        "traceId", "t" + execution,
                        "customerId", "C-" + execution));
                assertThat(parsedOnce.prepareQuery(query, true, exchange))
                        .as(file.getFileName().toString())
                        .isEqualTo(defaults().prepareQuery(query, true, exchange))
                        .doesNotContain(":?");
                assertThat(values(parsedOnce, query, exchange))
                        .as(file.getFileName().toString())
                        .isNotEmpty()
                        .isEqualTo(values(defaults(), query, exchange));
            }
        }
    }

    @Test
    void findsWordsAndNestedExpressionsInOrder() {
        assertThat(ParsedOnceStatements.parameterNames(
                        "SELECT :?a_1, :?${variable.x}, :?${array[${index}]} , :?$simple{header.h}, ':? ', x::?b"))
                .containsExactly("a_1", "${variable.x}", "${array[${index}]}", "$simple{header.h}", "b");
    }

    @Test
    void aMissingNamedParameterIsAnErrorAsWithTheDefault() {
        Exchange exchange = exchange(Map.of());
        String query = "SELECT * FROM orders WHERE order_id = :?orderId";

        assertThatThrownBy(() -> values(new ParsedOnceStatements(','), query, exchange))
                .isInstanceOf(RuntimeExchangeException.class)
                .hasMessageContaining("[orderId]");
        assertThatThrownBy(() -> values(defaults(), query, exchange)).isInstanceOf(RuntimeExchangeException.class);
    }

    @Test
    void anInListKeepsTheDefaultExpansionPerExchange() throws Exception {
        String query = "SELECT * FROM orders WHERE order_id IN (:?in:${variable.ids})";
        ParsedOnceStatements parsedOnce = new ParsedOnceStatements(',');

        assertThat(parsedOnce.prepareQuery(query, true, exchange(Map.of("ids", List.of("a", "b")))))
                .isEqualTo("SELECT * FROM orders WHERE order_id IN (?,?)");
        assertThat(parsedOnce.prepareQuery(query, true, exchange(Map.of("ids", List.of("a", "b", "c")))))
                .isEqualTo("SELECT * FROM orders WHERE order_id IN (?,?,?)");
    }

    Exchange exchange(Map<String, Object> variables) {
        Exchange exchange = new DefaultExchange(camel);
        variables.forEach(exchange::setVariable);
        return exchange;
    }

    static DefaultSqlPrepareStatementStrategy defaults() {
        return new DefaultSqlPrepareStatementStrategy(',');
    }

    static List<Object> values(DefaultSqlPrepareStatementStrategy strategy, String query, Exchange exchange)
            throws Exception {
        List<Object> values = new ArrayList<>();
        Iterator<?> it = strategy.createPopulateIterator(
                query,
                strategy.prepareQuery(query, true, exchange),
                0,
                exchange,
                exchange.getMessage().getBody());
        it.forEachRemaining(values::add);
        return values;
    }
}
