package io.github.camelotel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.camelotel.bench.ExecutorClient.LoadReport;
import io.github.camelotel.bench.Results.Block;
import io.github.camelotel.bench.Results.Cpu;
import io.github.camelotel.bench.Results.Headline;
import io.github.camelotel.bench.Results.Parity;
import io.github.camelotel.bench.Results.Run;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.bench.Results.WarmUp;
import io.github.camelotel.local.App;
import io.github.camelotel.local.AppProcess;
import io.github.camelotel.local.LocalStack;
import io.github.camelotel.local.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline benchmark ({@code ./run-bench}): starts the local stack on free ports, then in blocks of each mode
 * (the apps with tracing on, the floor, the apps with tracing off) restarts the processes, warms them up to a steady
 * state, counts a purchase's I/O, searches the maximum sustained rate and measures fixed rates, all through the
 * executor's load mode. Writes {@code <date>.json}, {@code .md} and {@code .png} into the output folder.
 */
public final class Benchmark {

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String ON = "on";
    static final String OFF = "off";
    /** The same purchase's I/O by hand-written processes (bench/.../floor) instead of the five apps. */
    static final String FLOOR = "floor";

    static final List<String> MODES = List.of(ON, FLOOR, OFF);
    static final String SEARCH = "search";
    static final String FIXED = "fixed";
    /** The fixed rate of the headline, the same for every mode. */
    static final String COMMON = "common";
    /** Tracing off: Camel's tracer disabled, no exporter. */
    static final Map<String, String> TRACING_OFF =
            Map.of("CAMEL_OPENTELEMETRY_ENABLED", "false", "OTEL_TRACES_EXPORTER", "none");

    private final Options options;
    private final Path root;
    private final Path logDir;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Parity> parity = new LinkedHashMap<>();
    private double base = Double.NaN;
    private LocalStack stack;
    private SpanSinkProcess sink;
    private ExecutorClient executor;
    private KafkaLag lag;
    private FloorStack floor;

    Benchmark(Options options, Path root) {
        this.options = options;
        this.root = root.toAbsolutePath().normalize();
        this.logDir = this.root.resolve("target/bench/logs");
    }

    public static void main(String[] args) throws Exception {
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
        Path written = new Benchmark(options, Path.of(System.getProperty("project.root", "."))).run();
        LOG.info("results: {} (.json, .md, .png)", written);
        System.exit(0); // the embedded Kafka broker leaves non-daemon threads behind
    }

    /** Runs everything and writes the results; answers their path without extension. */
    Path run() throws Exception {
        Instant began = Instant.now();
        String loadAtStart = loadAverage();
        Files.createDirectories(logDir);
        sink = SpanSinkProcess.start(logDir.resolve("span-sink.log"));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("EXECUTOR_INTERVAL_MS", "3600000"); // no periodic purchases: only the load runs
        environment.put("EXECUTOR_LOAD_CONCURRENCY", String.valueOf(options.concurrency));
        environment.put("EXECUTOR_LOAD_DRAIN_TIMEOUT_MS", "30000");
        // tracing on as users run it: OTLP to a trace receiver, the SDK's default 5 s between batches
        environment.put("OTEL_TRACES_EXPORTER", "otlp");
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", sink.endpoint());
        environment.put("OTEL_BSP_SCHEDULE_DELAY", "5000");
        environment.putAll(options.env);
        String jvmOptions = options.env.getOrDefault(AppProcess.EXTRA_JVM_OPTIONS, "");
        environment.put(
                AppProcess.EXTRA_JVM_OPTIONS,
                ("-Xlog:gc:file=" + logDir.resolve("gc-%p.log") + ":uptime " + jvmOptions).trim());
        stack = new LocalStack(Ports.free(), root, logDir, environment);
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
                sink.close();
            }
        };
        Thread onInterrupt = new Thread(close, "stop-benchmark-stack"); // Ctrl-C: no server is left behind
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        double firstPurchase;
        try {
            LOG.info("starting the local stack (servers and five apps)");
            long start = System.nanoTime();
            stack.start();
            executor = new ExecutorClient(stack.ports().executor(), this::loadToken);
            firstPurchase = firstPurchase(start);
            if (Arrays.stream(App.values()).anyMatch(app -> stack.app(app).recordsClassData())) {
                // a new build's first JVMs record their class data archive, which costs CPU per purchase that later
                // starts do not pay (bench/README.md, "Why the rules"): every block measures JVMs that map it
                LOG.info("restarting the apps once, so that they record their class data archive before block 1");
                stack.restartApps(Map.of());
            }
            lag = new KafkaLag(stack.infrastructure().kafkaBootstrapServers());
            int block = 0;
            for (int repetition = 0; repetition < options.repetitions; repetition++) {
                for (String mode : options.modes) {
                    block++;
                    if (mode.equals(FLOOR)) {
                        LOG.info("stopping the apps and starting the floor's processes on their ports");
                        stack.stopApps();
                        floor = FloorStack.start(stack, root, logDir);
                    } else if (block > 1 || mode.equals(OFF)) {
                        LOG.info("restarting the apps with tracing {}", mode);
                        stack.restartApps(mode.equals(ON) ? Map.of() : TRACING_OFF);
                    }
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
        } finally {
            close.run();
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        }
        Headline headline = Results.headline(blocks, scenarios, firstPurchase);
        Run results = new Run(
                began.toString(),
                Processes.round2((System.currentTimeMillis() - began.toEpochMilli()) / 60000.0),
                machine(loadAtStart),
                options,
                AppProcess.JVM_OPTIONS,
                headline,
                Math.max(1, Math.round(base * options.commonShare)),
                Results.targets(headline),
                parity,
                blocks,
                scenarios);
        return write(results);
    }

    /** An operator's token for the executor's /load (scope load:run), from the stack's authorization server. */
    private String loadToken() {
        try {
            return stack.tokens().clientToken("operator", "load:run");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while getting a token", e);
        }
    }

    /** Seconds from starting the stack to the first purchase completed end to end. */
    private double firstPurchase(long stackStart) throws Exception {
        executor.start(1, 120, 1);
        for (LoadReport report = executor.report(); report.completed() == 0; report = executor.report()) {
            if (report.done()) {
                throw new IllegalStateException("the first purchase did not complete: " + report);
            }
            Thread.sleep(50);
        }
        double seconds = Processes.round2((System.nanoTime() - stackStart) / 1e9);
        LOG.info("first purchase completed {} s after the stack started", seconds);
        executor.stopAndWait();
        return seconds;
    }

    private void runBlock(int block, String mode) throws Exception {
        Map<String, Long> startup = new LinkedHashMap<>();
        if (floor != null) {
            floor.startupMs().forEach((app, ms) -> startup.put(app.serviceName(), ms));
        } else {
            stack.startupTimes().forEach((app, time) -> startup.put(app.serviceName(), time.toMillis()));
        }
        // each block starts with no mail held in this JVM's heap beside the broker (bench/README.md, "Why the rules")
        stack.infrastructure().mail().forgetReceived();
        WarmUp warmUp = warmUp(block, mode);
        LOG.info(
                "block {} ({}): start-up {} ms, warm-up met {} after {} s",
                block,
                mode,
                startup,
                warmUp.met(),
                warmUp.seconds());
        if (options.paritySeconds > 0 && !parity.containsKey(mode)) {
            parity.put(mode, countIo(block, mode));
        }
        double max = searchMaximum(block, mode);
        // every mode runs at shares of the first block's maximum (tracing on's by default, the slowest mode), so the
        // modes compare at the same rates
        base = Double.isNaN(base) ? max : base;
        Map<String, Double> rss = new LinkedHashMap<>();
        for (double share : options.shares()) {
            double rate = Math.max(1, Math.round(base * share));
            String kind = share == options.commonShare ? COMMON : FIXED;
            String name = Report.number(rate) + "/s (" + Math.round(share * 100) + " % of max)";
            scenarios.add(run(name, kind, mode, block, rate, options.fixedSeconds));
            if (kind.equals(COMMON)) { // the processes' resident memory as the common rate's run ends
                groups().forEach((group, pids) -> rss.put(group, Processes.rssMiB(pids)));
            }
        }
        double stackRss = rss.entrySet().stream()
                .filter(e -> !e.getKey().equals(Processes.SPAN_SINK))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        blocks.add(new Block(block, mode, startup, warmUp, max, rss, Processes.round2(stackRss)));
    }

    /**
     * Load runs of a window each at the warm-up rate, until the apps' CPU per purchase stops falling (a window within
     * the tolerance of the one before) or the warm-up's time is up. A window not sustained (a cold stack whose JIT is
     * still compiling falls behind) lowers the rate and starts the comparison over, instead of giving up.
     */
    private WarmUp warmUp(int block, String mode) throws Exception {
        List<Scenario> windows = new ArrayList<>();
        long began = System.nanoTime();
        double rate = options.warmupRate;
        double previous = Double.NaN;
        boolean met = false;
        while (!met && secondsSince(began) + options.warmupWindowSeconds <= options.warmupSeconds) {
            Scenario window =
                    run(Report.number(rate) + "/s", "warm-up", mode, block, rate, options.warmupWindowSeconds);
            windows.add(window);
            if (window.sustained()) {
                met = window.cpuMs().apps() >= previous * (1 - options.warmupTolerance);
                previous = window.cpuMs().apps();
            } else {
                rate = Math.max(1, Math.round(rate / options.searchFactor));
                previous = Double.NaN;
                LOG.info("warm-up: {}, going on at {}/s", window.verdict(), rate);
            }
        }
        return new WarmUp(met, secondsSince(began), windows);
    }

    /** The I/O of one purchase, counted on the servers around a short run at 5/s: the pipeline's and the floor's. */
    private Parity countIo(int block, String mode) throws Exception {
        settle();
        Map<String, Double> before =
                IoCounts.snapshot(stack.infrastructure(), stack.ports().redis(), lag);
        LoadReport counted = run("I/O count", "parity", mode, block, 5, options.paritySeconds)
                .load();
        settle();
        Map<String, Double> after =
                IoCounts.snapshot(stack.infrastructure(), stack.ports().redis(), lag);
        long purchases = counted.completed();
        Parity io = new Parity(
                purchases, counted.failed() + counted.inFlight(), IoCounts.perPurchase(before, after, purchases));
        LOG.info("I/O per purchase ({}): {}", mode, io);
        return io;
    }

    /** Steps from the start rate up by the search factor until one is not sustained: the last that was. */
    private double searchMaximum(int block, String mode) throws Exception {
        double max = 0;
        for (double rate = options.searchStartRate;
                rate <= options.searchMaxRate;
                rate = Math.round(rate * options.searchFactor)) {
            Scenario step = run(Report.number(rate) + "/s", SEARCH, mode, block, rate, options.searchStepSeconds);
            scenarios.add(step);
            if (!step.sustained()) {
                break;
            }
            max = rate;
        }
        LOG.info("block {} ({}): maximum sustained {}/s", block, mode, max);
        return max;
    }

    /** One load run at a fixed rate, stopped early on a runaway backlog, and what it cost each process. */
    private Scenario run(String name, String kind, String mode, int block, double rate, int seconds) throws Exception {
        settle();
        LOG.info("block {} ({}): {} {} for {} s", block, mode, kind, name, seconds);
        Map<String, List<Long>> groups = groups();
        Map<String, Double> cpuBefore = cpu(groups);
        long spansBefore = sink.received();
        Instant from = Instant.now();
        long began = System.nanoTime();
        executor.start(rate, seconds, 0);
        boolean backlog = false;
        LoadReport report = executor.report();
        while (!report.done()) {
            Thread.sleep(1000);
            // keeping up, the summed lag of the three groups saw-tooths up to ~15 s worth of purchases (each commits
            // every 5 s): only beyond 20 s worth is it running away (bench/README.md, "Why the rules")
            if (!backlog && secondsSince(began) < seconds && lag.total() > Math.max(500, rate * 20)) {
                LOG.info("runaway backlog after {} s: stopping early", Math.round(secondsSince(began)));
                backlog = true;
                executor.stop();
            }
            report = executor.report();
        }
        Map<String, Double> cpuAfter = cpu(groups);
        long completed = report.completed();
        Map<String, Double> perProcess = new LinkedHashMap<>();
        groups.keySet()
                .forEach(group -> perProcess.put(
                        group, perPurchase((cpuAfter.get(group) - cpuBefore.get(group)) * 1000, completed)));
        double apps = Arrays.stream(App.values())
                .mapToDouble(a -> perProcess.get(a.serviceName()))
                .sum();
        double servers = Processes.SERVERS.stream().mapToDouble(perProcess::get).sum();
        Cpu cpu = new Cpu(Processes.round2(apps), Processes.round2(servers));
        double gc = pids(App.values()).stream()
                .mapToDouble(pid -> Processes.gcPauseMs(logDir, pid, from, Instant.now()))
                .sum();
        double gcMs = perPurchase(gc, completed);
        double spans = perPurchase(sink.received() - spansBefore, completed);
        double completedRate = completedRate(report);
        List<String> problems = problems(report, rate, completedRate, backlog);
        boolean sustained = problems.isEmpty();
        String verdict = sustained ? "sustained" : String.join("; ", problems);
        LOG.info("  {}: apps {}, servers {} ms per purchase; {}", name, cpu.apps(), cpu.servers(), verdict);
        return new Scenario(
                name, kind, mode, block, rate, completedRate, sustained, verdict, cpu, perProcess, gcMs, spans, report);
    }

    private static double perPurchase(double total, long completed) {
        return completed == 0 ? 0 : Processes.round2(total / completed);
    }

    /** Completions per second while sending, leaving out the first fifth (the pipeline filling up). */
    static double completedRate(LoadReport report) {
        long from = (long) Math.floor(report.sendingSeconds() * 0.2);
        long to = (long) Math.floor(report.sendingSeconds());
        long steady = report.seconds().stream()
                .filter(s -> s.second() >= from && s.second() < to)
                .mapToLong(ExecutorClient.Second::completed)
                .sum();
        return to > from ? Processes.round2((double) steady / (to - from)) : 0;
    }

    /** Why a step is not sustained (none: sustained): failures, a runaway backlog, or under 95 % of the rate. */
    static List<String> problems(LoadReport report, double rate, double completedRate, boolean backlog) {
        List<String> problems = new ArrayList<>();
        double sendRate = report.sent() / Math.max(0.001, report.sendingSeconds());
        if (report.failed() + report.inFlight() > 0) {
            problems.add(report.failed() + " failed, " + report.inFlight() + " not completed");
        }
        if (backlog) {
            problems.add("stopped early: backlog");
        }
        if (sendRate < 0.95 * rate || completedRate < 0.95 * rate) {
            problems.add("sent " + Report.number(Processes.round2(sendRate)) + "/s, completed "
                    + Report.number(completedRate) + "/s");
        }
        return problems;
    }

    /** Waits until the executor is idle and every consumer group has caught up. */
    private void settle() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.settleTimeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (executor.report().idle() && lag.total() == 0) {
                return;
            }
            Thread.sleep(1000);
        }
        LOG.warn("the pipeline has not drained after {} s: going on", options.settleTimeoutSeconds);
    }

    private static double secondsSince(long nanoTime) {
        return Processes.round2((System.nanoTime() - nanoTime) / 1e9);
    }

    private List<Long> pids(App... apps) {
        return Arrays.stream(apps)
                .map(app -> floor != null ? floor.pid(app) : stack.app(app).pid())
                .toList();
    }

    private Map<String, List<Long>> groups() {
        Map<String, Long> apps = new LinkedHashMap<>();
        for (App app : App.values()) {
            apps.put(app.serviceName(), pids(app).get(0));
        }
        return Processes.groups(apps, stack.ports().postgres(), sink.pid());
    }

    private static Map<String, Double> cpu(Map<String, List<Long>> groups) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        groups.forEach((group, pids) -> cpu.put(group, Processes.cpuSeconds(pids)));
        return cpu;
    }

    private static Results.Machine machine(String loadAtStart) throws IOException {
        String cpuInfo = Files.readString(Path.of("/proc/cpuinfo"));
        String memInfo = Files.readString(Path.of("/proc/meminfo"));
        return new Results.Machine(
                Runtime.getRuntime().availableProcessors(),
                Processes.round2(Long.parseLong(memInfo.replaceAll("(?s).*?MemTotal:\\s*(\\d+).*", "$1")) / 1048576.0),
                cpuInfo.replaceAll("(?s).*?model name\\s*:\\s*([^\\n]*).*", "$1"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                loadAtStart,
                loadAverage());
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).replaceAll("^(\\S+ \\S+ \\S+)(?s).*", "$1");
    }

    private Path write(Run results) throws IOException {
        Path folder = root.resolve(options.output);
        Files.createDirectories(folder);
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm"))
                + (options.label.isBlank() ? "" : "-" + options.label);
        JSON.writeValue(folder.resolve(name + ".json").toFile(), results);
        Report.plot(results.scenarios(), folder.resolve(name + ".png"));
        Files.writeString(folder.resolve(name + ".md"), Report.markdown(results, name + ".png"));
        return folder.resolve(name);
    }
}
