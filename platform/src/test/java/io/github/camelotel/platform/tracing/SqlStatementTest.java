package io.github.camelotel.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SqlStatementTest {

    /** The statements app3-api runs, read from routes/ as the app reads them. */
    static SqlStatement of(String file) throws IOException {
        return SqlStatement.parse(Files.readString(Path.of("../routes/app3-api/sql", file)));
    }

    @Test
    void namesEachStatementOfTheAppByOperationAndTable() throws IOException {
        assertThat(of("upsert-order.sql").spanName()).isEqualTo("INSERT orders");
        assertThat(of("insert-audit.sql").spanName()).isEqualTo("INSERT audit_log");
        assertThat(of("select-order.sql").spanName()).isEqualTo("SELECT orders");
        assertThat(of("select-audit.sql").spanName()).isEqualTo("SELECT audit_log");
    }

    @Test
    void theTextHasPlaceholdersWhereTheParametersAreAndNoComments() throws IOException {
        SqlStatement audit = of("insert-audit.sql");
        assertThat(audit.text())
                .isEqualTo("INSERT INTO audit_log (order_id, event, trace_id) VALUES (?, ?, ?) "
                        + "ON CONFLICT (order_id, event) DO NOTHING");
        assertThat(of("upsert-order.sql").text())
                .doesNotContain("variable", "--", "\n")
                .contains("cast(? AS JSONB)");
    }

    @Test
    void otherStatementShapes() {
        assertThat(SqlStatement.parse("update \"orders\" set status = :#status where order_id = :#${header.id}"))
                .isEqualTo(new SqlStatement("update \"orders\" set status = ? where order_id = ?", "UPDATE", "orders"));
        assertThat(SqlStatement.parse("DELETE FROM audit_log WHERE id IN (:#in:ids)")
                        .spanName())
                .isEqualTo("DELETE audit_log");
        assertThat(SqlStatement.parse("SELECT 1").spanName()).isEqualTo("SELECT");
    }
}
