package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command the welcome text prints for an app left out, and its env file: only what that app reads. */
class AppCommandTest {

    static final Map<String, String> STACK = Map.ofEntries(
            Map.entry("APP1_PORT", "8081"),
            Map.entry("APP2_PORT", "8082"),
            Map.entry("APP3_PORT", "8083"),
            Map.entry("APP1_URL", "http://localhost:8081"),
            Map.entry("APP3_URL", "http://localhost:8083"),
            Map.entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            Map.entry("REDIS_PORT", "6379"),
            Map.entry("POSTGRES_URL", "jdbc:postgresql://localhost:5432/purchases"),
            Map.entry("OTEL_TRACES_EXPORTER", "zipkin"),
            Map.entry("OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://localhost:9411/api/v2/spans"),
            Map.entry("ROUTES_DIR", "/home/me/my routes"));

    @TempDir
    Path home;

    @Test
    void theAppsOwnVariablesThenTheSharedOnes() {
        assertThat(AppCommand.command(App.APP2, AppCommand.settings(App.APP2, STACK)))
                .isEqualTo("APP2_PORT=8082 APP3_URL=http://localhost:8083 KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 "
                        + "OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://localhost:9411/api/v2/spans OTEL_TRACES_EXPORTER=zipkin "
                        + "ROUTES_DIR='/home/me/my routes' ./mvnw -f app2-consumer spring-boot:run");
        assertThat(AppCommand.settings(App.APP3, STACK))
                .containsKeys("APP3_PORT", "POSTGRES_URL", "REDIS_PORT")
                .doesNotContainKeys("APP1_PORT", "APP3_URL");
    }

    @Test
    void quotesForTheShell() {
        assertThat(AppCommand.quoted("http://localhost:9411/api/v2/spans"))
                .isEqualTo("http://localhost:9411/api/v2/spans");
        assertThat(AppCommand.quoted("save-order:fail=0.3,delay=200")).isEqualTo("save-order:fail=0.3,delay=200");
        assertThat(AppCommand.quoted("it's")).isEqualTo("'it'\\''s'");
        assertThat(AppCommand.quoted("")).isEqualTo("''");
    }

    @Test
    void envFileForAnIde() throws Exception {
        Map<String, String> settings = AppCommand.settings(App.APP1, new HashMap<>(STACK));
        Path file = AppCommand.writeEnvFile(home, App.APP1, settings);
        assertThat(file).isEqualTo(home.resolve("app1-api.env"));
        assertThat(Files.readAllLines(file))
                .startsWith("APP1_PORT=8081", "APP3_URL=http://localhost:8083")
                .contains("ROUTES_DIR=/home/me/my routes")
                .hasSize(settings.size());
    }
}
