package io.github.camelotel.platform.tracing;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** What the platform's tracing adds to Camel's spans. */
@ConfigurationProperties("platform.tracing")
public class TracingProperties {

    /** Request headers carried to every downstream app as W3C baggage and recorded on each span. */
    private List<String> baggageKeys = List.of("x-client-id", "x-session-id");

    /**
     * Whether Zipkin's dependency graph links this app's Kafka consumers to their producers (see
     * ZipkinDependencyLinks); off for a consumer that would close a cycle, which the graph's layout cannot draw.
     */
    private boolean zipkinLinksConsumers = true;

    public List<String> getBaggageKeys() {
        return baggageKeys;
    }

    public void setBaggageKeys(List<String> baggageKeys) {
        this.baggageKeys = baggageKeys;
    }

    public boolean isZipkinLinksConsumers() {
        return zipkinLinksConsumers;
    }

    public void setZipkinLinksConsumers(boolean zipkinLinksConsumers) {
        this.zipkinLinksConsumers = zipkinLinksConsumers;
    }
}
