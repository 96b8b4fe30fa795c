package io.github.camelotel.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The floor runs the routes' own SQL and checks purchases by the schema's rules. */
class FloorTest {

    private static final Path SQL =
            Path.of(System.getProperty("project.root", "..")).resolve("routes/app3-api/sql");
    private static final String PURCHASE = """
            {"orderId":"a-1","customerId":"C-1001","customerName":"Ada Lovelace","customerEmail":"ada@example.com",
             "currency":"EUR","items":[{"sku":"SKU-MUG","name":"Enamel mug","unitPrice":9.5,"quantity":2}]}""";

    @Test
    void runsTheRoutesStatementsWithOnePlaceholderPerNamedParameter() throws Exception {
        assertThat(placeholders(FloorApps.statement(SQL.resolve("upsert-order.sql"))))
                .isEqualTo(2);
        assertThat(placeholders(FloorApps.statement(SQL.resolve("insert-audit.sql"))))
                .isEqualTo(3);
        String select = FloorApps.statement(SQL.resolve("select-order.sql"));
        assertThat(placeholders(select)).isEqualTo(1);
        assertThat(select).startsWith("SELECT").doesNotContain("--").doesNotContain(":#");
    }

    @Test
    void checksPurchasesAsTheSchemaDoes() throws Exception {
        assertThat(Floor.purchase(PURCHASE.getBytes(StandardCharsets.UTF_8))
                        .path("orderId")
                        .asText())
                .isEqualTo("a-1");
        for (String broken : List.of(
                PURCHASE.replace("a-1", "-bad"),
                PURCHASE.replace("ada@example.com", "ada"),
                PURCHASE.replace("\"quantity\":2", "\"quantity\":0"),
                PURCHASE.replace("EUR", "euro"),
                "[]")) {
            assertThatThrownBy(() -> Floor.purchase(broken.getBytes(StandardCharsets.UTF_8)))
                    .as(broken)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void invoiceModelFormatsAmountsLikeApp4() throws Exception {
        Map<String, Object> model = FloorApps.invoiceModel(Floor.JSON.readTree("""
                {"orderId":"a-1","customerId":"C-1001","customerName":"Ada","customerEmail":"ada@example.com",
                 "currency":"EUR","total":19.0,"paidAt":"2026-12-01T20:00:00.123+00:00",
                 "items":[{"sku":"SKU-MUG","name":"Enamel mug","unitPrice":9.5,"quantity":2}]}"""));

        assertThat(model).containsEntry("total", "19.00").containsEntry("date", "2026-12-01");
        assertThat((List<?>) model.get("lines"))
                .singleElement()
                .asString()
                .contains("lineTotal=19.00", "unitPrice=9.50");
    }

    private static long placeholders(String sql) {
        return sql.chars().filter(c -> c == '?').count();
    }
}
