package io.github.camelotel.platform.tracing;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL statement as a span shows it: the text with comments removed, whitespace collapsed and every parameter a
 * {@code ?} (so no value can be in it), its operation ({@code INSERT}) and its main table ({@code orders}).
 */
record SqlStatement(String text, String operation, String table) {

    private static final Pattern COMMENTS = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    /** Camel's named parameters: {@code :#name}, {@code :#${expression}}, and IN lists {@code :#in:name}. */
    private static final Pattern PARAMETERS = Pattern.compile(":#(in:)?(\\$\\{[^}]*}|[A-Za-z_][\\w.]*)");

    private static final Pattern TABLE = Pattern.compile(
            "(?i)^(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM|MERGE\\s+INTO)\\s+([\\w.\"]+)|\\bFROM\\s+([\\w.\"]+)");

    static SqlStatement parse(String sql) {
        String text = PARAMETERS
                .matcher(COMMENTS.matcher(sql).replaceAll(" "))
                .replaceAll("?")
                .replaceAll("\\s+", " ")
                .trim();
        int space = text.indexOf(' ');
        String operation = (space < 0 ? text : text.substring(0, space)).toUpperCase(Locale.ROOT);
        String table = null;
        Matcher matcher = TABLE.matcher(text);
        if (matcher.find()) {
            table = (matcher.group(1) != null ? matcher.group(1) : matcher.group(2)).replace("\"", "");
        }
        return new SqlStatement(text, operation, table);
    }

    /** {@code {operation} {table}}, or the operation alone when the table is not known. */
    String spanName() {
        return table == null ? operation : operation + " " + table;
    }
}
