package io.github.camelotel.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.load.LoadPlan;
import io.github.camelotel.load.LoadRun;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The executor's load mode, used from routes/executor/load.camel.yaml as bean {@code load}: what YAML does not do
 * well, pacing purchases at a rate and keeping their end-to-end latency percentiles. One run at a time; the routes
 * do the sending.
 */
@Component("load")
public class LoadGenerator {

    /** Header on each paced purchase: when it was due (epoch milliseconds). */
    public static final String DUE_HEADER = "loadDueAt";

    private final ObjectMapper json;
    private final String configuredRate;
    private final long configuredDurationSeconds;
    private final long configuredCount;
    private final int concurrency;
    private final long drainTimeoutMillis;
    /** A run asked for and not yet picked up by the pacer (route run-load). */
    private LoadPlan pending;

    private volatile LoadRun run;

    public LoadGenerator(
            ObjectMapper json,
            @Value("${executor.load.rate:}") String configuredRate,
            @Value("${executor.load.duration-seconds:60}") long configuredDurationSeconds,
            @Value("${executor.load.count:0}") long configuredCount,
            @Value("${executor.load.concurrency:16}") int concurrency,
            @Value("${executor.load.drain-timeout-ms:30000}") long drainTimeoutMillis) {
        this.json = json;
        this.configuredRate = configuredRate;
        this.configuredDurationSeconds = configuredDurationSeconds;
        this.configuredCount = configuredCount;
        this.concurrency = concurrency;
        this.drainTimeoutMillis = drainTimeoutMillis;
        if (isConfigured()) {
            pending = configuredPlan(); // a wrong EXECUTOR_LOAD_* setting stops the app at start, not later
        }
    }

    /** Whether EXECUTOR_LOAD_RATE asks for a load run when the executor starts. */
    public boolean isConfigured() {
        return configuredRate != null && !configuredRate.isBlank();
    }

    /** The run EXECUTOR_LOAD_RATE, EXECUTOR_LOAD_DURATION_SECONDS and EXECUTOR_LOAD_COUNT describe. */
    public LoadPlan configuredPlan() {
        return new LoadPlan(LoadPlan.parseRate(configuredRate), configuredDurationSeconds, configuredCount);
    }

    /**
     * Starts the run of POST /load: a JSON object with {@code rate} (purchases/s or "max"), {@code durationSeconds}
     * and {@code count}; a missing field takes the configured value. Answers the plan, or null while another run
     * is still going on.
     */
    public Map<String, Object> start(String body) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (!request.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object with rate, durationSeconds and count");
        }
        JsonNode rate = request.path("rate");
        LoadPlan plan = new LoadPlan(
                rate.isMissingNode()
                        ? LoadPlan.parseRate(isConfigured() ? configuredRate : "1")
                        : LoadPlan.parseRate(rate.asText()),
                request.path("durationSeconds").asLong(request.has("count") ? 0 : configuredDurationSeconds),
                request.path("count").asLong(configuredCount));
        return start(plan);
    }

    private synchronized Map<String, Object> start(LoadPlan plan) {
        if (isActive()) {
            return null;
        }
        pending = plan;
        Map<String, Object> started = new LinkedHashMap<>(plan.toMap());
        started.put("concurrency", concurrency);
        return started;
    }

    /** For the pacer: true (and the run begins now) when a run was asked for and has not started yet. */
    public synchronized boolean takeRun() {
        if (pending == null) {
            return false;
        }
        run = new LoadRun(pending, concurrency);
        pending = null;
        return true;
    }

    /** True while a run is asked for, sends, or waits for its purchases to complete. */
    public synchronized boolean isActive() {
        LoadRun current = run;
        return pending != null || (current != null && current.state() != LoadRun.State.DONE);
    }

    /** The plan of the current (or last) run. */
    public String plan() {
        LoadRun current = run;
        return current == null ? "none" : current.plan().toString();
    }

    /** The pacer: waits for the next purchase's slot (header {@value #DUE_HEADER}); false when the run has sent all. */
    public boolean awaitNext(Exchange exchange) {
        LoadRun current = run;
        long due = current == null ? -1 : current.awaitNextSlot();
        if (due < 0) {
            return false;
        }
        exchange.getMessage().setHeader(DUE_HEADER, due);
        return true;
    }

    /** Before the purchase in the body is sent: it is in flight from when it was due. */
    public void sending(Exchange exchange) {
        Map<?, ?> purchase = exchange.getMessage().getBody(Map.class);
        Long due = exchange.getMessage().getHeader(DUE_HEADER, Long.class);
        LoadRun current = run;
        if (current != null && purchase != null) {
            current.sending(String.valueOf(purchase.get("orderId")), due == null ? System.currentTimeMillis() : due);
        }
    }

    /** After both calls to app1-api (variables syncOutcome and outcome): a refused or failed call fails the purchase. */
    public void sent(Exchange exchange) {
        String sync = exchange.getVariable("syncOutcome", String.class);
        String async = exchange.getVariable("outcome", String.class);
        LoadRun current = run;
        if (current != null && !(accepted(sync) && accepted(async))) {
            current.failed(exchange.getProperty("order.id", String.class), "sync=" + sync + " async=" + async);
        }
    }

    private static boolean accepted(String outcome) {
        return outcome != null && outcome.length() == 3 && outcome.startsWith("2");
    }

    /** app4-worker announced the order complete; {@code completedAt} is the event's timestamp (epoch ms). */
    public void completed(String orderId, Long completedAt) {
        LoadRun current = run;
        if (current != null && orderId != null) {
            current.completed(orderId, completedAt == null ? System.currentTimeMillis() : completedAt);
        }
    }

    /** Stops sending (DELETE /load); the run still waits for its purchases in flight. */
    public synchronized boolean stop() {
        if (pending != null) {
            pending = null;
            return true;
        }
        LoadRun current = run;
        if (current == null || current.state() == LoadRun.State.DONE) {
            return false;
        }
        current.stop();
        return true;
    }

    /** After the pacer's last purchase: waits for the ones in flight (up to the drain timeout), then ends the run. */
    public void drain() throws InterruptedException {
        LoadRun current = run;
        if (current != null) {
            current.drain(drainTimeoutMillis);
        }
    }

    /** The progress line of the current (or last) run. */
    public String progress() {
        LoadRun current = run;
        return current == null ? "no load run yet" : current.progress();
    }

    /** The current (or last) run ({@link io.github.camelotel.load.LoadReport}), or state "idle" before the first. */
    public synchronized Object report() {
        LoadRun current = run;
        if (pending != null) {
            return Map.of("state", "starting", "plan", pending.toMap());
        }
        return current == null ? Map.of("state", "idle") : current.report();
    }
}
