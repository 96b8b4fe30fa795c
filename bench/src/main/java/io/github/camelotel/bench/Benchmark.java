package io.github.camelotel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.camelotel.local.App;
import io.github.camelotel.local.AppProcess;
import io.github.camelotel.local.Infrastructure;
import io.github.camelotel.local.LocalStack;
import io.github.camelotel.local.Ports;
import io.github.camelotel.local.SpanSink;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline benchmark ({@code ./bench}): starts the local stack on free ports, then in blocks that alternate
 * tracing on (every app exports OTLP to a local span sink) and off (Camel's tracer disabled), restarts the apps,
 * warms them up, searches the maximum sustained rate and runs the fixed-rate scenarios through the executor's load
 * mode. It writes {@code <date>.json}, {@code <date>.md} and {@code <date>.png} into the output folder.
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String ON = "on";
    static final String OFF = "off";
    /** The floor: the same purchase I/O by hand-written processes (bench/.../floor) instead of the five apps. */
    static final String FLOOR = "floor";

    static final List<String> MODES = List.of(ON, FLOOR, OFF);
    /** Tracing off: Camel's tracer disabled, no exporter; on is the stack's own setting (OTLP to the span sink). */
    static final Map<String, String> TRACING_OFF =
            Map.of("CAMEL_OPENTELEMETRY_ENABLED", "false", "OTEL_TRACES_EXPORTER", "none");

    private final Options options;
    private final Path root;
    private final Path logDir;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<Map<String, Object>> blocks = new ArrayList<>();
    private final Map<String, Object> lagSeries = new LinkedHashMap<>();
    private LocalStack stack;
    private SpanSink sink;
    private ExecutorClient executor;
    private KafkaLag lag;
    /** The maximum of each mode's first block, base of its fixed rates (tracing off uses tracing on's, to compare). */
    private final Map<String, Double> firstMax = new LinkedHashMap<>();

    private final Map<String, Object> ioPerPurchase = new LinkedHashMap<>();
    /** The floor's processes while a floor block runs, else null (the apps run). */
    private FloorStack floor;

    Benchmark(Options options, Path root) {
        this.options = options;
        this.root = root.toAbsolutePath().normalize();
        this.logDir = this.root.resolve("target/bench/logs");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && "--summarize".equals(args[0])) {
            // recomputes the summary of <date>.json from its measurements and rewrites <date>.md, e.g. after a change
            // to how the summary judges them
            Path json = Path.of(args[1]);
            String name = json.getFileName().toString().replaceFirst("\\.json$", "");
            @SuppressWarnings("unchecked")
            Map<String, Object> results = JSON.readValue(json.toFile(), Map.class);
            results.put("summary", Summary.of(results));
            Bounds.attach(results);
            JSON.writeValue(json.toFile(), results);
            Files.writeString(json.resolveSibling(name + ".md"), Summary.markdown(results, name + ".png"));
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("run-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        Path root = Path.of(System.getProperty("project.root", "."));
        Path written = new Benchmark(options, root).run();
        LOG.info("results: {} (.json, .md, .png)", written);
        System.exit(0); // the embedded Kafka broker leaves non-daemon threads behind
    }

    /** Runs everything and writes the results; answers their path without extension. */
    Path run() throws Exception {
        Instant began = Instant.now();
        Map<String, Object> machine = Machine.describe();
        LOG.info("machine: {}", machine);
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("EXECUTOR_INTERVAL_MS", "3600000"); // no periodic purchases: only the load runs
        environment.put("EXECUTOR_LOAD_CONCURRENCY", String.valueOf(options.concurrency));
        environment.put("EXECUTOR_LOAD_DRAIN_TIMEOUT_MS", "30000");
        environment.put("OTEL_BSP_SCHEDULE_DELAY", "5000"); // the SDK's default, not the tests' 200 ms
        environment.put(
                AppProcess.EXTRA_JVM_OPTIONS,
                ("-Xlog:gc:file=" + logDir.resolve("gc-%p.log") + ":uptime "
                                + options.env.getOrDefault(AppProcess.EXTRA_JVM_OPTIONS, ""))
                        .trim());
        options.env.forEach((name, value) -> {
            if (!AppProcess.EXTRA_JVM_OPTIONS.equals(name)) {
                environment.put(name, value);
            }
        });
        Files.createDirectories(logDir);
        sink = SpanSink.startCounting(0);
        stack = new LocalStack(Ports.free(), root, logDir, environment).withSpanSink(sink);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                if (lag != null) {
                    lag.close();
                }
                if (floor != null) {
                    floor.close();
                }
                stack.close();
            }
        };
        Thread onInterrupt = new Thread(close, "stop-benchmark-stack"); // Ctrl-C: no server is left behind
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Map<String, Object> startupAlone = new LinkedHashMap<>();
        try {
            LOG.info("starting the local stack (servers and five apps)");
            stack.start();
            if (Arrays.stream(App.values()).anyMatch(app -> stack.app(app).recordsClassData())) {
                // a new build's first JVMs record their class data archive, which costs CPU per purchase that later
                // starts do not pay (bench/README.md, "Why the rules"): every block measures JVMs that map it
                LOG.info("restarting the apps once, so that they record their class data archive before block 1");
                stack.restartApps(Map.of());
            }
            executor = new ExecutorClient(stack.ports().executor());
            lag = new KafkaLag(stack.infrastructure().kafkaBootstrapServers());
            int block = 0;
            boolean appsAsStarted = true;
            for (int repetition = 0; repetition < options.repetitions; repetition++) {
                for (String mode : options.tracing) {
                    block++;
                    if (FLOOR.equals(mode)) {
                        LOG.info("stopping the apps and starting the floor's processes on their ports");
                        stack.stopApps();
                        floor = FloorStack.start(stack, root, logDir);
                        appsAsStarted = false;
                    } else if (!appsAsStarted || OFF.equals(mode)) {
                        LOG.info("restarting the apps with tracing {}", mode);
                        stack.restartApps(ON.equals(mode) ? Map.of() : TRACING_OFF);
                    }
                    appsAsStarted = false;
                    executor = new ExecutorClient(stack.ports().executor());
                    try {
                        runBlock(block, mode);
                    } finally {
                        if (floor != null) {
                            floor.close();
                            floor = null;
                        }
                    }
                }
            }
            if (floor == null && options.startupAlone && stack.app(App.EXECUTOR) == null) {
                stack.restartApps(Map.of()); // the last block was the floor's: the apps back for their start-up alone
            }
            if (options.startupAlone) {
                startupAlone = startEachAppAlone();
            }
        } finally {
            close.run();
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", began.toString());
        results.put(
                "durationMinutes",
                Math.round(Duration.between(began, Instant.now()).toSeconds() / 6.0) / 10.0);
        results.put("machine", machine);
        results.put("loadAverageAtEnd", Machine.loadAverage());
        results.put("options", options.toMap());
        results.put("jvmOptions", AppProcess.JVM_OPTIONS);
        results.put("kafkaPartitionsPerTopic", 4);
        results.put("topics", Infrastructure.TOPICS);
        results.put("ioPerPurchase", ioPerPurchase);
        List<Map<String, Object>> all = new ArrayList<>();
        scenarios.forEach(s -> all.add(s.toMap()));
        results.put("summary", Summary.of(all, blocks, startupAlone, options.fractionsOfMax));
        results.put("blocks", blocks);
        results.put("startupAloneMs", startupAlone);
        results.put("scenarios", all);
        results.put("lag", lagSeries);
        Bounds.attach(results);
        return write(results);
    }

    /** This JVM's collections so far, over all collectors: count and milliseconds. */
    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * This JVM's collections in a block (it hosts the Kafka broker, the SMTP server and the span sink, so a heap that
     * fills up slows every mode), then its live heap after a full collection: one that grows from block to block is
     * a drift that would make the repeats disagree. The full collection also starts the next block on a clean heap.
     */
    private static Map<String, Object> benchJvmGc(long[] before, double blockSeconds) {
        long[] after = gcCountAndMillis();
        System.gc();
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("pauses", after[0] - before[0]);
        gc.put("totalMs", after[1] - before[1]);
        gc.put("shareOfBlockPercent", Math.round((after[1] - before[1]) / blockSeconds / 10.0 * 100) / 100.0);
        gc.put(
                "liveHeapMiBAfter",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
        return gc;
    }

    private void runBlock(int block, String tracing) throws Exception {
        Instant blockStart = Instant.now();
        long[] benchGcBefore = gcCountAndMillis();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("block", block);
        info.put("tracing", tracing);
        Map<String, Long> startup = new LinkedHashMap<>();
        (floor != null ? floor.startupTimes() : stack.startupTimes())
                .forEach((app, time) -> startup.put(app.serviceName(), time.toMillis()));
        info.put("startupMs", startup);
        LOG.info("block {} (tracing {}): start-up {}", block, tracing, startup);
        // each block starts with no mail held in this JVM's heap, beside the Kafka broker: mails kept from block to
        // block slowed the last blocks of a run (bench/README.md, "Why the rules")
        stack.infrastructure().mail().forgetReceived();

        run(new Scenario("warm-up", "warmup", tracing, block, options.warmupRate, options.warmupSeconds));
        if (options.paritySeconds > 0 && !ioPerPurchase.containsKey(tracing)) {
            ioPerPurchase.put(tracing, countIo(block, tracing));
        }
        double max = searchMaximum(block, tracing);
        info.put("maxSustainedRate", max);
        firstMax.putIfAbsent(tracing, max);
        // tracing off runs at the rates of tracing on, so the two compare; the floor at fractions of its own maximum
        double base = firstMax.getOrDefault(FLOOR.equals(tracing) ? FLOOR : ON, firstMax.get(tracing));
        info.put("fixedRatesBase", base);
        for (double share : options.fractionsOfMax) {
            double rate = Math.max(1, Math.round(base * share));
            run(new Scenario(
                            "fixed " + Summary.rate(rate) + "/s (" + Math.round(share * 100) + " % of max)",
                            "fixed",
                            tracing,
                            block,
                            rate,
                            options.fixedSeconds)
                    .atShare(share));
        }
        for (double rate : new LinkedHashSet<>(options.fixedRates)) {
            run(new Scenario(
                    "fixed " + Summary.rate(rate) + "/s", "fixed", tracing, block, rate, options.fixedSeconds));
        }
        double fraction = Math.max(1, Math.round(base * options.fractionOfMax));
        if (options.profile && blocks.stream().noneMatch(b -> tracing.equals(b.get("tracing")))) {
            // a scenario of its own: the JFR profiler slows the apps, so its latencies stay out of the fixed-rate
            // figures
            run(new Scenario(
                    "profile at " + Summary.rate(fraction) + "/s (" + Math.round(options.fractionOfMax * 100)
                            + " % of max)",
                    "profile",
                    tracing,
                    block,
                    fraction,
                    options.fixedSeconds));
        }
        Map<String, Object> rss = new LinkedHashMap<>();
        Map<String, Object> memory = new LinkedHashMap<>();
        Map<String, Object> gc = new LinkedHashMap<>();
        double blockSeconds = Duration.between(blockStart, Instant.now()).toMillis() / 1000.0;
        for (App app : App.values()) {
            long pid = pid(app);
            Map<String, Object> breakdown = Processes.memoryMiB(pid);
            memory.put(app.serviceName(), breakdown);
            rss.put(app.serviceName(), breakdown.get("rss"));
            Map<String, Object> pauses = Profiles.gcPauses(logDir.resolve("gc-" + pid + ".log"), 0, Double.MAX_VALUE);
            pauses.put(
                    "shareOfBlockPercent",
                    Math.round(((Number) pauses.get("totalMs")).doubleValue() / blockSeconds / 10.0 * 100) / 100.0);
            gc.put(app.serviceName(), pauses);
        }
        gc.put(Processes.BENCH_JVM, benchJvmGc(benchGcBefore, blockSeconds));
        info.put("rssMiBAfter", rss);
        info.put("memoryMiBAfter", memory);
        info.put("gc", gc);
        info.put("minutes", Math.round(blockSeconds / 6.0) / 10.0);
        LOG.info("block {} (tracing {}) done: max {}/s, RSS {}", block, tracing, max, rss);
        blocks.add(info);
    }

    /** The app's process, or the floor's process in its place during a floor block. */
    private long pid(App app) {
        return floor != null ? floor.pid(app) : stack.app(app).pid();
    }

    /**
     * The I/O of one purchase, counted on the servers (IoCounts) around a short run at 5/s: the parity of the
     * pipeline and the floor. PostgreSQL publishes its table statistics up to 10 s late, hence the waits.
     */
    private Map<String, Object> countIo(int block, String mode) throws Exception {
        settle();
        Thread.sleep(11_000);
        Map<String, Double> before =
                IoCounts.snapshot(stack.infrastructure(), stack.ports().redis());
        Scenario parity = run(new Scenario("I/O count", "parity", mode, block, 5, options.paritySeconds));
        settle();
        Thread.sleep(11_000);
        Map<String, Double> after =
                IoCounts.snapshot(stack.infrastructure(), stack.ports().redis());
        Map<String, Object> counted = new LinkedHashMap<>();
        counted.put("purchases", parity.completed);
        counted.put("failedOrLost", parity.failed + parity.lost);
        counted.put("perPurchase", IoCounts.perPurchase(before, after, parity.completed));
        LOG.info("I/O per purchase ({}): {}", mode, counted);
        return counted;
    }

    /** Raises the rate step by step until the pipeline no longer sustains it, then narrows the gap. */
    private double searchMaximum(int block, String tracing) throws Exception {
        // a repeat starts two steps below its mode's first maximum, instead of climbing from the start rate again
        Double known = firstMax.get(tracing);
        double rate = known == null || known <= 0
                ? options.searchStartRate
                : Math.max(options.searchStartRate, Math.round(known / options.searchFactor / options.searchFactor));
        double good = 0;
        double goodCompleted = 0;
        double bad = Double.NaN;
        while (rate <= options.searchMaxRate) {
            Scenario step = run(new Scenario(
                    "search " + Summary.rate(rate) + "/s", "search", tracing, block, rate, options.searchStepSeconds));
            if (!step.sustained) {
                bad = rate;
                if (good == 0 && rate / options.searchFactor >= 1) {
                    rate = Math.max(1, Math.round(rate / options.searchFactor)); // too fast from the start: go down
                    continue;
                }
                break;
            }
            if (!Double.isNaN(bad)) {
                good = rate; // found on the way down
                goodCompleted = step.completedRate;
                break;
            }
            good = rate;
            goodCompleted = step.completedRate;
            rate = Math.round(rate * options.searchFactor);
        }
        for (int i = 0; i < options.searchRefinements && !Double.isNaN(bad); i++) {
            double middle = Math.round((good + bad) / 2);
            if (middle - good < Math.max(2, good * 0.05)) {
                break;
            }
            Scenario step = run(new Scenario(
                    "search " + Summary.rate(middle) + "/s",
                    "search",
                    tracing,
                    block,
                    middle,
                    options.searchStepSeconds));
            if (step.sustained) {
                good = middle;
                goodCompleted = step.completedRate;
            } else {
                bad = middle;
            }
        }
        LOG.info(
                "block {} (tracing {}): maximum sustained {}/s (completed {}/s), first unsustained {}",
                block,
                tracing,
                good,
                goodCompleted,
                bad);
        return good;
    }

    /** One load run: starts it, samples lag and CPU every second, stops it early on a runaway backlog, reads it. */
    private Scenario run(Scenario scenario) throws Exception {
        boolean profile = "profile".equals(scenario.kind);
        settle();
        LOG.info(
                "scenario {} (tracing {}, block {}): {}/s for {} s",
                scenario.name,
                scenario.tracing,
                scenario.block,
                scenario.offeredRate,
                scenario.seconds);
        Map<String, List<Long>> processes = Processes.groups(stack, this::pid);
        Map<String, Double> cpuBefore = Processes.cpuSeconds(processes);
        long[] machineBefore = Processes.machineJiffies();
        long spansBefore = sink.receivedCount();
        Map<App, Map<String, double[]>> routesBefore = new EnumMap<>(App.class);
        for (App app : App.values()) {
            routesBefore.put(app, RouteTimes.snapshot(stack.ports().of(app)));
        }
        long began = System.nanoTime();
        List<Map<String, Object>> lagSamples = new ArrayList<>();
        executor.start(scenario.offeredRate, scenario.seconds);
        if (profile) {
            startProfiles(scenario);
        }
        JsonNode report = executor.report();
        double sendingEndsAfter = scenario.seconds;
        while (!"done".equals(report.path("state").asText())) {
            Thread.sleep(1000);
            double elapsed = (System.nanoTime() - began) / 1e9;
            Map<String, Long> now = lag.lag();
            long total = now.values().stream().mapToLong(v -> Math.max(0, v)).sum();
            Map<String, Object> sample = new LinkedHashMap<>(now);
            sample.put("t", System.currentTimeMillis());
            lagSamples.add(sample);
            sample.put("elapsed", elapsed);
            sample.put("total", total);
            now.forEach((group, value) -> scenario.maxLag.merge(group, value, Math::max));
            // keeping up, the summed lag of the three groups saw-tooths up to ~15 s worth of purchases (each commits
            // its offsets every 5 s, see Scenario.judge), so only beyond 20 s worth is it a runaway (a lower bar
            // stopped steps that were keeping up: bench/README.md, "Why the rules")
            boolean runaway = total > Math.max(500, scenario.offeredRate * 20);
            if (runaway && !scenario.stoppedEarly && elapsed < sendingEndsAfter) {
                LOG.info("backlog of {} records after {} s: stopping the scenario early", total, Math.round(elapsed));
                scenario.stoppedEarly = true;
                sendingEndsAfter = elapsed;
                executor.stop();
            }
            report = executor.report();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        scenario.coresUsed = Processes.coresUsed(cpuBefore, Processes.cpuSeconds(processes), seconds);
        scenario.runSeconds = seconds;
        for (App app : App.values()) {
            scenario.routeMeanMs.put(
                    app.serviceName(),
                    RouteTimes.meanMillis(
                            routesBefore.get(app),
                            RouteTimes.snapshot(stack.ports().of(app))));
        }
        long[] machineAfter = Processes.machineJiffies();
        double jiffies = machineAfter[1] - machineBefore[1];
        scenario.machineBusyCores = jiffies <= 0
                ? 0
                : Processes.round2((machineAfter[0] - machineBefore[0])
                        / jiffies
                        * Runtime.getRuntime().availableProcessors());
        scenario.spansReceived = sink.receivedCount() - spansBefore;
        scenario.lagSecondQuarter = medianLag(lagSamples, sendingEndsAfter * 0.25, sendingEndsAfter * 0.5);
        scenario.lagLastQuarter = medianLag(lagSamples, sendingEndsAfter * 0.75, sendingEndsAfter);
        scenario.read(report);
        scenario.judge();
        lagSeries.put(scenario.tracing + " " + scenario.block + " " + scenario.name, lagSamples);
        if (profile) {
            scenario.profiles = readProfiles(scenario);
        }
        LOG.info(
                "  {}: sent {}/s, completed {}/s, p50 {} ms, p99 {} ms, max {} ms, failed {}, lost {}, max lag {}: {}",
                scenario.name,
                scenario.sendRate,
                scenario.completedRate,
                scenario.p50,
                scenario.p99,
                scenario.max,
                scenario.failed,
                scenario.lost,
                scenario.maxLag,
                scenario.verdict);
        if (!"warmup".equals(scenario.kind) && !"parity".equals(scenario.kind)) {
            scenarios.add(scenario);
        }
        return scenario;
    }

    private static long medianLag(List<Map<String, Object>> samples, double from, double to) {
        long[] totals = samples.stream()
                .filter(s -> (double) s.get("elapsed") >= from && (double) s.get("elapsed") <= to)
                .mapToLong(s -> (long) s.get("total"))
                .sorted()
                .toArray();
        return totals.length == 0 ? 0 : totals[totals.length / 2];
    }

    /** Waits until the executor is idle and every consumer group has caught up. */
    private void settle() throws Exception {
        Instant deadline = Instant.now().plusSeconds(options.settleTimeoutSeconds);
        while (Instant.now().isBefore(deadline)) {
            String state = executor.report().path("state").asText();
            boolean idle = "idle".equals(state) || "done".equals(state);
            if (idle && lag.lag().values().stream().allMatch(v -> v == 0)) {
                return;
            }
            Thread.sleep(1000);
        }
        LOG.warn("the pipeline has not drained after {} s: going on (lag {})", options.settleTimeoutSeconds, lag.lag());
    }

    private Path profileFile(Scenario scenario, App app) {
        return logDir.resolve("profile-" + scenario.tracing + "-" + app.serviceName() + ".jfr");
    }

    private void startProfiles(Scenario scenario) throws Exception {
        int seconds = Math.max(2, scenario.seconds - 4);
        for (App app : App.values()) {
            Files.deleteIfExists(profileFile(scenario, app));
            Profiles.startRecording(pid(app), seconds, profileFile(scenario, app));
        }
    }

    private Map<String, Object> readProfiles(Scenario scenario) throws Exception {
        Map<String, Object> profiles = new LinkedHashMap<>();
        for (App app : App.values()) {
            Path file = profileFile(scenario, app);
            Instant deadline = Instant.now().plusSeconds(30);
            while (!Files.isRegularFile(file) && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            if (Files.isRegularFile(file)) {
                Thread.sleep(1000); // the JVM finishes writing it
                try {
                    profiles.put(app.serviceName(), Profiles.summarize(file, 8));
                } catch (Exception e) {
                    LOG.warn("could not read the profile {}: {}", file, e.toString());
                }
            }
        }
        return profiles;
    }

    /** Restarts each app on its own (the others running) and records how long it takes to be ready. */
    private Map<String, Object> startEachAppAlone() throws Exception {
        Map<String, Object> startup = new LinkedHashMap<>();
        for (App app : App.values()) {
            stack.restart(app, false);
            long pid = stack.app(app).pid();
            startup.put(app.serviceName(), stack.startupTimes().get(app).toMillis());
            // start-up is CPU work (class loading, Spring and Camel set-up, JIT): how many CPU seconds it took
            startup.put(app.serviceName() + " cpuSeconds", Processes.round2(Processes.cpuSeconds(pid)));
        }
        LOG.info("start-up of each app alone: {}", startup);
        return startup;
    }

    private Path write(Map<String, Object> results) throws Exception {
        Path folder = root.resolve(options.output);
        Files.createDirectories(folder);
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"))
                + (options.label.isBlank() ? "" : "-" + options.label);
        Path base = folder.resolve(name);
        JSON.writeValue(base.resolveSibling(name + ".json").toFile(), results);
        Plot.write(scenarios, base.resolveSibling(name + ".png"));
        Files.writeString(base.resolveSibling(name + ".md"), Summary.markdown(results, name + ".png"));
        return base;
    }
}
