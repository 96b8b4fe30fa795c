package io.github.camelotel.local;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the apps send their spans: the OTEL_* variables the stack adds to their environment, whether
 * {@code ./run-local} starts its Zipkin server (the trace UI), and the welcome text's line that says so.
 */
final class TraceSettings {

    /** ./run-local's switch for its trace UI: {@code on} (the default) or {@code off}. */
    static final String TRACE_UI = "LOCAL_TRACE_UI";

    static final String EXPORTERS = "OTEL_TRACES_EXPORTER";
    static final String ZIPKIN_ENDPOINT = "OTEL_EXPORTER_ZIPKIN_ENDPOINT";
    static final String BATCH_DELAY = "OTEL_BSP_SCHEDULE_DELAY";

    private TraceSettings() {}

    /**
     * The OTEL_* variables added to the apps' environment. With a span sink (tests, benchmarks) the stack's own
     * receivers, whatever this environment says (OTLP's protocol is the platform's default, http/protobuf).
     * Otherwise ({@code ./run-local}) the user's variables win: the stack only names Zipkin as the exporter when
     * {@code OTEL_TRACES_EXPORTER} is unset.
     *
     * @param user the environment the apps inherit
     * @param otlpEndpoint the span sink, or null
     * @param zipkinEndpoint the Zipkin server's spans endpoint, or null
     */
    static Map<String, String> environment(Map<String, String> user, String otlpEndpoint, String zipkinEndpoint) {
        Map<String, String> env = new HashMap<>();
        if (otlpEndpoint != null) {
            env.put(EXPORTERS, zipkinEndpoint == null ? "otlp" : "otlp,zipkin");
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
            env.put(BATCH_DELAY, "200");
        } else if (zipkinEndpoint != null && !user.containsKey(EXPORTERS)) {
            env.put(EXPORTERS, "zipkin");
            if (!user.containsKey(BATCH_DELAY)) {
                env.put(BATCH_DELAY, "1000"); // a purchase's trace is in the UI a second after its line, not 5 s
            }
        }
        if (zipkinEndpoint != null) {
            env.put(ZIPKIN_ENDPOINT, zipkinEndpoint);
        }
        return env;
    }

    /**
     * Whether {@code ./run-local} starts Zipkin: unless {@code LOCAL_TRACE_UI=off}, or the user's own OTEL_* send
     * the spans elsewhere (an exporter list without zipkin, or a Zipkin endpoint of their own).
     */
    static boolean startsZipkin(Map<String, String> user) {
        String traceUi = user.getOrDefault(TRACE_UI, "on");
        if (!traceUi.equals("on") && !traceUi.equals("off")) {
            throw new IllegalArgumentException(TRACE_UI + " is on or off, not " + traceUi);
        }
        String exporters = user.get(EXPORTERS);
        return traceUi.equals("on")
                && !user.containsKey(ZIPKIN_ENDPOINT)
                && (exporters == null
                        || List.of(exporters.split(",")).stream()
                                .map(String::trim)
                                .anyMatch("zipkin"::equals));
    }

    /** The welcome text's line on traces: where they go, and how to change it. */
    static String tracesLine(Map<String, String> user, ZipkinServer zipkin) {
        if (zipkin != null) {
            return zipkin.uiUrl() + "  (Zipkin; each purchase line below links to its trace; " + TRACE_UI
                    + "=off: none)";
        }
        String why = "off".equals(user.get(TRACE_UI))
                ? TRACE_UI + "=off"
                : user.containsKey(ZIPKIN_ENDPOINT)
                        ? "your " + ZIPKIN_ENDPOINT + " is set"
                        : "add zipkin to " + EXPORTERS + " to get it";
        String exporters = user.get(EXPORTERS);
        return (exporters == null ? "not exported" : "exported as your " + EXPORTERS + "=" + exporters + " says")
                + "; no trace UI (" + why + ")";
    }
}
