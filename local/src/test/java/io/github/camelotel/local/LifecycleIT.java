package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;

/**
 * Start it, stop it, kill it, start it again: the local stack as {@code ./run-local} runs it (the same
 * {@code java … -jar local/target/local.jar} process, on ports shifted by LOCAL_STACK_PORT_OFFSET so it does not
 * collide with a running stack, and with a LOCAL_STACK_HOME of its own). SIGTERM stops everything, in order, without
 * an error; SIGKILL leaves no server behind; the next start works, and LOCAL_STACK_KEEP_DATA keeps the orders.
 */
class LifecycleIT {

    /** Far above the 10 s target: only a hung stop fails the test. */
    static final Duration HUNG = Duration.ofSeconds(180);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    final Path home = root.resolve("local/target/lifecycle-it");
    final int offset = pickOffset();
    final Ports ports = Ports.defaults().plus(offset);

    @Test
    void stopsCleanlyOnSigtermLeavesNothingBehindOnSigkillAndStartsAgain() throws Exception {
        Folders.deleteRecursively(home);

        Run first = Run.start(this, Map.of());
        first.awaitPurchase();
        List<ProcessHandle> children = first.process.descendants().toList();
        Duration stop = first.stop();
        System.out.printf("%nlocal stack stopped on SIGTERM in %d ms (target 10 s)%n%n", stop.toMillis());
        assertThat(first.output()).as("the stack's output").noneMatch(line -> line.contains(" ERROR "))
                .noneMatch(LifecycleIT::isStackTrace);
        assertNothingLeft(children);
        assertThat(home.resolve("data")).as("data deleted after the servers stopped")
                .satisfies(data -> assertThat(Files.list(data).toList()).isEmpty());

        Run kept = Run.start(this, Map.of(LocalStack.KEEP_DATA_VARIABLE, "true"));
        String orderId = kept.awaitPurchase();
        Eventually.await(Duration.ofSeconds(60), () -> assertThat(order(orderId)).isEqualTo(200));
        children = kept.process.descendants().toList();
        kept.process.destroyForcibly();
        assertThat(kept.process.waitFor(HUNG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertNothingLeft(children);

        Run again = Run.start(this, Map.of(LocalStack.KEEP_DATA_VARIABLE, "true"));
        again.awaitPurchase();
        assertThat(order(orderId)).as("an order of the killed run, kept").isEqualTo(200);
        children = again.process.descendants().toList();
        System.out.printf("%nlocal stack (after a SIGKILL, data kept) stopped on SIGTERM in %d ms%n%n",
                again.stop().toMillis());
        assertNothingLeft(children);
        Folders.deleteRecursively(home);
    }

    static boolean isStackTrace(String line) {
        return line.startsWith("\tat ") || line.matches("^(Exception in thread|Caused by:).*");
    }

    int order(String orderId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + ports.app3() + "/orders/" + orderId))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** No process the stack started is alive (apps, servers, their supervisors), and none of its ports is taken. */
    void assertNothingLeft(List<ProcessHandle> children) throws Exception {
        assertThat(children).as("the stack's child processes").isNotEmpty();
        Eventually.await(HUNG, () -> {
            assertThat(children.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine()
                    .orElse("")).toList()).as("processes left").isEmpty();
            assertThat(ports.byServer().entrySet().stream().filter(port -> !Ports.isFree(port.getValue()))
                    .map(Map.Entry::getKey).toList()).as("ports still taken").isEmpty();
        });
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

    /** One {@code java -jar local/target/local.jar}, as ./run-local starts it, with its output in a file. */
    record Run(Process process, Path outputFile) {

        static Run start(LifecycleIT test, Map<String, String> environment) throws IOException {
            Files.createDirectories(test.home);
            Path output = Files.createTempFile(test.home, "run-", ".out");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC", "-Xmx512m", "-Dproject.root=" + test.root, "-jar",
                    test.root.resolve("local/target/local.jar").toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(test.root.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(Map.of(Ports.OFFSET_VARIABLE, String.valueOf(test.offset),
                    LocalStack.HOME_VARIABLE, test.home.toString(), "EXECUTOR_INITIAL_DELAY_MS", "0",
                    "EXECUTOR_INTERVAL_MS", "1000"));
            builder.environment().putAll(environment);
            return new Run(builder.start(), output);
        }

        /** Waits for the first purchase line; answers its order id. */
        String awaitPurchase() throws Exception {
            return Eventually.await(LocalStack.START_TIMEOUT.multipliedBy(2), () -> {
                assertThat(process.isAlive()).as("the stack is running; its output: %s", outputFile).isTrue();
                return output().stream().map(LocalStack.PURCHASE_LINE::matcher).filter(Matcher::find)
                        .map(m -> m.group().split(" ")[1]).findFirst().orElse(null);
            });
        }

        /** SIGTERM, as Ctrl-C or a service manager; answers how long the stack took to exit. */
        Duration stop() throws Exception {
            long start = System.nanoTime();
            process.destroy();
            assertThat(process.waitFor(HUNG.toSeconds(), TimeUnit.SECONDS)).as("stopped within " + HUNG).isTrue();
            return Duration.ofNanos(System.nanoTime() - start);
        }

        List<String> output() throws IOException {
            return Files.readAllLines(outputFile);
        }
    }
}
