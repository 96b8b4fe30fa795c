package io.github.camelotel.platform.kafka;

import io.github.camelotel.platform.tracing.ExchangeTracing;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Prepares a failed Kafka message for its dead-letter topic ({@code <source topic>.DLT}), used by the
 * {@code consumer-errors} route configuration as bean {@code deadLetters}. The message keeps its original
 * payload and key; headers say why it failed and after how many attempts; the span records the failure,
 * and Camel injects the trace context into the dead letter's record headers.
 */
public class DeadLetters implements Processor {

    public static final String SUFFIX = ".DLT";
    // camel-kafka's header names (KafkaConstants), spelled out so the platform does not need Kafka on its classpath.
    static final String TOPIC = "kafka.TOPIC";
    static final String KEY = "kafka.KEY";
    static final String OVERRIDE_TOPIC = "kafka.OVERRIDE_TOPIC";
    public static final String ERROR = "dead-letter-error";
    public static final String ATTEMPTS = "dead-letter-attempts";
    public static final String FAILED_BY = "dead-letter-app";

    private final ExchangeTracing tracing;
    private final String appName;

    public DeadLetters(ExchangeTracing tracing, String appName) {
        this.tracing = tracing;
        this.appName = appName;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        tracing.recordFailure(exchange);
        var message = exchange.getMessage();
        String topic = message.getHeader(TOPIC, String.class);
        Object key = message.getHeader(KEY);
        int attempts = 1 + message.getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        // Only the dead-letter headers travel on: not the consumed record's own kafka.* and Camel* headers.
        message.removeHeaders("*");
        message.setHeader(OVERRIDE_TOPIC, topic + SUFFIX);
        if (key != null) {
            message.setHeader(KEY, key);
        }
        message.setHeader(
                ERROR, failure == null ? "unknown" : failure.getClass().getName() + ": " + failure.getMessage());
        message.setHeader(ATTEMPTS, String.valueOf(attempts)); // text, so any Kafka tool shows it
        message.setHeader(FAILED_BY, appName);
    }
}
