package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Start it, stop it, kill it, start it again: the local stack as {@code ./run-local} runs it ({@link RunLocal}).
 * SIGTERM stops everything, in order, without an error; a SIGKILL of the stack's whole process group (an IDE's stop
 * button, a CI runner) and of its pid alone leave no server behind; the next start works, and LOCAL_STACK_KEEP_DATA
 * keeps the orders.
 */
class LifecycleIT {

    static final HttpClient HTTP = HttpClient.newHttpClient();

    final RunLocal.Place place = RunLocal.Place.of("lifecycle-it");
    final Path home = place.home();

    @Test
    void stopsCleanlyOnSigtermLeavesNothingBehindOnSigkillAndStartsAgain() throws Exception {
        Folders.deleteRecursively(home);

        try (RunLocal first = RunLocal.start(place, Map.of())) {
            first.awaitPurchase();
            List<ProcessHandle> children = first.process().descendants().toList();
            Duration stop = first.stop();
            System.out.printf("%nlocal stack stopped on SIGTERM in %d ms (target 10 s)%n%n", stop.toMillis());
            first.assertNoError();
            assertNothingLeft(children);
            assertThat(home.resolve("data"))
                    .as("data deleted after the servers stopped")
                    .satisfies(data -> assertThat(Files.list(data).toList()).isEmpty());
        }

        String orderId;
        try (RunLocal kept = RunLocal.start(place, Map.of(StackOptions.KEEP_DATA_VARIABLE, "true"))) {
            orderId = kept.awaitPurchase();
            await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(order(orderId)).isEqualTo(200));
            List<ProcessHandle> children = kept.process().descendants().toList();
            long killed = System.nanoTime();
            kept.killGroup();
            assertNothingLeft(children);
            System.out.printf(
                    "%nlocal stack's process group killed (SIGKILL): every server gone, ports free, "
                            + "after %d ms%n%n",
                    (System.nanoTime() - killed) / 1_000_000);
        }

        try (RunLocal again = RunLocal.start(place, Map.of(StackOptions.KEEP_DATA_VARIABLE, "true"))) {
            again.awaitPurchase();
            assertThat(order(orderId)).as("an order of the killed run, kept").isEqualTo(200);
            List<ProcessHandle> children = again.process().descendants().toList();
            again.process().destroyForcibly();
            assertThat(again.process().waitFor(RunLocal.HUNG.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            assertNothingLeft(children);
        }
        Folders.deleteRecursively(home);
    }

    int order(String orderId) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + place.ports().app3() + "/orders/" + orderId))
                                .header("Authorization", place.backOffice())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** No process the stack started is alive (apps, servers, their supervisors), and none of its ports is taken. */
    void assertNothingLeft(List<ProcessHandle> children) throws Exception {
        assertThat(children).as("the stack's child processes").isNotEmpty();
        await().atMost(RunLocal.HUNG).untilAsserted(() -> {
            assertThat(children.stream()
                            .filter(ProcessHandle::isAlive)
                            .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                            .toList())
                    .as("processes left")
                    .isEmpty();
            assertThat(place.ports().byServer().entrySet().stream()
                            .filter(port -> !Ports.isFree(port.getValue()))
                            .map(Map.Entry::getKey)
                            .toList())
                    .as("ports still taken")
                    .isEmpty();
        });
    }
}
