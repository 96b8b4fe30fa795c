package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * One {@code ./run-local} as a process of its own: the same {@code java … -jar local/target/local.jar <arguments>} the
 * script runs after its build (which the test run has done), in a process group of its own as a terminal starts a
 * command, on ports shifted by LOCAL_STACK_PORT_OFFSET so it does not collide with a running stack, with a
 * LOCAL_STACK_HOME of its own and its output in a file.
 */
record RunLocal(Process process, Path outputFile) implements AutoCloseable {

    /** Far above the 10 s target: only a hung stop fails a test. */
    static final Duration HUNG = Duration.ofSeconds(180);

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT =
            Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

    /** Where a test's stack runs: its LOCAL_STACK_HOME, port offset and the ports that gives. */
    record Place(Path home, int offset, Ports ports) {
        /**
         * The {@code Authorization} header of the back office (client operator, orders:read-all) of the stack that runs
         * at this place, with the operator's secret it wrote to its home.
         */
        String backOffice() throws IOException {
            String secret = Files.readString(home.resolve("operator.secret")).trim();
            return Bearer.as(
                    new StackTokens(AuthServer.issuerUri(ports.auth()), Map.of("operator", secret), null),
                    "operator",
                    "orders:read-all");
        }

        /** {@code local/target/<name>}, on free ports. */
        static Place of(String name) {
            int offset = pickOffset();
            return new Place(
                    ROOT.resolve("local/target").resolve(name),
                    offset,
                    Ports.defaults().plus(offset));
        }
    }

    /** The stack JVM's options exactly as ./run-local gives them (its {@code exec java} line). */
    static List<String> stackJvmOptions() throws IOException {
        String exec = Files.readAllLines(ROOT.resolve("run-local")).stream()
                .filter(line -> line.startsWith("exec java "))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("run-local has no exec java line"));
        return List.of(exec.substring("exec java ".length(), exec.indexOf(" -Dproject.root"))
                .split(" "));
    }

    static RunLocal start(Place place, Map<String, String> environment, String... arguments) throws IOException {
        Path home = place.home();
        int offset = place.offset();
        Files.createDirectories(home);
        Path output = Files.createTempFile(home, "run-", ".out");
        List<String> command = new ArrayList<>(ServerProcess.NEW_SESSION);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(stackJvmOptions());
        command.addAll(List.of(
                "-Dproject.root=" + ROOT,
                "-jar",
                ROOT.resolve("local/target/local.jar").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment()
                .putAll(Map.of(
                        Ports.OFFSET_VARIABLE,
                        String.valueOf(offset),
                        StackOptions.HOME_VARIABLE,
                        home.toString(),
                        "EXECUTOR_INITIAL_DELAY_MS",
                        "0",
                        "EXECUTOR_INTERVAL_MS",
                        "1000"));
        builder.environment().putAll(environment);
        return new RunLocal(builder.start(), output);
    }

    /** An offset that puts every port of the stack on a free port below the ephemeral range. */
    static int pickOffset() {
        Random random = new Random();
        for (int tries = 0; tries < 100; tries++) {
            int offset = 11_000 + random.nextInt(9_000); // 1025 + offset .. 9093 + offset, below 32768
            if (Ports.defaults().plus(offset).byServer().values().stream().allMatch(Ports::isFree)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset");
    }

    /** Waits for the first purchase line that {@code wanted} accepts; answers its match (order id, trace id). */
    Matcher awaitPurchase(Predicate<String> wanted) throws Exception {
        return await("a purchase line in " + outputFile)
                .atMost(LocalStack.START_TIMEOUT.multipliedBy(2))
                .failFast("the stack exited; its output: " + outputFile, () -> !process.isAlive())
                .ignoreExceptions()
                .until(
                        () -> output().stream()
                                .filter(wanted)
                                .map(PurchaseFollower.PURCHASE_LINE::matcher)
                                .filter(Matcher::find)
                                .findFirst()
                                .orElse(null),
                        Objects::nonNull);
    }

    /** Waits for the first purchase line; answers its order id. */
    String awaitPurchase() throws Exception {
        return awaitPurchase(line -> true).group().split(" ")[1];
    }

    /** SIGTERM, as Ctrl-C or a service manager; answers how long the stack took to exit. */
    Duration stop() throws Exception {
        long start = System.nanoTime();
        process.destroy();
        assertThat(process.waitFor(HUNG.toSeconds(), TimeUnit.SECONDS))
                .as("stopped within " + HUNG)
                .isTrue();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Stops the stack if the test has not (it failed before): SIGTERM, and its whole group killed if it hangs, so that
     * no stack of a failed test keeps running beside the later ones.
     */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(HUNG.toSeconds(), TimeUnit.SECONDS)) {
            killGroup();
        }
    }

    /** {@code kill -9 -- -<pgid>}: every process of the stack's group at once, as an IDE's stop button or a CI runner. */
    void killGroup() throws Exception {
        Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + process.pid())
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).as("kill's exit code").isZero();
        assertThat(process.waitFor(HUNG.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    /** The spans of a trace as this stack's Zipkin answers them ({@code [{localEndpoint, kind, tags, …}]}), or null. */
    static JsonNode trace(Ports ports, String traceId) throws Exception {
        HttpResponse<String> trace = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + ports.zipkin() + "/api/v2/trace/" + traceId))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return trace.statusCode() == 200 ? JSON.readTree(trace.body()) : null;
    }

    /** The services that have spans in a trace. */
    static Set<String> services(JsonNode trace) {
        Set<String> services = new TreeSet<>();
        trace.forEach(span ->
                services.add(span.path("localEndpoint").path("serviceName").asText()));
        return services;
    }

    List<String> output() throws IOException {
        return Files.readAllLines(outputFile);
    }

    /** The output has no error and no stack trace. */
    void assertNoError() throws IOException {
        assertThat(output())
                .as("the stack's output")
                .noneMatch(line -> line.contains(" ERROR "))
                .noneMatch(RunLocal::isStackTrace);
    }

    static boolean isStackTrace(String line) {
        return line.startsWith("\tat ") || line.matches("^(Exception in thread|Caused by:).*");
    }
}
