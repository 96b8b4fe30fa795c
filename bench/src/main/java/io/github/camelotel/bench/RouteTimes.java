package io.github.camelotel.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long each Camel route of an app takes, from the route policy's histogram on /actuator/prometheus
 * ({@code camel_route_policy_seconds_sum} and {@code _count} per routeId): two snapshots give the mean time per
 * exchange of every route in between, which says where a purchase spends its time inside an app.
 */
final class RouteTimes {

    private static final Pattern LINE =
            Pattern.compile("^camel_route_policy_seconds_(sum|count)\\{([^}]*)\\}\\s+([0-9.eE+-]+)");
    private static final Pattern ROUTE_ID = Pattern.compile("routeId=\"([^\"]*)\"");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private RouteTimes() {}

    /** routeId -> {sum seconds, count} now, or empty when the app does not answer. */
    static Map<String, double[]> snapshot(int port) {
        Map<String, double[]> routes = new LinkedHashMap<>();
        try {
            String body = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : body.split("\n")) {
                Matcher matcher = LINE.matcher(line);
                if (!matcher.find()) {
                    continue;
                }
                Matcher route = ROUTE_ID.matcher(matcher.group(2));
                if (!route.find()) {
                    continue;
                }
                double[] figures = routes.computeIfAbsent(route.group(1), r -> new double[2]);
                figures["sum".equals(matcher.group(1)) ? 0 : 1] += Double.parseDouble(matcher.group(3));
            }
        } catch (Exception e) {
            // the app is restarting or gone: no figures
        }
        return routes;
    }

    /** Mean milliseconds per exchange of each route between two snapshots (routes without exchanges left out). */
    static Map<String, Double> meanMillis(Map<String, double[]> before, Map<String, double[]> after) {
        Map<String, Double> means = new LinkedHashMap<>();
        after.forEach((route, figures) -> {
            double[] earlier = before.getOrDefault(route, new double[2]);
            double count = figures[1] - earlier[1];
            if (count > 0) {
                means.put(route, Math.round((figures[0] - earlier[0]) / count * 10000) / 10.0);
            }
        });
        return means;
    }
}
