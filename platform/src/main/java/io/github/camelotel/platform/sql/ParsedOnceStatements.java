package io.github.camelotel.platform.sql;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeExchangeException;
import org.apache.camel.component.sql.DefaultSqlPrepareStatementStrategy;
import org.apache.camel.component.sql.SqlHelper;

/**
 * camel-sql's named parameters ({@code :#name}, {@code :#${expression}}) found once per statement, not on every
 * execution: the default strategy scans the statement's whole text with regular expressions three or four times per
 * execution, the largest share of app3-api's CPU in a profile under load (bench/results/tuning). The values are
 * still looked up per exchange, by the default's rules. A statement with an IN list ({@code :#in:}), whose
 * placeholders depend on the exchange, keeps the default. One per endpoint: it remembers a few statements (its own;
 * more only when a message brings its own statement, which could be a new one every time).
 */
public class ParsedOnceStatements extends DefaultSqlPrepareStatementStrategy {

    /** camel-sql has turned {@code :#} into this by the time a statement reaches the strategy. */
    private static final String MARK = ":?";

    private static final String IN_LIST = MARK + "in:";

    private static final int REMEMBERED = 16;

    private final Map<String, Statement> statements = new ConcurrentHashMap<>();

    /** A statement as JDBC gets it (each named parameter a {@code ?}), and its named parameters in order. */
    private record Statement(String prepared, List<String> parameters) {}

    /** @param separator the endpoint's, for a statement whose parameters come from the body in order */
    public ParsedOnceStatements(char separator) {
        super(separator);
    }

    @Override
    public String prepareQuery(String query, boolean allowNamedParameters, Exchange exchange) throws SQLException {
        return !allowNamedParameters || query.contains(IN_LIST)
                ? super.prepareQuery(query, allowNamedParameters, exchange)
                : parsed(query).prepared();
    }

    @Override
    public Iterator<?> createPopulateIterator(
            String query, String preparedQuery, int expectedParams, Exchange exchange, Object value)
            throws SQLException {
        List<String> names = query.contains(IN_LIST) ? List.of() : parsed(query).parameters();
        if (names.isEmpty()) {
            return super.createPopulateIterator(query, preparedQuery, expectedParams, exchange, value);
        }
        List<Object> values = new ArrayList<>(names.size());
        for (String name : names) {
            if (!SqlHelper.hasParameter(name, exchange, value)) {
                throw new RuntimeExchangeException(
                        "Cannot find key [" + name + "] in message body or headers to use when setting named parameter"
                                + " in query [" + query + "]",
                        exchange);
            }
            values.add(SqlHelper.lookupParameter(name, exchange, value));
        }
        return values.iterator();
    }

    private Statement parsed(String query) throws SQLException {
        Statement statement = statements.get(query);
        if (statement == null) {
            statement = new Statement(super.prepareQuery(query, true, null), parameterNames(query));
            if (statements.size() < REMEMBERED) {
                statements.put(query, statement);
            }
        }
        return statement;
    }

    /** The named parameters in order: a word, or a {@code ${...}}/{@code $simple{...}} expression (braces may nest). */
    static List<String> parameterNames(String query) {
        List<String> names = new ArrayList<>();
        for (int at = query.indexOf(MARK); at >= 0; at = query.indexOf(MARK, at + MARK.length())) {
            int from = at + MARK.length();
            int end = from;
            if (query.startsWith("${", from) || query.startsWith("$simple{", from)) {
                end = closingBrace(query, query.indexOf('{', from)) + 1;
            } else {
                while (end < query.length() && isWordCharacter(query.charAt(end))) {
                    end++;
                }
            }
            if (end > from) {
                names.add(query.substring(from, end));
            }
        }
        return names;
    }

    /** A character of regex's {@code \w}: an ASCII letter or digit, or {@code _}. */
    private static boolean isWordCharacter(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private static int closingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("a named parameter's braces are not closed: " + text.substring(open));
    }
}
