package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
            Map.entry("ROUTES_DIR", "/home/me/my routes"),
            Map.entry("OAUTH2_ISSUER_URI", "http://localhost:8180/realms/purchases"),
            Map.entry("OAUTH2_CLIENT_ID", "app2-consumer"),
            Map.entry("OAUTH2_CLIENT_SECRET", "s3cr3t-of-app2"));

    @TempDir
    Path home;

    @Test
    void theAppsOwnVariablesThenTheSharedOnes() {
        assertThat(AppCommand.command(App.APP2, AppCommand.settings(App.APP2, STACK), Path.of("/stack")))
                .isEqualTo("APP2_PORT=8082 APP3_URL=http://localhost:8083 KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 "
                        + "OAUTH2_CLIENT_ID=app2-consumer "
                        + "OAUTH2_CLIENT_SECRET=\"$(sed -n 's/^OAUTH2_CLIENT_SECRET=//p' /stack/app2-consumer.env)\" "
                        + "OAUTH2_ISSUER_URI=http://localhost:8180/realms/purchases "
                        + "OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://localhost:9411/api/v2/spans OTEL_TRACES_EXPORTER=zipkin "
                        + "ROUTES_DIR='/home/me/my routes' ./mvnw -f app2-consumer spring-boot:run");
        assertThat(AppCommand.settings(App.APP3, STACK))
                .containsKeys("APP3_PORT", "POSTGRES_URL", "REDIS_PORT", "OAUTH2_ISSUER_URI")
                .doesNotContainKeys("APP1_PORT", "APP3_URL", "OAUTH2_CLIENT_ID", "OAUTH2_CLIENT_SECRET");
    }

    @Test
    void theCommandShowsNoSecretButReadsItFromTheEnvFile(@TempDir Path dir) throws Exception {
        Map<String, String> settings = AppCommand.settings(App.APP2, STACK);
        String command = AppCommand.command(App.APP2, settings, home);
        assertThat(command).doesNotContain("s3cr3t-of-app2");
        AppCommand.writeEnvFile(home, App.APP2, settings);
        // the command's own words, run by a shell: the secret comes out of the file
        String echo = command.substring(command.indexOf("OAUTH2_CLIENT_SECRET="), command.indexOf(" OAUTH2_ISSUER_URI"))
                + " bash -c 'echo \"$OAUTH2_CLIENT_SECRET\"'";
        Process shell =
                new ProcessBuilder("bash", "-c", echo).directory(dir.toFile()).start();
        assertThat(new String(shell.getInputStream().readAllBytes()).trim()).isEqualTo("s3cr3t-of-app2");
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
                .contains("OAUTH2_CLIENT_SECRET=s3cr3t-of-app2")
                .hasSize(settings.size());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .as("it holds a client secret")
                .isEqualTo("rw-------");
    }
}
