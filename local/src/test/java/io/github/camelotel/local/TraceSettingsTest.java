package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ./run-local and the test stack tell the apps about their spans, and when ./run-local starts Zipkin. */
class TraceSettingsTest {

    static final String SINK = "http://127.0.0.1:20001";
    static final String ZIPKIN = "http://localhost:9411/api/v2/spans";

    @Test
    void runLocalExportsToZipkinByDefault() {
        assertThat(TraceSettings.startsZipkin(Map.of())).isTrue();
        assertThat(TraceSettings.environment(Map.of(), null, ZIPKIN))
                .isEqualTo(Map.of(
                        "OTEL_TRACES_EXPORTER", "zipkin",
                        "OTEL_EXPORTER_ZIPKIN_ENDPOINT", ZIPKIN,
                        "OTEL_BSP_SCHEDULE_DELAY", "1000"));
    }

    @Test
    void theUsersExporterWins() {
        Map<String, String> otlp =
                Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318");
        assertThat(TraceSettings.startsZipkin(otlp))
                .as("no Zipkin nobody sends to")
                .isFalse();
        assertThat(TraceSettings.environment(otlp, null, null)).isEmpty();
        assertThat(TraceSettings.tracesLine(otlp, null))
                .isEqualTo(
                        "exported as your OTEL_TRACES_EXPORTER=otlp says; no trace UI (add zipkin to OTEL_TRACES_EXPORTER to get it)");

        Map<String, String> both = Map.of("OTEL_TRACES_EXPORTER", "otlp, zipkin", "OTEL_BSP_SCHEDULE_DELAY", "5000");
        assertThat(TraceSettings.startsZipkin(both)).isTrue();
        assertThat(TraceSettings.environment(both, null, ZIPKIN))
                .as("only where the local Zipkin is")
                .isEqualTo(Map.of("OTEL_EXPORTER_ZIPKIN_ENDPOINT", ZIPKIN));

        Map<String, String> ownZipkin = Map.of(
                "OTEL_TRACES_EXPORTER",
                "zipkin",
                "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
                "http://tracing.example:9411/api/v2/spans");
        assertThat(TraceSettings.startsZipkin(ownZipkin)).isFalse();
        assertThat(TraceSettings.environment(ownZipkin, null, null)).isEmpty();
    }

    @Test
    void theTraceUiSwitchesOff() {
        Map<String, String> off = Map.of("LOCAL_TRACE_UI", "off");
        assertThat(TraceSettings.startsZipkin(off)).isFalse();
        assertThat(TraceSettings.environment(off, null, null)).isEmpty();
        assertThat(TraceSettings.tracesLine(off, null)).isEqualTo("not exported; no trace UI (LOCAL_TRACE_UI=off)");
        assertThat(TraceSettings.startsZipkin(Map.of("LOCAL_TRACE_UI", "on"))).isTrue();
        assertThatThrownBy(() -> TraceSettings.startsZipkin(Map.of("LOCAL_TRACE_UI", "no")))
                .hasMessage("LOCAL_TRACE_UI is on or off, not no");
    }

    @Test
    void testStacksExportToTheirOwnReceiversWhateverTheEnvironmentSays() {
        Map<String, String> user = Map.of("OTEL_TRACES_EXPORTER", "none");
        assertThat(TraceSettings.environment(user, SINK, ZIPKIN))
                .isEqualTo(Map.of(
                        "OTEL_TRACES_EXPORTER",
                        "otlp,zipkin",
                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                        SINK,
                        "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
                        ZIPKIN,
                        "OTEL_BSP_SCHEDULE_DELAY",
                        "200"));
        assertThat(TraceSettings.environment(user, SINK, null))
                .as("the benchmark: no protocol, the platform's default")
                .isEqualTo(Map.of(
                        "OTEL_TRACES_EXPORTER", "otlp",
                        "OTEL_EXPORTER_OTLP_ENDPOINT", SINK,
                        "OTEL_BSP_SCHEDULE_DELAY", "200"));
    }
}
