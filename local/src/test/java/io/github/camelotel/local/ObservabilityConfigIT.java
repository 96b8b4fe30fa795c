package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.camelotel.local.LokiPushSink.Entry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The observability configuration as code, checked against what the apps really do: Grafana's links and dashboards
 * point at provisioned datasources, every metric a dashboard panel or an alert rule queries is one the running apps
 * expose, latency histograms carry exemplars that name recorded traces, and the log push to Loki has only
 * low-cardinality labels and the trace ID, which leads to the trace.
 */
class ObservabilityConfigIT {

    static final Path ROOT =
            Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    static final Path DATASOURCES = ROOT.resolve("grafana/provisioning/datasources/datasources.yaml");
    static final Path DASHBOARDS = ROOT.resolve("grafana/dashboards");
    static final Path ALERT_RULES = ROOT.resolve("infra/prometheus/rules");
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    /** Metrics that come from elsewhere than the apps: Tempo's metrics generator, and Prometheus itself. */
    static final List<String> NOT_FROM_THE_APPS_PREFIXES = List.of("traces_spanmetrics_", "traces_service_graph_");

    static final Set<String> NOT_FROM_THE_APPS = Set.of("up");
    /** Grafana's own datasource, e.g. for annotations. */
    static final Set<String> BUILT_IN_UIDS = Set.of("-- Grafana --", "grafana");

    static final Set<String> ALLOWED_LOKI_LABELS = Set.of("service_name", "level", "env");
    /** Labels Prometheus adds to every scraped sample. */
    static final Set<String> PROMETHEUS_TARGET_LABELS = Set.of("job", "instance");

    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyDatasourceUidThatDashboardsAndLinksReferenceIsProvisioned() throws IOException {
        JsonNode datasources = YAML.readTree(DATASOURCES.toFile()).get("datasources");
        Set<String> provisioned = new TreeSet<>();
        datasources.forEach(ds -> provisioned.add(ds.get("uid").asText()));
        assertThat(provisioned).containsExactlyInAnyOrder("prometheus", "tempo", "loki", "alertmanager");
        assertThat(provisioned).allMatch(uid -> uid.equals(uid.toLowerCase()));

        Map<String, String> references = new TreeMap<>(); // where → uid
        datasources.forEach(ds ->
                collect(ds.get("jsonData"), "datasources.yaml " + ds.get("uid").asText(), (where, node) -> {
                    JsonNode uid = node.get("datasourceUid");
                    if (uid != null) {
                        references.put(where, uid.asText());
                    }
                }));
        for (Path dashboard : dashboards()) {
            collect(JSON.readTree(dashboard.toFile()), dashboard.getFileName().toString(), (where, node) -> {
                JsonNode datasource = node.get("datasource");
                if (datasource != null && datasource.has("uid")) {
                    references.put(where + ".datasource", datasource.get("uid").asText());
                }
            });
        }

        assertThat(references).as("datasource references").isNotEmpty();
        assertThat(references.values()).contains("prometheus", "tempo", "loki");
        Map<String, String> dangling = references.entrySet().stream()
                .filter(ref -> !provisioned.contains(ref.getValue()) && !BUILT_IN_UIDS.contains(ref.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertThat(dangling)
                .as("references to datasources that are not provisioned")
                .isEmpty();
        // The four cross-links users click: trace → logs, logs → trace, exemplar → trace, service graph → metrics.
        assertThat(references)
                .containsEntry("datasources.yaml tempo.tracesToLogsV2", "loki")
                .containsEntry("datasources.yaml tempo.serviceMap", "prometheus")
                .containsEntry("datasources.yaml prometheus.exemplarTraceIdDestinations[0]", "tempo")
                .containsEntry("datasources.yaml loki.derivedFields[0]", "tempo");
    }

    @Test
    void everyMetricThatDashboardsAndAlertRulesQueryIsExposedByTheApps() throws Exception {
        Map<String, String> queries = queries(); // where → PromQL
        Map<String, Set<String>> queried = new TreeMap<>(); // metric → where
        Map<String, Set<String>> matchedLabels = new TreeMap<>(); // metric → labels its selectors match on
        queries.forEach((where, promQl) -> {
            metricNames(promQl)
                    .forEach(name ->
                            queried.computeIfAbsent(name, n -> new TreeSet<>()).add(where));
            selectorLabels(promQl)
                    .forEach((name, labels) -> matchedLabels
                            .computeIfAbsent(name, n -> new TreeSet<>())
                            .addAll(labels));
        });
        assertThat(queried).as("metrics queried by dashboards and alert rules").isNotEmpty();
        Set<String> fromApps = queried.keySet().stream()
                .filter(name -> !NOT_FROM_THE_APPS.contains(name))
                .filter(name -> NOT_FROM_THE_APPS_PREFIXES.stream().noneMatch(name::startsWith))
                .collect(Collectors.toCollection(TreeSet::new));
        LocalStack stack = SharedStack.get();

        // Counters per route and Kafka lag appear once purchases have flowed and consumers have their partitions.
        Map<App, Map<String, Set<String>>> exposed = new EnumMap<>(App.class);
        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            for (App app : App.values()) {
                exposed.put(app, samples(scrape(stack, app, false)));
            }
            Set<String> all =
                    exposed.values().stream().flatMap(m -> m.keySet().stream()).collect(Collectors.toSet());
            Set<String> missing = new TreeSet<>(fromApps);
            missing.removeAll(all);
            Map<String, Set<String>> missingWhere = new TreeMap<>(queried);
            missingWhere.keySet().retainAll(missing);
            assertThat(missingWhere).as("queried (where) but exposed by no app").isEmpty();
        });

        // A selector on a label the metric does not have ({eventType="route"} on a metric without it) selects nothing.
        Map<String, Set<String>> exposedLabels = new TreeMap<>();
        exposed.values()
                .forEach(samples -> samples.forEach((name, labels) -> exposedLabels
                        .computeIfAbsent(name, n -> new TreeSet<>())
                        .addAll(labels)));
        Map<String, Set<String>> unknownLabels = new TreeMap<>();
        for (String name : fromApps) {
            Set<String> unknown = new TreeSet<>(matchedLabels.getOrDefault(name, Set.of()));
            unknown.removeAll(exposedLabels.get(name));
            unknown.removeAll(PROMETHEUS_TARGET_LABELS);
            if (!unknown.isEmpty()) {
                unknownLabels.put(name, unknown);
            }
        }
        assertThat(unknownLabels)
                .as("labels matched in queries that the metric does not have")
                .isEmpty();

        for (App consumer : List.of(App.APP2, App.APP4)) {
            assertThat(exposed.get(consumer))
                    .as(consumer + " consumer lag and dead letters")
                    .containsKeys("kafka_consumer_fetch_manager_records_lag", "dead_letters_total");
        }
        for (App app : App.values()) {
            assertThat(exposed.get(app))
                    .as(app + " latency histograms")
                    .containsKeys("camel_route_policy_seconds_bucket", "http_server_requests_seconds_bucket");
        }
    }

    /** An exemplar is worth its link: its trace ID names a trace the backend holds (here the span sink). */
    @Test
    void latencyHistogramsCarryTraceIdExemplarsOfRecordedTraces() throws Exception {
        LocalStack stack = SharedStack.get();
        Pattern exemplar =
                Pattern.compile("^(\\w+)_bucket\\{.*\\} \\S+ # \\{.*trace_id=\"([0-9a-f]{32})\".*$", Pattern.MULTILINE);
        for (App app : List.of(App.APP1, App.APP3)) {
            await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
                // histogram → the traces its exemplars name that the sink holds
                Map<String, Set<String>> recordedTraces = new TreeMap<>();
                Matcher matcher = exemplar.matcher(scrape(stack, app, true));
                while (matcher.find()) {
                    recordedTraces
                            .computeIfAbsent(matcher.group(1), h -> new TreeSet<>())
                            .add(matcher.group(2));
                }
                Set<String> recorded = stack.spanSink().spans().stream()
                        .map(SpanSink.ReceivedSpan::traceId)
                        .collect(Collectors.toSet());
                recordedTraces.values().forEach(traces -> traces.retainAll(recorded));
                assertThat(recordedTraces)
                        .as(app + " histograms with exemplars → their traces the sink holds")
                        .hasEntrySatisfying(
                                "camel_route_policy_seconds",
                                traces -> assertThat(traces).isNotEmpty())
                        .hasEntrySatisfying(
                                "http_server_requests_seconds",
                                traces -> assertThat(traces).isNotEmpty());
            });
        }
    }

    @Test
    void appsShipLogsToLokiWithTheTraceIdAndOnlyLowCardinalityLabels() throws Exception {
        LokiPushSink loki = SharedStack.loki();
        // The apps that log a line for every purchase they handle, on the consumer threads included.
        Set<String> perPurchase = Set.of("executor", "app2-consumer", "app4-worker");
        SpanSink traces = SharedStack.get().spanSink();

        await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
            assertThat(loki.rejected()).as("pushes not in Loki's JSON format").isEmpty();
            List<Entry> entries = loki.entries();
            Set<String> services =
                    entries.stream().map(e -> e.labels().get("service_name")).collect(Collectors.toSet());
            assertThat(services)
                    .as("services that shipped logs")
                    .containsExactlyInAnyOrder(
                            Stream.of(App.values()).map(App::serviceName).toArray(String[]::new));
            Map<String, Set<String>> byTrace = new TreeMap<>();
            entries.stream()
                    .filter(e -> e.metadata().containsKey("trace_id"))
                    .forEach(e -> byTrace.computeIfAbsent(e.metadata().get("trace_id"), t -> new TreeSet<>())
                            .add(e.labels().get("service_name")));
            byTrace.values().removeIf(logged -> !logged.containsAll(perPurchase));
            assertThat(byTrace)
                    .as("trace IDs with lines of each of %s", perPurchase)
                    .isNotEmpty();
            // logs → trace: a purchase's trace ID leads to its trace, with a span of every service that logged it
            Map<String, Set<String>> traced = traces.spans().stream()
                    .collect(Collectors.groupingBy(
                            SpanSink.ReceivedSpan::traceId,
                            Collectors.mapping(SpanSink.ReceivedSpan::service, Collectors.toSet())));
            long leadingToTheirTrace = byTrace.entrySet().stream()
                    .filter(logged ->
                            traced.getOrDefault(logged.getKey(), Set.of()).containsAll(logged.getValue()))
                    .count();
            assertThat(leadingToTheirTrace)
                    .as(
                            "of %d such trace IDs, those whose trace the span sink holds with a span"
                                    + " of each service that logged under it",
                            byTrace.size())
                    .isPositive();
        });

        for (Entry entry : loki.entries()) {
            assertThat(entry.labels().keySet())
                    .as("labels of " + entry)
                    .isSubsetOf(ALLOWED_LOKI_LABELS)
                    .contains("service_name", "level", "env");
            assertThat(entry.labels().values())
                    .as("label values of " + entry)
                    .noneMatch(v -> v.matches(".*[0-9a-f]{32}.*"));
            assertThat(entry.metadata().keySet())
                    .as("structured metadata of " + entry)
                    .isSubsetOf(Set.of("trace_id", "span_id"));
            String traceId = entry.metadata().get("trace_id");
            if (traceId != null) {
                assertThat(traceId).matches("[0-9a-f]{32}");
                assertThat(entry.line()).as("line").contains("trace_id=" + traceId);
                assertThat(entry.metadata()).containsKey("span_id");
            }
        }
    }

    // --- what dashboards and alert rules query ---

    /** The PromQL of every dashboard panel and variable (Prometheus datasource) and of every alert rule, by where. */
    static Map<String, String> queries() throws IOException {
        Map<String, String> queries = new TreeMap<>();
        for (Path dashboard : dashboards()) {
            JsonNode json = JSON.readTree(dashboard.toFile());
            collect(json, dashboard.getFileName().toString(), (where, node) -> {
                JsonNode expr = node.get("expr");
                if (expr != null && expr.isTextual() && isPrometheus(node)) {
                    queries.put(where, expr.asText());
                }
            });
            for (JsonNode variable : json.path("templating").path("list")) {
                JsonNode query = variable.get("query");
                String text = query == null
                        ? ""
                        : query.isTextual()
                                ? query.asText()
                                : query.path("query").asText();
                if (isPrometheus(variable) && !text.isBlank()) {
                    queries.put(
                            dashboard.getFileName() + " variable "
                                    + variable.path("name").asText(),
                            text);
                }
            }
        }
        try (Stream<Path> files = Files.list(ALERT_RULES)) {
            for (Path rules :
                    files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                for (JsonNode group : YAML.readTree(rules.toFile()).path("groups")) {
                    for (JsonNode rule : group.path("rules")) {
                        String name = rule.has("alert")
                                ? rule.get("alert").asText()
                                : rule.path("record").asText();
                        queries.put(
                                rules.getFileName() + " " + name,
                                rule.get("expr").asText());
                    }
                }
            }
        }
        return queries;
    }

    private static boolean isPrometheus(JsonNode node) {
        JsonNode datasource = node.get("datasource");
        return datasource == null || "prometheus".equals(datasource.path("uid").asText());
    }

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*\\]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER =
            Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w.]*\\s*\\()");
    static final Set<String> PROMQL_WORDS = Set.of(
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "inf",
            "nan",
            "e");

    /** The metric names a PromQL expression selects (function names, labels, durations and strings left out). */
    static Set<String> metricNames(String promQl) {
        String expr = promQl.replaceAll("\\$\\{?\\w+(:\\w+)?\\}?", "");
        expr = QUOTED.matcher(expr).replaceAll("");
        expr = MATCHERS.matcher(expr).replaceAll(" ");
        expr = RANGES.matcher(expr).replaceAll(" ");
        expr = GROUPING.matcher(expr).replaceAll(" ");
        expr = expr.replaceAll("label_values\\(\\s*([a-zA-Z_:][\\w:]*)\\s*,\\s*\\w+\\s*\\)", " $1 ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(expr);
        while (matcher.find()) {
            String word = matcher.group(1);
            if (!PROMQL_WORDS.contains(word.toLowerCase()) && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)\\s*\\{([^{}]*)\\}");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(?:=~|!~|!=|=)");

    /** The label names each metric selector of a PromQL expression matches on: {@code m{a="x", b!~"y"}} gives m: a, b. */
    static Map<String, Set<String>> selectorLabels(String promQl) {
        Map<String, Set<String>> labels = new TreeMap<>();
        Matcher selector = SELECTOR.matcher(QUOTED.matcher(promQl).replaceAll("\"\""));
        while (selector.find()) {
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                labels.computeIfAbsent(selector.group(1), n -> new TreeSet<>()).add(matcher.group(1));
            }
        }
        return labels;
    }

    // --- helpers ---

    static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            List<Path> json =
                    files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(json).as("dashboards in " + DASHBOARDS).isNotEmpty();
            return json;
        }
    }

    /** Visits every object node of a JSON tree with a readable path to it. */
    static void collect(JsonNode node, String where, BiConsumer<String, JsonNode> visitor) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            visitor.accept(where, node);
            node.fields().forEachRemaining(field -> collect(field.getValue(), where + "." + field.getKey(), visitor));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), where + "[" + i + "]", visitor);
            }
        }
    }

    static String scrape(LocalStack stack, App app, boolean openMetrics) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + stack.ports().of(app) + "/actuator/prometheus"))
                .header("Authorization", Bearer.prometheus(stack))
                .timeout(Duration.ofSeconds(10));
        if (openMetrics) {
            request.header("Accept", "application/openmetrics-text; version=1.0.0");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(app + " /actuator/prometheus").isEqualTo(200);
        return response.body();
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{(.*)\\})? \\S+");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"(?:[^\"\\\\]|\\\\.)*\"");

    /** The sample names of a Prometheus text exposition ({@code name{labels} value}), each with its label names. */
    static Map<String, Set<String>> samples(String exposition) {
        Map<String, Set<String>> samples = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                Set<String> labels = samples.computeIfAbsent(sample.group(1), n -> new TreeSet<>());
                Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return samples;
    }
}
