package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trace UI of the stack, read back from the Zipkin server's API the way its UI reads it: what only Zipkin shows.
 * Its dependency graph, drawn from the purchases' traces (their shape is PurchaseTraceIT's), has the architecture's
 * hops between the apps, HTTP and Kafka, and to each server, and no other.
 */
class ZipkinTraceIT {

    static final Duration TIMEOUT = Duration.ofMinutes(2);
    static final Set<String> SERVICES = Set.copyOf(PurchaseTraceIT.SERVICES);
    /**
     * Zipkin's graph of a purchase: the service graph of its trace (PurchaseTraceIT), caller → called over HTTP and
     * Kafka and to each server, but the completion event app4-worker sends the executor: it would close a cycle, which
     * Zipkin's graph cannot lay out (executor/application.yaml).
     */
    static final Set<String> EDGES = PurchaseTraceIT.SERVICE_GRAPH.stream()
            .filter(edge -> !edge.equals("app4-worker -> executor"))
            .collect(Collectors.toSet());
    /** Not of a purchase: the order reads of other tests, whose cache misses app3-api fills from PostgreSQL. */
    static final Set<String> READ_EDGES = Set.of("app3-api -> redis");

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static LocalStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = SharedStack.get();
    }

    @Test
    void theDependencyGraphDrawsTheHopsBetweenTheAppsAndToEachServer() throws Exception {
        await("a purchase's trace in Zipkin with spans of all five services")
                .atMost(TIMEOUT)
                .ignoreExceptions()
                .until(this::aCompletePurchaseTrace, Objects::nonNull);
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            Set<String> edges = new TreeSet<>();
            long now = Instant.now().toEpochMilli();
            for (JsonNode link : get("/api/v2/dependencies?endTs=" + now + "&lookback="
                    + Duration.ofHours(1).toMillis())) {
                edges.add(link.path("parent").asText() + " -> "
                        + link.path("child").asText());
            }
            assertThat(edges).containsAll(EDGES);
            assertThat(edges)
                    .as("edges beyond a purchase's")
                    .isSubsetOf(
                            Stream.concat(EDGES.stream(), READ_EDGES.stream()).toList());
        });
    }

    /** The trace of a purchase the executor printed as fully accepted, once Zipkin holds spans of all five services. */
    JsonNode aCompletePurchaseTrace() throws Exception {
        for (String traceId : acceptedPurchaseTraceIds()) {
            JsonNode trace = get("/api/v2/trace/" + traceId);
            if (services(trace).equals(SERVICES)) {
                return trace;
            }
        }
        return null;
    }

    static List<String> acceptedPurchaseTraceIds() throws Exception {
        List<String> traceIds = new ArrayList<>();
        for (String line : Files.readAllLines(stack.app(App.EXECUTOR).log())) {
            Matcher purchase = PurchaseFollower.PURCHASE_LINE.matcher(line);
            if (purchase.find() && purchase.group().endsWith("sync=201 async=202")) {
                traceIds.add(purchase.group(1));
            }
        }
        return traceIds.subList(0, Math.min(traceIds.size(), 5)); // the first ones are complete first
    }

    static Set<String> services(JsonNode trace) {
        Set<String> services = new TreeSet<>();
        trace.forEach(span ->
                services.add(span.path("localEndpoint").path("serviceName").asText()));
        return services;
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(stack.zipkin().address() + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return JSON.createArrayNode(); // a trace Zipkin has not received yet
        }
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
