package io.github.camelotel.bench;

import io.github.camelotel.local.App;
import io.github.camelotel.local.AppProcess;
import io.github.camelotel.local.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The floor's five processes ({@link io.github.camelotel.bench.floor.Floor}), started in place of the five apps: on
 * their ports, with their environment (the same servers), the same JVM options, each its own JVM.
 */
final class FloorStack implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<App, Process> processes = new EnumMap<>(App.class);
    private final Map<App, Duration> startupTimes = new EnumMap<>(App.class);

    /** Starts the floor against {@code stack}'s servers; the stack's apps must be stopped (their ports are taken). */
    static FloorStack start(LocalStack stack, Path root, Path logDir) throws Exception {
        FloorStack floor = new FloorStack();
        try {
            List<App> backends = List.of(App.APP3, App.APP4, App.APP2, App.APP1);
            Map<App, Instant> started = new EnumMap<>(App.class);
            for (App app : backends) {
                started.put(app, Instant.now());
                floor.processes.put(app, start(stack, root, logDir, app));
            }
            for (App app : backends) {
                floor.awaitReady(app, stack.ports().of(app), started.get(app), logDir);
            }
            started.put(App.EXECUTOR, Instant.now());
            floor.processes.put(App.EXECUTOR, start(stack, root, logDir, App.EXECUTOR));
            floor.awaitReady(App.EXECUTOR, stack.ports().executor(), started.get(App.EXECUTOR), logDir);
            return floor;
        } catch (Exception e) {
            floor.close();
            throw e;
        }
    }

    private static Process start(LocalStack stack, Path root, Path logDir, App app) throws IOException {
        Path classpathFile = root.resolve("bench/target/floor.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(
                    classpathFile + " is missing: build bench first (./mvnw package -pl bench -am)");
        }
        Map<String, String> environment = stack.appEnvironment(app);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AppProcess.JVM_OPTIONS);
        String extra = environment.getOrDefault(AppProcess.EXTRA_JVM_OPTIONS, "");
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-Dproject.root=" + root);
        // the clients' libraries log through SLF4J to logback (on the class path): warnings only, as in the apps
        command.add("-Dlogback.configurationFile=floor-logback.xml");
        command.add("-cp");
        command.add(root.resolve("bench/target/classes") + ":"
                + Files.readString(classpathFile).trim());
        command.add("io.github.camelotel.bench.floor.Floor");
        command.add(role(app));
        Path log = logDir.resolve("floor-" + app.serviceName() + ".log");
        Files.deleteIfExists(log);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment()
                .put("PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
        return builder.start();
    }

    static String role(App app) {
        return app == App.EXECUTOR ? "executor" : app.name().toLowerCase(java.util.Locale.ROOT);
    }

    private void awaitReady(App app, int port, Instant started, Path logDir) throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(LocalStackTimeout.START);
        Process process = processes.get(app);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "floor " + role(app) + " exited; see " + logDir.resolve("floor-" + app.serviceName() + ".log"));
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    startupTimes.put(app, Duration.between(started, Instant.now()));
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("floor " + role(app) + " not ready");
    }

    long pid(App app) {
        return processes.get(app).pid();
    }

    Map<App, Duration> startupTimes() {
        return startupTimes;
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    /** How long a process may take to be ready. */
    private static final class LocalStackTimeout {
        static final Duration START = Duration.ofMinutes(2);
    }
}
