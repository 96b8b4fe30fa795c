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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The floor's five processes ({@link io.github.camelotel.bench.floor.Floor}) in place of the five apps: on their
 * ports, with their environment (the same servers) and JVM options, each its own JVM.
 */
final class FloorStack implements AutoCloseable {

    private final Map<App, Process> processes = new EnumMap<>(App.class);
    private final Map<App, Long> startupMs = new EnumMap<>(App.class);

    /** Starts the floor against the stack's servers, the executor last; the stack's apps must be stopped. */
    static FloorStack start(LocalStack stack, Path root, Path logDir) throws Exception {
        Path classpath = root.resolve("bench/target/floor.classpath");
        if (!Files.isRegularFile(classpath)) {
            throw new IllegalStateException(
                    classpath + " is missing: build bench first (./mvnw package -pl bench -am)");
        }
        String classes = root.resolve("bench/target/classes") + ":"
                + Files.readString(classpath).trim();
        FloorStack floor = new FloorStack();
        try {
            for (List<App> apps : List.of(List.of(App.APP3, App.APP4, App.APP2, App.APP1), List.of(App.EXECUTOR))) {
                long began = System.nanoTime();
                for (App app : apps) {
                    floor.processes.put(app, start(stack, root, logDir, classes, app));
                }
                for (App app : apps) {
                    floor.awaitReady(app, stack.ports().of(app), began);
                }
            }
            return floor;
        } catch (Exception e) {
            floor.close();
            throw e;
        }
    }

    private static Process start(LocalStack stack, Path root, Path logDir, String classes, App app) throws IOException {
        Map<String, String> environment = stack.appEnvironment(app);
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(AppProcess.JVM_OPTIONS);
        String extra =
                environment.getOrDefault(AppProcess.EXTRA_JVM_OPTIONS, "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        // the clients' libraries log through SLF4J to logback: warnings only, as in the apps
        command.addAll(List.of(
                "-Dproject.root=" + root,
                "-Dlogback.configurationFile=floor-logback.xml",
                "-cp",
                classes,
                "io.github.camelotel.bench.floor.Floor",
                role(app)));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        logDir.resolve("floor-" + app.serviceName() + ".log").toFile());
        builder.environment().putAll(environment);
        builder.environment()
                .put("PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
        return builder.start();
    }

    static String role(App app) {
        return app == App.EXECUTOR ? "executor" : app.name().toLowerCase(Locale.ROOT);
    }

    private void awaitReady(App app, int port, long began) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .build();
        for (long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); System.nanoTime() < deadline; ) {
            if (!processes.get(app).isAlive()) {
                throw new IllegalStateException(
                        "floor " + role(app) + " exited: see floor-" + app.serviceName() + ".log");
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    startupMs.put(app, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                    return;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("floor " + role(app) + " not ready");
    }

    long pid(App app) {
        return processes.get(app).pid();
    }

    Map<App, Long> startupMs() {
        return startupMs;
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
}
