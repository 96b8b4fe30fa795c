package io.github.camelotel.platform;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Header hygiene between hops, configured once per component: only the headers named here cross the wire in each
 * direction, whatever else is on the message (the inbound request's headers, a downstream answer's, Camel's own).
 * So a client's headers do not leak into Kafka records or calls to other apps, and another app's {@code Server} or
 * {@code Date} does not leak into an answer.
 */
public final class AllowedHeaders implements HeaderFilterStrategy {

    /** The W3C trace context and baggage: the tracer writes them for every outgoing call and record. */
    public static final Set<String> TRACE_CONTEXT = Set.of("traceparent", "tracestate", "baggage");

    /** The named headers and the trace context. */
    public static Set<String> withTraceContext(String... names) {
        return Stream.concat(Stream.of(names), TRACE_CONTEXT.stream()).collect(Collectors.toUnmodifiableSet());
    }

    private final Set<String> in;
    private final Set<String> out;

    /**
     * @param in  headers taken from the wire into the message, or null for all
     * @param out headers written from the message to the wire
     */
    public AllowedHeaders(Set<String> in, Set<String> out) {
        this.in = in == null ? null : lowerCase(in);
        this.out = lowerCase(out);
    }

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !out.contains(headerName.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return in != null && !in.contains(headerName.toLowerCase(Locale.ROOT));
    }

    private static Set<String> lowerCase(Set<String> names) {
        return Set.copyOf(
                names.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList());
    }
}
