package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * README "Quick start", developing one app: {@code ./run-local --without app2-consumer} ({@link RunLocal}) runs
 * everything else and prints the command that runs app2-consumer against it; that command, run exactly as printed
 * from the project's root, starts the app with Maven, and purchases complete through it as one trace (its spans and
 * app4-worker's in the trace Zipkin holds, the order paid). Ctrl-C (SIGTERM) stops what the stack started;
 * the app the user started stays running.
 */
class LeftOutAppIT {

    static final Duration APP_START = Duration.ofMinutes(5);
    static final String APP2_COMMAND_END = "./mvnw -f app2-consumer spring-boot:run";

    final RunLocal.Place place = RunLocal.Place.of("left-out-app-it");
    final Path home = place.home();

    @Test
    void theLeftOutAppRunsFromThePrintedCommandAndPurchasesCompleteThroughIt() throws Exception {
        Folders.deleteRecursively(home);
        installPlatform();
        long start = System.nanoTime();
        try (RunLocal stack = RunLocal.start(place, Map.of(), "--without", "app2-consumer")) {
            String command = await("the command that runs app2-consumer, in " + stack.outputFile())
                    .atMost(LocalStack.START_TIMEOUT.multipliedBy(2))
                    .failFast(
                            "the stack exited; its output: " + stack.outputFile(),
                            () -> !stack.process().isAlive())
                    .ignoreExceptions()
                    .until(
                            () -> stack.output().stream()
                                    .map(String::trim)
                                    .filter(line -> line.endsWith(APP2_COMMAND_END))
                                    .findFirst()
                                    .orElse(null),
                            Objects::nonNull);
            System.out.printf(
                    "%n./run-local --without app2-consumer up in %d ms; it printed:%n  %s%n%n",
                    (System.nanoTime() - start) / 1_000_000, command);
            assertThat(command)
                    .contains(
                            "APP2_PORT=" + place.ports().app2(),
                            "APP3_URL=http://localhost:" + place.ports().app3(),
                            "OTEL_EXPORTER_ZIPKIN_ENDPOINT=http://localhost:"
                                    + place.ports().zipkin() + "/api/v2/spans");
            assertThat(home.resolve("app2-consumer.env"))
                    .as("the env file for an IDE")
                    .exists();
            String secret = Files.readAllLines(home.resolve("app2-consumer.env")).stream()
                    .filter(line -> line.startsWith(LocalStack.OAUTH2_CLIENT_SECRET + "="))
                    .findFirst()
                    .orElseThrow()
                    .substring(LocalStack.OAUTH2_CLIENT_SECRET.length() + 1);
            assertThat(String.join("\n", stack.output()))
                    .as("the client secret is read from the env file, never printed")
                    .doesNotContain(secret);

            long appStart = System.nanoTime();
            Process app2 = new ProcessBuilder(withNewSession("bash", "-c", command))
                    .directory(RunLocal.ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("app2-consumer.out").toFile())
                    .start();
            try {
                String completed = await("a purchase through app2-consumer, paid, in one trace")
                        .atMost(APP_START)
                        .failFast(
                                "app2-consumer exited; its output: " + home.resolve("app2-consumer.out"),
                                () -> !app2.isAlive())
                        .ignoreExceptions()
                        .until(() -> completedThroughApp2(stack), Objects::nonNull);
                System.out.printf(
                        "%napp2-consumer started by its printed command; first purchase through it complete "
                                + "after %d ms: %s%n%n",
                        (System.nanoTime() - appStart) / 1_000_000, completed);

                stack.stop();
                stack.assertNoError();
                assertThat(app2.isAlive())
                        .as("the app the user started stays theirs")
                        .isTrue();
                assertThat(home.resolve("app2-consumer.env"))
                        .as("env file removed with the stack")
                        .doesNotExist();
            } finally {
                stopGroup(app2);
            }
        }
        Folders.deleteRecursively(home);
    }

    /** A purchase of the executor's, paid, whose one trace has spans of app2-consumer and app4-worker; or null. */
    String completedThroughApp2(RunLocal stack) throws Exception {
        List<String> lines = new ArrayList<>(stack.output());
        Collections.reverse(lines);
        for (String line : lines) {
            Matcher purchase = PurchaseFollower.PURCHASE_LINE.matcher(line);
            if (purchase.find()) {
                JsonNode trace = RunLocal.trace(place.ports(), purchase.group(1));
                String orderId = purchase.group().split(" ")[1];
                if (trace != null
                        && RunLocal.services(trace).containsAll(List.of("app2-consumer", "app4-worker"))
                        && "PAID".equals(status(orderId))) {
                    return purchase.group();
                }
            }
        }
        return null;
    }

    String status(String orderId) throws Exception {
        HttpResponse<String> order = RunLocal.HTTP.send(
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + place.ports().app3() + "/orders/" + orderId))
                        .header("Authorization", place.backOffice())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return order.statusCode() == 200
                ? RunLocal.JSON.readTree(order.body()).path("status").asText()
                : null;
    }

    /**
     * What {@code ./run-local} does before it starts when an app is left out: install, so that the printed
     * {@code ./mvnw -f <app>} finds this tree's platform in the local Maven repository (this build has packaged the
     * rest already).
     */
    static void installPlatform() throws Exception {
        Process install = new ProcessBuilder("./mvnw", "-q", "-B", "-DskipTests", "-pl", "platform", "-am", "install")
                .directory(RunLocal.ROOT.toFile())
                .inheritIO()
                .start();
        assertThat(install.waitFor(10, TimeUnit.MINUTES) && install.exitValue() == 0)
                .as("platform installed")
                .isTrue();
    }

    static List<String> withNewSession(String... command) {
        List<String> all = new ArrayList<>(ServerProcess.NEW_SESSION);
        all.addAll(List.of(command));
        return all;
    }

    /** SIGTERM to the process group (Maven and the app it forked), as Ctrl-C in the user's terminal; then SIGKILL. */
    static void stopGroup(Process leader) throws Exception {
        List<ProcessHandle> group = new ArrayList<>(leader.descendants().toList());
        group.add(leader.toHandle());
        new ProcessBuilder("kill", "-TERM", "--", "-" + leader.pid()).start().waitFor();
        if (!leader.waitFor(60, TimeUnit.SECONDS)) {
            new ProcessBuilder("kill", "-KILL", "--", "-" + leader.pid())
                    .start()
                    .waitFor();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(group).noneMatch(ProcessHandle::isAlive));
    }
}
