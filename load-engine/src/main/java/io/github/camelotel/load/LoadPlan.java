package io.github.camelotel.load;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one load run sends: {@code rate} purchases per second (0: unthrottled, as fast as the executor's senders
 * go), for {@code durationSeconds} or until {@code count} purchases are sent, whichever comes first (0: no limit).
 */
public record LoadPlan(double rate, long durationSeconds, long count) {

    /** The word for "unthrottled" in EXECUTOR_LOAD_RATE and in the {@code rate} field of POST /load. */
    public static final String UNTHROTTLED = "max";

    public LoadPlan {
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a number of purchases per second or \"max\", not " + rate);
        }
        if (durationSeconds < 0 || count < 0) {
            throw new IllegalArgumentException("durationSeconds and count must not be negative");
        }
        if (durationSeconds == 0 && count == 0) {
            throw new IllegalArgumentException("a load run needs a durationSeconds or a count");
        }
    }

    /** Reads a rate as configured: a number of purchases per second, or {@value #UNTHROTTLED} (as 0). */
    public static double parseRate(String rate) {
        String text = rate.trim();
        if (UNTHROTTLED.equalsIgnoreCase(text)) {
            return 0;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "rate must be a number of purchases per second or \"max\", not \"" + text + "\"");
        }
        if (value <= 0) {
            throw new IllegalArgumentException("rate must be above 0 (or \"max\"), not " + text);
        }
        return value;
    }

    /** The plan from its JSON form ({@link #toMap()}). */
    @JsonCreator
    public static LoadPlan of(
            @JsonProperty("rate") String rate,
            @JsonProperty("durationSeconds") long durationSeconds,
            @JsonProperty("count") long count) {
        return new LoadPlan(parseRate(rate), durationSeconds, count);
    }

    public boolean unthrottled() {
        return rate == 0;
    }

    /** The plan as JSON has it: {@code rate} a number or {@value #UNTHROTTLED}. */
    @JsonValue
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rate", unthrottled() ? UNTHROTTLED : rate);
        map.put("durationSeconds", durationSeconds);
        map.put("count", count);
        return map;
    }

    @Override
    public String toString() {
        return (unthrottled() ? "unthrottled" : rate + "/s")
                + (durationSeconds > 0 ? " for " + durationSeconds + " s" : "")
                + (count > 0 ? (durationSeconds > 0 ? " or " : " for ") + count + " purchases" : "");
    }
}
