package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How to run an app the stack left out against it, by hand: {@code ./mvnw -f <app> spring-boot:run} with the variables
 * that app reads from the stack (its port, the servers it talks to, where its spans go, ROUTES_DIR), as one shell
 * command for the welcome text and as an env file ({@code <home>/<app>.env}, {@code KEY=value} lines) for an IDE's
 * run configuration. A client secret is in the env file only (mode 600): the command reads it from there. Without PARENT_PID: an app the user started is the user's, and outlives the stack.
 */
final class AppCommand {

    /** The stack's variables each app reads; every other variable of the stack is for all apps (OTEL_*, ROUTES_DIR). */
    static final Map<App, List<String>> READS = Map.of(
            App.EXECUTOR,
                    List.of(
                            "EXECUTOR_PORT",
                            "APP1_URL",
                            "KAFKA_BOOTSTRAP_SERVERS",
                            LocalStack.OAUTH2_CLIENT_ID,
                            LocalStack.OAUTH2_CLIENT_SECRET),
            App.APP1,
                    List.of(
                            "APP1_PORT",
                            "APP3_URL",
                            "KAFKA_BOOTSTRAP_SERVERS",
                            LocalStack.OAUTH2_CLIENT_ID,
                            LocalStack.OAUTH2_CLIENT_SECRET),
            App.APP2,
                    List.of(
                            "APP2_PORT",
                            "APP3_URL",
                            "KAFKA_BOOTSTRAP_SERVERS",
                            LocalStack.OAUTH2_CLIENT_ID,
                            LocalStack.OAUTH2_CLIENT_SECRET),
            App.APP3,
                    List.of(
                            "APP3_PORT",
                            "KAFKA_BOOTSTRAP_SERVERS",
                            "POSTGRES_URL",
                            "POSTGRES_USER",
                            "POSTGRES_PASSWORD",
                            "REDIS_HOST",
                            "REDIS_PORT"),
            App.APP4,
                    List.of(
                            "APP4_PORT",
                            "KAFKA_BOOTSTRAP_SERVERS",
                            "REDIS_HOST",
                            "REDIS_PORT",
                            "MINIO_ENDPOINT",
                            "MINIO_ACCESS_KEY",
                            "MINIO_SECRET_KEY",
                            "INVOICES_BUCKET",
                            "SMTP_HOST",
                            "SMTP_PORT"));

    private static final Set<String> PER_APP =
            READS.values().stream().flatMap(List::stream).collect(Collectors.toSet());
    /** Variables whose value the command never shows (the welcome text is printed, and stdout is often logged). */
    static final Set<String> SECRETS = Set.of(LocalStack.OAUTH2_CLIENT_SECRET);

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]*");

    private AppCommand() {}

    /** What of the stack's environment for {@code app} the app needs: its own variables first, then the others sorted. */
    static Map<String, String> settings(App app, Map<String, String> appEnvironment) {
        Map<String, String> settings = new LinkedHashMap<>();
        READS.get(app).stream()
                .filter(appEnvironment::containsKey)
                .forEach(key -> settings.put(key, appEnvironment.get(key)));
        new TreeMap<>(appEnvironment).forEach((key, value) -> {
            if (!PER_APP.contains(key)) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    /**
     * The shell command, run from the project's root: {@code KEY=value … ./mvnw -f <app> spring-boot:run}; a
     * {@link #SECRETS} variable's value is read from the app's env file in {@code home} ({@link #writeEnvFile}), not
     * shown.
     */
    static String command(App app, Map<String, String> settings, Path home) {
        List<String> words = new ArrayList<>();
        settings.forEach((key, value) ->
                words.add(key + "=" + (SECRETS.contains(key) ? fromEnvFile(key, envFile(home, app)) : quoted(value))));
        words.add("./mvnw -f " + app.serviceName() + " spring-boot:run");
        return String.join(" ", words);
    }

    /** A shell word whose value is the variable's in the env file: {@code "$(sed -n 's/^KEY=//p' <file>)"}. */
    static String fromEnvFile(String key, Path envFile) {
        return "\"$(sed -n " + quoted("s/^" + key + "=//p") + " " + quoted(envFile.toString()) + ")\"";
    }

    /** A value as one shell word. */
    static String quoted(String value) {
        return PLAIN.matcher(value).matches() && !value.isEmpty() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    /** Where {@link #writeEnvFile} puts the app's settings. */
    static Path envFile(Path home, App app) {
        return home.resolve(app.serviceName() + ".env");
    }

    /**
     * Writes the settings as {@code KEY=value} lines, unquoted, as IDEs' env file options read them; readable by this
     * user only, as it may hold a client secret.
     */
    static Path writeEnvFile(Path home, App app, Map<String, String> settings) throws IOException {
        Path file = envFile(home, app);
        Folders.writePrivate(
                file,
                settings.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }
}
