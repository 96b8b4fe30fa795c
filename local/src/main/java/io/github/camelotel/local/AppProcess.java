package io.github.camelotel.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One app of the stack as its own JVM, running the jar Maven built ({@code <app>/target/<app>.jar}), extracted and
 * with a class data sharing archive ({@link ClassDataSharing}), with its output in {@code <log dir>/<app>.log}.
 * Separate processes keep the apps as independent as in production: each has its own memory, and one can crash or
 * restart without the others.
 */
public final class AppProcess implements AutoCloseable {

    /**
     * The root pom's {@code app.jvm.options}, for a long-running service: the images, the benchmark and its floor
     * run with them (the build writes them into a resource).
     */
    public static final List<String> JVM_OPTIONS = jvmOptions("options");

    /** The root pom's {@code local.jvm.options}: what {@code ./run-local} adds for a quick start on a laptop. */
    public static final List<String> QUICK_START_JVM_OPTIONS = jvmOptions("local");

    /**
     * An environment variable of {@link #start} or of this process: JVM options added after {@link #JVM_OPTIONS} (so
     * they win); unset, {@link #QUICK_START_JVM_OPTIONS}. Empty, the apps run exactly as the images do: the
     * benchmark sets it so.
     */
    public static final String EXTRA_JVM_OPTIONS = "LOCAL_STACK_JVM_OPTIONS";

    /** How long a graceful stop may take: platform-defaults.properties gives the web server and Camel 10 s each. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final App app;
    private final int port;
    private final Path log;
    private final Process process;
    private final Instant startedAt;
    private final ClassDataSharing classes;

    private AppProcess(App app, int port, Path log, Process process, Instant startedAt, ClassDataSharing classes) {
        this.app = app;
        this.port = port;
        this.log = log;
        this.process = process;
        this.startedAt = startedAt;
        this.classes = classes;
    }

    /** Starts the app's jar; {@code environment} adds to (and overrides) this process's environment. */
    public static AppProcess start(App app, Path projectRoot, Path logDir, int port, Map<String, String> environment)
            throws IOException {
        Path jar = projectRoot.resolve(app.serviceName()).resolve("target").resolve(app.serviceName() + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first with ./mvnw package -DskipTests");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ClassDataSharing classes;
        try {
            classes = ClassDataSharing.prepare(jar, java);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting " + jar, e);
        }
        List<String> arguments = new ArrayList<>(classes.jvmOptions());
        arguments.add("-jar");
        arguments.add(classes.jar().toString());
        return launch(app, logDir, port, environment, arguments, classes);
    }

    /**
     * Runs {@code java} with {@code arguments} in the app's place (as the benchmark runs its floor): the app's JVM
     * options, environment, port and log, without a class data archive.
     */
    public static AppProcess startJava(
            App app, Path logDir, int port, Map<String, String> environment, List<String> arguments)
            throws IOException {
        return launch(app, logDir, port, environment, arguments, null);
    }

    /** {@code classes}: the jar's class data archive, null without one. */
    private static AppProcess launch(
            App app,
            Path logDir,
            int port,
            Map<String, String> environment,
            List<String> arguments,
            ClassDataSharing classes)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(app.serviceName() + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        String extraOptions = environment.getOrDefault(EXTRA_JVM_OPTIONS, System.getenv(EXTRA_JVM_OPTIONS));
        if (extraOptions == null) {
            command.addAll(QUICK_START_JVM_OPTIONS);
        } else if (!extraOptions.isBlank()) {
            command.addAll(List.of(extraOptions.trim().split("\\s+")));
        }
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.remove("OTEL_SERVICE_NAME"); // each app names itself (spring.application.name)
        env.put("PARENT_PID", String.valueOf(ProcessHandle.current().pid())); // the app stops if the stack dies
        env.putAll(environment);
        return new AppProcess(app, port, log, builder.start(), Instant.now(), classes);
    }

    /**
     * Waits until the app reports UP on /actuator/health; answers how long start-up took. A JVM that records its class
     * data archive writes it {@link ClassDataSharing#RECORD_AFTER} later.
     */
    public Duration awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        app.serviceName() + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    if (classes != null) {
                        classes.recordLater(process.toHandle());
                    }
                    return Duration.between(startedAt, Instant.now());
                }
            } catch (IOException notYetListening) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(app.serviceName() + " not ready after " + timeout + "; see " + log);
    }

    public App app() {
        return app;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Whether this is the first start of the build, which records its class data archive: it starts slower and runs
     * with more CPU than the starts that map the archive.
     */
    public boolean recordsClassData() {
        return classes != null && classes.records();
    }

    /** Writes this JVM's class data archive now, if it records one and has not yet; answers whether it has. */
    public boolean recordClassData() {
        return classes != null && classes.record(process.toHandle());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A crash: the JVM is killed at once, without shutdown hooks or a graceful stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Asks the app to stop gracefully (SIGTERM) without waiting, so several apps stop side by side. */
    public void requestStop() {
        process.destroy();
    }

    private static List<String> jvmOptions(String property) {
        try (InputStream in = AppProcess.class.getResourceAsStream("/app-jvm-options.properties")) {
            Properties resource = new Properties();
            if (in != null) {
                resource.load(in);
            }
            String options = resource.getProperty(property, "");
            if (options.isBlank() || options.startsWith("@")) {
                throw new IllegalStateException("app-jvm-options.properties without the options: build with Maven");
            }
            return Arrays.stream(options.split(",")).map(String::trim).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every one of {@code processes} gracefully, side by side, and kills those still running {@link
     * #STOP_TIMEOUT} after asking: one deadline for all, so that apps waiting on each other (a consumer redelivering to
     * an API that already stopped) never add up. An interrupt kills the ones still running at once, and is kept.
     */
    public static void stopAll(Collection<AppProcess> processes) {
        stopAll(processes, STOP_TIMEOUT);
    }

    static void stopAll(Collection<AppProcess> processes, Duration timeout) {
        processes.forEach(AppProcess::requestStop);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (AppProcess each : processes) {
                if (!each.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    each.kill();
                }
            }
        } catch (InterruptedException e) {
            processes.forEach(each -> each.process.destroyForcibly());
            Thread.currentThread().interrupt();
        }
    }

    /** A graceful stop (SIGTERM), then a kill if the app has not stopped in {@link #STOP_TIMEOUT}. */
    @Override
    public void close() throws InterruptedException {
        requestStop();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
    }
}
