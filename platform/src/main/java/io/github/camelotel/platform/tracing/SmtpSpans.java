package io.github.camelotel.platform.tracing;

import io.opentelemetry.api.trace.Span;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;

/**
 * A mail sent by the {@code smtp}/{@code smtps} endpoint of camel-mail (whose one component class serves every mail
 * protocol, so Camel's tracer named its spans {@code imap}): CLIENT span {@code smtp send} with
 * {@code server.address}, {@code server.port}, {@code network.protocol.name} and {@code peer.service} smtp. No
 * address or subject is recorded.
 */
final class SmtpSpans extends ShapedSpanDecorator {

    SmtpSpans(String scheme) {
        super(scheme, null);
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return "smtp send";
    }

    @Override
    void describe(Span span, Exchange exchange, Endpoint endpoint) {
        span.setAttribute("network.protocol.name", "smtp");
        span.setAttribute("peer.service", "smtp");
        server(span, stripSchemeAndOptions(endpoint));
    }
}
