package io.github.camelotel.platform.faults;

import io.github.camelotel.platform.errors.TransientFailure;
import io.github.camelotel.platform.tracing.ExchangeTracing;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for demonstrations and tests, in the spirit of the OpenTelemetry demo's feature flags. Routes mark
 * fault points ({@code bean: {ref: faults, method: "at(*, 'store-invoice')"}}); a spec switches faults on:
 *
 * <pre>FAULTS="save-order:fail=0.2,delay=300;send-mail:fail=1;consume:crash=42"</pre>
 *
 * <ul>
 *   <li>{@code fail=R}: the step fails with a {@link TransientFailure} at rate R (0..1): retried by consumers,
 *       503 at the HTTP edge;</li>
 *   <li>{@code delay=MS}: the step is that many milliseconds slower;</li>
 *   <li>{@code crash=ID}: the app halts at once (as in a crash) when the exchange whose key is ID reaches the step
 *       (the first attribute tagged on it, {@link ExchangeTracing#key}).</li>
 * </ul>
 *
 * The spec comes from the {@code FAULTS} environment variable at start-up and can be changed while the app runs
 * through the {@code faults} actuator endpoint, which exists only with {@code FAULTS_ADMIN_ENABLED=true} (development
 * only: the {@code dev} package). Every injected fault marks the span as failed and logs a line with the trace ID.
 */
public class Faults {

    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    /** One point's faults. */
    record Fault(double failureRate, Duration delay, String crashOnKey) {}

    private final ExchangeTracing tracing;
    private volatile Map<String, Fault> faults = Map.of();
    private volatile String spec = "";

    public Faults(ExchangeTracing tracing, String spec) {
        this.tracing = tracing;
        configure(spec);
    }

    /** Replaces every fault with those of {@code spec} (empty: none). */
    public void configure(String spec) {
        Map<String, Fault> parsed = parse(spec);
        this.faults = parsed;
        this.spec = spec == null ? "" : spec.trim();
        if (!parsed.isEmpty()) {
            LOG.warn("fault injection on: {}", this.spec);
        }
    }

    public String spec() {
        return spec;
    }

    /** A fault point: applies the faults configured for {@code point}, if any. */
    public void at(Exchange exchange, String point) throws InterruptedException {
        Fault fault = faults.get(point);
        if (fault == null) {
            return;
        }
        String key = ExchangeTracing.key(exchange);
        if (fault.crashOnKey() != null && fault.crashOnKey().equals(key)) {
            LOG.error("injected crash at {} for {}", point, key);
            Runtime.getRuntime().halt(137);
        }
        if (!fault.delay().isZero()) {
            Thread.sleep(fault.delay().toMillis());
        }
        if (fault.failureRate() > 0 && ThreadLocalRandom.current().nextDouble() < fault.failureRate()) {
            TransientFailure failure = new TransientFailure("injected fault at " + point);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
            tracing.recordFailure(exchange);
            exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
            LOG.warn("injected fault at {} for {}", point, key);
            throw failure;
        }
    }

    static Map<String, Fault> parse(String spec) {
        Map<String, Fault> parsed = new ConcurrentHashMap<>();
        if (spec == null || spec.isBlank()) {
            return parsed;
        }
        for (String pointSpec : spec.split(";")) {
            String[] pointAndFaults = pointSpec.trim().split(":", 2);
            if (pointAndFaults.length != 2 || pointAndFaults[0].isBlank()) {
                throw new IllegalArgumentException("fault spec '" + pointSpec + "' is not <point>:<fault>=<value>,...");
            }
            double failureRate = 0;
            Duration delay = Duration.ZERO;
            String crashOnKey = null;
            for (String setting : pointAndFaults[1].split(",")) {
                String[] keyValue = setting.trim().split("=", 2);
                if (keyValue.length != 2) {
                    throw new IllegalArgumentException("fault setting '" + setting + "' is not <fault>=<value>");
                }
                switch (keyValue[0].trim()) {
                    case "fail" -> failureRate = Double.parseDouble(keyValue[1].trim());
                    case "delay" -> delay = Duration.ofMillis(Long.parseLong(keyValue[1].trim()));
                    case "crash" -> crashOnKey = keyValue[1].trim();
                    default ->
                        throw new IllegalArgumentException("unknown fault '" + keyValue[0] + "': fail, delay or crash");
                }
            }
            if (failureRate < 0 || failureRate > 1) {
                throw new IllegalArgumentException("failure rate " + failureRate + " is not between 0 and 1");
            }
            parsed.put(pointAndFaults[0].trim(), new Fault(failureRate, delay, crashOnKey));
        }
        return parsed;
    }
}
