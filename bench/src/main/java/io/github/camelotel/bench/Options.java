package io.github.camelotel.bench;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a run does: {@code ./run-bench --name value} sets the field of that name ({@code --warmup-rate} sets
 * {@code warmupRate}), so the fields are the list of options. The defaults are the full run, {@link #smoke()}
 * mvn verify's.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
final class Options {

    int repetitions = 1;
    /** The modes in the order they run in each repetition; on first: its maximum sets the rates all modes share. */
    List<String> tracing = Benchmark.MODES;
    /** Warm-up: at this rate (lowered when the cold stack falls behind) until CPU per purchase stops falling. */
    double warmupRate = 20;

    int warmupSeconds = 600;
    int warmupWindowSeconds = 30;
    int warmupMedianOf = 3;
    double warmupTolerance = 0.03;
    double searchStart = 10;
    double searchFactor = 1.5;
    int searchStepSeconds = 15;
    double searchMax = 3000;
    /** The common rate, the headline's, as a share of the first block's maximum: every block runs it. */
    double commonShare = 0.5;

    int fixedSeconds = 60;
    /** The I/O count's run at 5/s (0: none). */
    int paritySeconds = 6;

    int concurrency = 32;
    int settleTimeout = 180;
    String label = "";
    String output = "bench/results";
    /** NAME=VALUE for every app and floor process (repeatable). */
    @JsonMerge
    Map<String, String> env = new LinkedHashMap<>();

    /** The options as Jackson reads them: a field per option, named in kebab case; "a,b" a list. */
    private static final ObjectMapper READER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .enable(
                    DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS,
                    DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    /** The options in order; {@code --smoke} stands for {@link #smoke()}'s, and options after it still apply. */
    static Options parse(String... args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--smoke")) {
                options = smoke();
                continue;
            }
            if (args[i].equals("--help")) {
                throw new IllegalArgumentException("the options");
            }
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("missing value for " + args[i] + " (./run-bench --help)");
            }
            String name = args[i].substring(2);
            String[] value = args[++i].split(name.equals("env") ? "=" : ",", name.equals("env") ? 2 : -1);
            ObjectNode option = READER.createObjectNode();
            if (name.equals("env") && value.length == 2 && !value[0].isEmpty()) {
                option.putObject(name).put(value[0], value[1]);
            } else {
                Stream.of(value).map(String::trim).forEach(option.putArray(name)::add);
            }
            try {
                READER.readerForUpdating(options).readValue(option);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        args[i - 1] + ": " + e.getMessage().replaceAll("(?s)\\n.*", ""));
            }
        }
        if (!Benchmark.MODES.containsAll(options.tracing)) {
            throw new IllegalArgumentException("--tracing wants modes out of on,floor,off, not " + options.tracing);
        }
        return options;
    }

    /** Every step of the code path at a few purchases per second: for mvn verify, not for figures. */
    static Options smoke() {
        // scenarios of 3 s, shorter than the SDK's 5 s between exports: spans leave at once, in their own scenario;
        // C1 only, as ./run-local: a code path to check in seconds, not a steady state
        return parse(("--warmup-rate 5 --warmup-seconds 8 --warmup-window-seconds 2 --warmup-median-of 1"
                        + " --search-start 5 --search-factor 2 --search-step-seconds 3 --search-max 10"
                        + " --fixed-seconds 3 --parity-seconds 4 --concurrency 4 --settle-timeout 60 --label smoke"
                        + " --env OTEL_BSP_SCHEDULE_DELAY=200 --env LOCAL_STACK_JVM_OPTIONS=-XX:TieredStopAtLevel=1")
                .split(" "));
    }
}
