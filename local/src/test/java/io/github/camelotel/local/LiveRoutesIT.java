package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README "Try changing a route": {@code ./run-local --live-routes=<folder>} ({@link RunLocal}) on a copy of routes/,
 * so the test edits no file of the project. Saving an edited route of the executor changes the next purchase: its
 * line has the edited text, its root span the attribute the edit adds. Then the stack stops cleanly on SIGTERM.
 */
class LiveRoutesIT {

    static final String ROUTE = "executor/send-purchase.camel.yaml";
    /** The executor's log step of its purchase line, as indented in the route file. */
    static final String LOG_STEP =
            "        - log:\n" + "            message: \"purchase ${exchangeProperty[order.id]} trace_id=";
    /** The step the edit adds before it: an attribute on the purchase's open spans (bean tracing). */
    static final String TAG_STEP = "        - bean:\n"
            + "            ref: tracing\n"
            + "            method: \"attribute(*, 'route.edited', 'yes')\"\n";

    final RunLocal.Place place = RunLocal.Place.of("live-routes-it");
    final Path home = place.home();

    @Test
    void anEditedRouteChangesTheNextPurchase() throws Exception {
        Folders.deleteRecursively(home);
        Path routes = copy(RunLocal.ROOT.resolve("routes"), home.resolve("routes"));
        try (RunLocal stack = RunLocal.start(place, Map.of(), "--live-routes=" + routes)) {
            stack.awaitPurchase();

            Path route = routes.resolve(ROUTE);
            String original = Files.readString(route);
            assertThat(original).contains(LOG_STEP);
            String edited = original.replace(LOG_STEP, TAG_STEP + LOG_STEP)
                    .replace("async=${variable.outcome}\"", "async=${variable.outcome} edited=yes\"");
            assertThat(edited).contains("route.edited", "edited=yes\"");
            long saved = System.nanoTime();
            Files.writeString(route, edited);

            Matcher changed = stack.awaitPurchase(line -> line.contains(" edited=yes"));
            System.out.printf(
                    "%nroute saved; the next purchase line with the edit after %d ms:%n  %s%n%n",
                    (System.nanoTime() - saved) / 1_000_000, changed.group());
            JsonNode rootSpan = await("the span tagged by the edited route, in trace " + changed.group(1))
                    .atMost(Duration.ofMinutes(1))
                    .ignoreExceptions()
                    .until(() -> taggedSpan(RunLocal.trace(place.ports(), changed.group(1))), Objects::nonNull);
            assertThat(rootSpan.path("localEndpoint").path("serviceName").asText())
                    .isEqualTo("executor");

            stack.stop();
            stack.assertNoError();
        }
        Folders.deleteRecursively(home);
    }

    /** The span of the trace that has the edit's attribute, or null. */
    static JsonNode taggedSpan(JsonNode trace) {
        for (JsonNode span : trace == null ? List.<JsonNode>of() : (Iterable<JsonNode>) trace::elements) {
            if ("yes".equals(span.path("tags").path("route.edited").asText(null))) {
                return span;
            }
        }
        return null;
    }

    static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }
}
