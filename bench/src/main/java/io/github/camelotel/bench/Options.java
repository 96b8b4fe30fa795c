package io.github.camelotel.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a benchmark run does, from the command line ({@code ./bench --name value ...}); the defaults are the full
 * run whose figures bench/README.md reports, {@link #smoke()} the few seconds {@code mvn verify} runs.
 */
final class Options {

    /** Tracing modes in the order the blocks run: on, off, on, off, ... (interleaved). */
    int repetitions = 3;

    int warmupSeconds = 20;
    double warmupRate = 20;
    /** The search for the maximum sustained rate: first rate, growth factor, step length, refinements, cap. */
    double searchStartRate = 10;

    double searchFactor = 1.5;
    int searchStepSeconds = 15;
    int searchRefinements = 3;
    double searchMaxRate = 3000;
    /** The fixed-rate scenarios: shares of the maximum (how cost grows with work), and absolute rates if any. */
    List<Double> fractionsOfMax = new ArrayList<>(List.of(0.1, 0.5, 0.9));

    List<Double> fixedRates = new ArrayList<>();
    /** The rate of the profiled scenario, as a share of the maximum. */
    double fractionOfMax = 0.8;
    /** The I/O count of one purchase (parity of pipeline and floor) in each mode's first block: seconds at 5/s (0: none). */
    int paritySeconds = 6;

    int fixedSeconds = 40;
    int concurrency = 32;
    /** CPU profile (JFR) of each app during the 80 %-of-maximum scenario of the first block of each mode. */
    boolean profile = true;
    /** Restart each app alone at the end, for its start-up time without the others starting beside it. */
    boolean startupAlone = true;
    /** Waiting for the pipeline to drain after a scenario (all lag gone). */
    int settleTimeoutSeconds = 180;
    /**
     * Which modes to run, interleaved in this order in every repetition (one alone, e.g. "on", to compare a tuning
     * quickly). By default the floor, the pipeline with tracing on, then with tracing off: tracing on is in both
     * ratios (over the floor, over tracing off), so it runs next to each, and a ratio's two sides ran minutes apart.
     */
    List<String> tracing = new ArrayList<>(List.of(Benchmark.FLOOR, Benchmark.ON, Benchmark.OFF));

    String label = "";
    String output = "bench/results";
    /** Extra environment for every app, e.g. a tuning to compare: --env KAFKA_CONSUMERS=1 */
    Map<String, String> env = new LinkedHashMap<>();

    static final String USAGE = """
            ./run-bench [--name value ...]: the pipeline benchmark; every option and the figures are in bench/README.md
              --repetitions 3  --tracing floor,on,off  --warmup-seconds 20  --warmup-rate 20  --search-start 10
              --search-factor 1.5  --search-step-seconds 15  --search-refinements 3  --search-max 3000
              --fractions-of-max 0.1,0.5,0.9  --fixed-rates <rates>  --fixed-seconds 40  --parity-seconds 6
              --concurrency 32  --profile true  --startup-alone true  --settle-timeout 180  --label <text>
              --output bench/results  --env NAME=VALUE (repeatable)""";

    /** {@code --help}: print {@link #USAGE} instead of running. */
    boolean help;

    static Options parse(String[] args) {
        Options options = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--smoke".equals(arg)) {
                options = smoke();
                continue;
            }
            if ("--help".equals(arg) || "-h".equals(arg)) {
                options.help = true;
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
            case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
            case "--warmup-rate" -> warmupRate = Double.parseDouble(value);
            case "--search-start" -> searchStartRate = Double.parseDouble(value);
            case "--search-factor" -> searchFactor = Double.parseDouble(value);
            case "--search-step-seconds" -> searchStepSeconds = Integer.parseInt(value);
            case "--search-refinements" -> searchRefinements = Integer.parseInt(value);
            case "--search-max" -> searchMaxRate = Double.parseDouble(value);
            case "--fixed-rates" -> fixedRates = parseRates(value);
            case "--fractions-of-max" -> fractionsOfMax = parseRates(value);
            case "--parity-seconds" -> paritySeconds = Integer.parseInt(value);
            case "--settle-timeout" -> settleTimeoutSeconds = Integer.parseInt(value);
            case "--fixed-seconds" -> fixedSeconds = Integer.parseInt(value);
            case "--concurrency" -> concurrency = Integer.parseInt(value);
            case "--profile" -> profile = parseSwitch(arg, value);
            case "--startup-alone" -> startupAlone = parseSwitch(arg, value);
            case "--tracing", "--modes" -> tracing = parseModes(arg, value);
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

    /** A few seconds at low rates through every step of the code path: for {@code mvn verify}, not for figures. */
    static Options smoke() {
        Options options = new Options();
        options.repetitions = 1;
        options.warmupSeconds = 3;
        options.warmupRate = 5;
        options.searchStartRate = 5;
        options.searchFactor = 2;
        options.searchStepSeconds = 3;
        options.searchRefinements = 0;
        options.searchMaxRate = 10;
        options.fractionsOfMax = new ArrayList<>(List.of(0.5));
        options.fixedSeconds = 3;
        options.paritySeconds = 4;
        options.concurrency = 4;
        options.profile = true;
        options.startupAlone = false;
        options.settleTimeoutSeconds = 60;
        options.label = "smoke";
        // tracing off is the same pipeline restarted with one switch: its block would lengthen mvn verify, no new path
        options.tracing = new ArrayList<>(List.of(Benchmark.ON, Benchmark.FLOOR));
        // its scenarios last 3 s, less than the SDK's 5 s between exports: spans leave at once, so each counts its own
        options.env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        return options;
    }

    private static List<String> parseModes(String arg, String value) {
        List<String> modes = new ArrayList<>(List.of(value.split(",")));
        if (!Benchmark.MODES.containsAll(modes)) {
            throw new IllegalArgumentException(
                    arg + " wants modes out of " + String.join(",", Benchmark.MODES) + ", not " + value);
        }
        return modes;
    }

    /** true or false, nothing else: a typo must not quietly turn a part of the run off. */
    private static boolean parseSwitch(String arg, String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(arg + " wants true or false, not " + value);
        }
        return Boolean.parseBoolean(value);
    }

    private static List<Double> parseRates(String value) {
        List<Double> rates = new ArrayList<>();
        for (String rate : value.split(",")) {
            rates.add(Double.parseDouble(rate.trim()));
        }
        return rates;
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("repetitions", repetitions);
        map.put("warmup", Map.of("seconds", warmupSeconds, "rate", warmupRate));
        map.put(
                "search",
                Map.of(
                        "startRate",
                        searchStartRate,
                        "factor",
                        searchFactor,
                        "stepSeconds",
                        searchStepSeconds,
                        "refinements",
                        searchRefinements,
                        "maxRate",
                        searchMaxRate));
        map.put("fractionsOfMax", fractionsOfMax);
        map.put("fixedRates", fixedRates);
        map.put("paritySeconds", paritySeconds);
        map.put("fractionOfMax", fractionOfMax);
        map.put("fixedSeconds", fixedSeconds);
        map.put("concurrency", concurrency);
        map.put("profile", profile);
        map.put("tracing", tracing);
        map.put("env", env);
        map.put("label", label);
        return map;
    }
}
