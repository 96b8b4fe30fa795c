package io.github.camelotel.bench;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What a run does ({@code ./run-bench --name value ...}); the defaults are the full run, {@link #smoke()} mvn verify's. */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
final class Options {

    int repetitions = 3;
    /** The modes in the order they run in each repetition; on first: its maximum sets the rates all modes share. */
    List<String> modes = new ArrayList<>(Benchmark.MODES);
    /** Warm-up: at this rate (lowered when the cold stack falls behind) until CPU per purchase stops falling. */
    double warmupRate = 20;

    int warmupSeconds = 600;
    int warmupWindowSeconds = 30;
    double warmupTolerance = 0.03;
    double searchStartRate = 10;
    double searchFactor = 1.5;
    int searchStepSeconds = 15;
    double searchMaxRate = 3000;
    /** Fixed rates as shares of the first block's maximum; the common share is the headline's rate. */
    List<Double> fractionsOfMax = new ArrayList<>(List.of(0.1, 0.5, 0.9));

    double commonShare = 0.5;
    int fixedSeconds = 60;
    int paritySeconds = 6;
    int concurrency = 32;
    int settleTimeoutSeconds = 180;
    String label = "";
    String output = "bench/results";
    Map<String, String> env = new LinkedHashMap<>();
    boolean help;

    static final String USAGE = """
            ./run-bench [--name value ...]: the pipeline benchmark (bench/README.md)
              --repetitions 3  --tracing on,floor,off  --warmup-rate 20  --warmup-seconds 600 (the most)
              --warmup-window-seconds 30  --warmup-tolerance 0.03  --search-start 10  --search-factor 1.5
              --search-step-seconds 15  --search-max 3000  --fractions-of-max 0.1,0.5,0.9  --common-share 0.5
              --fixed-seconds 60  --parity-seconds 6  --concurrency 32  --settle-timeout 180  --label <text>
              --output bench/results  --env NAME=VALUE (repeatable)  --smoke""";

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--smoke") || arg.equals("--help") || arg.equals("-h")) {
                options = arg.equals("--smoke") ? smoke() : options;
                options.help |= !arg.equals("--smoke");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + arg);
            }
            String value = args[++i];
            try {
                options.set(arg, value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(arg + " wants a number, not " + value);
            }
        }
        return options;
    }

    private void set(String arg, String value) {
        switch (arg) {
            case "--repetitions" -> repetitions = Integer.parseInt(value);
            case "--tracing", "--modes" -> modes = modes(arg, value);
            case "--warmup-rate" -> warmupRate = Double.parseDouble(value);
            case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
            case "--warmup-window-seconds" -> warmupWindowSeconds = Integer.parseInt(value);
            case "--warmup-tolerance" -> warmupTolerance = Double.parseDouble(value);
            case "--search-start" -> searchStartRate = Double.parseDouble(value);
            case "--search-factor" -> searchFactor = Double.parseDouble(value);
            case "--search-step-seconds" -> searchStepSeconds = Integer.parseInt(value);
            case "--search-max" -> searchMaxRate = Double.parseDouble(value);
            case "--fractions-of-max" ->
                fractionsOfMax = new ArrayList<>(Stream.of(value.split(","))
                        .map(s -> Double.parseDouble(s.trim()))
                        .toList());
            case "--common-share" -> commonShare = Double.parseDouble(value);
            case "--fixed-seconds" -> fixedSeconds = Integer.parseInt(value);
            case "--parity-seconds" -> paritySeconds = Integer.parseInt(value);
            case "--concurrency" -> concurrency = Integer.parseInt(value);
            case "--settle-timeout" -> settleTimeoutSeconds = Integer.parseInt(value);
            case "--label" -> label = value;
            case "--output" -> output = value;
            case "--env" -> {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--env wants NAME=VALUE, not " + value);
                }
                env.put(value.substring(0, eq), value.substring(eq + 1));
            }
            default -> throw new IllegalArgumentException("unknown option " + arg + " (./run-bench --help)");
        }
    }

    /** Every step of the code path at a few purchases per second: for mvn verify, not for figures. */
    static Options smoke() {
        Options options = parse(("--repetitions 1 --warmup-rate 5 --warmup-seconds 8 --warmup-window-seconds 2"
                        + " --search-start 5 --search-factor 2 --search-step-seconds 3 --search-max 10"
                        + " --fractions-of-max 0.5 --fixed-seconds 3 --parity-seconds 4 --concurrency 4"
                        + " --settle-timeout 60 --label smoke")
                .split(" "));
        // scenarios of 3 s, shorter than the SDK's 5 s between exports: spans leave at once, so each counts its own
        options.env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        return options;
    }

    /** The fixed-rate shares, the common one among them. */
    List<Double> shares() {
        List<Double> shares = new ArrayList<>(fractionsOfMax);
        if (!shares.contains(commonShare)) {
            shares.add(commonShare);
        }
        return shares;
    }

    private static List<String> modes(String arg, String value) {
        List<String> modes = List.of(value.split(","));
        if (!Benchmark.MODES.containsAll(modes)) {
            throw new IllegalArgumentException(arg + " wants modes out of on,floor,off, not " + value);
        }
        return new ArrayList<>(modes);
    }
}
