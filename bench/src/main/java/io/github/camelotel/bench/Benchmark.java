package io.github.camelotel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.camelotel.bench.Results.Block;
import io.github.camelotel.bench.Results.Cpu;
import io.github.camelotel.bench.Results.Headline;
import io.github.camelotel.bench.Results.Parity;
import io.github.camelotel.bench.Results.Run;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.bench.Results.WarmUp;
import io.github.camelotel.bench.floor.Floor;
import io.github.camelotel.load.LoadPlan;
import io.github.camelotel.load.LoadReport;
import io.github.camelotel.local.App;
import io.github.camelotel.local.AppProcess;
import io.github.camelotel.local.LocalStack;
import io.github.camelotel.local.Ports;
import io.github.camelotel.local.ServerProcess;
import io.github.camelotel.local.SpanSink;
import java.io.IOException;
import java.net.Socket;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline benchmark ({@code ./run-bench}): starts the local stack on free ports; in blocks of each mode (tracing
 * on, the floor, tracing off) restarts the processes, warms them up to a steady state, counts a purchase's I/O,
 * searches the maximum sustained rate and runs the common rate, through the executor's load mode; writes the results.
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
    /** The floor's processes while it runs, in place of the apps. */
    private final Map<App, AppProcess> floor = new EnumMap<>(App.class);
    /** The first block's maximum: the common rate, which every mode runs so that they compare, is a share of it. */
    private double base = Double.NaN;

    private int block;
    private String mode;
    private LocalStack stack;
    /** The trace receiver (local's SpanSink) in a JVM of its own, so that its CPU is counted apart. */
    private ServerProcess sink;

    private ExecutorClient executor;
    private IoCounts servers;

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
            System.err.println("run-bench: " + e.getMessage() + "\n\n./run-bench [--smoke] [--name value ...]"
                    + " (bench/README.md), --warmup-rate for warmupRate; the defaults:\n"
                    + JSON.writeValueAsString(new Options()));
            System.exit(2);
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
        Ports ports = Ports.free();
        // on Zipkin's port: the trace receiver of a stack that runs no Zipkin
        sink = ServerProcess.start(
                "span-sink",
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:+UseSerialGC",
                        "-Xmx256m",
                        "-Dlogback.configurationFile=floor-logback.xml", // warnings only, as the floor's
                        "-cp",
                        System.getProperty("java.class.path"),
                        SpanSink.class.getName(),
                        String.valueOf(ports.zipkin())),
                logDir.resolve("span-sink.log"),
                "TERM");
        sink.awaitReady(Duration.ofMinutes(1), () -> {
            new Socket("127.0.0.1", ports.zipkin()).close();
            return true;
        });
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("EXECUTOR_INTERVAL_MS", "3600000"); // no periodic purchases: only the load runs
        environment.put("EXECUTOR_LOAD_CONCURRENCY", String.valueOf(options.concurrency));
        // tracing on as users run it: OTLP to a trace receiver, the SDK's default 5 s between batches
        environment.put("OTEL_TRACES_EXPORTER", "otlp");
        environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + ports.zipkin());
        environment.put("OTEL_BSP_SCHEDULE_DELAY", "5000");
        // the JVM options of a long-running service (the images'), not ./run-local's quick start: a steady state
        environment.put(AppProcess.EXTRA_JVM_OPTIONS, "");
        environment.putAll(options.env);
        stack = new LocalStack(ports, root, logDir, environment);
        Thread onInterrupt = new Thread(this::close, "stop-benchmark-stack"); // Ctrl-C: no server is left behind
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        double firstPurchase;
        try {
            LOG.info("starting the local stack (servers and five apps)");
            long start = System.nanoTime();
            stack.start();
            // an operator's token for the executor's /load (scope load:run), from the stack's authorization server
            executor = new ExecutorClient(
                    stack.ports().executor(), () -> stack.tokens().clientToken("operator", "load:run"));
            firstPurchase = firstPurchase(start);
            if (stack.recordClassData()) {
                // a new build's first JVMs record their class data archive, which costs CPU per purchase that later
                // starts do not pay (bench/README.md, "Why the rules"): every block measures JVMs that map it
                LOG.info("restarting the apps once, so that every block maps their class data archive");
                stack.restartApps(Map.of());
            }
            servers = new IoCounts(stack.infrastructure(), stack.ports().redis());
            for (int repetition = 0; repetition < options.repetitions; repetition++) {
                for (String each : options.tracing) {
                    block++;
                    mode = each;
                    if (mode.equals(FLOOR)) {
                        LOG.info("stopping the apps and starting the floor's processes on their ports");
                        stack.stopApps();
                        startFloor();
                    } else if (block > 1 || mode.equals(OFF)) {
                        LOG.info("restarting the apps with tracing {}", mode);
                        stack.restartApps(mode.equals(ON) ? Map.of() : TRACING_OFF);
                    }
                    try {
                        runBlock();
                    } finally {
                        AppProcess.stopAll(floor.values());
                        floor.clear();
                    }
                }
            }
        } finally {
            close();
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        }
        Headline headline = Results.headline(blocks, scenarios, firstPurchase);
        return write(new Run(
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
                scenarios));
    }

    /** Stops every process the run started, once (at the end, or on Ctrl-C). */
    private synchronized void close() {
        if (stack != null) {
            if (servers != null) {
                servers.close();
            }
            AppProcess.stopAll(floor.values());
            stack.close();
            try {
                sink.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stack = null;
        }
    }

    /**
     * The floor's five processes in place of the apps, which must be stopped: on their ports, with their environment
     * (the same servers) and JVM options, each its own JVM from bench's classes, the executor last.
     */
    private void startFloor() throws Exception {
        Path classpath = root.resolve("bench/target/floor.classpath");
        if (!Files.isRegularFile(classpath)) {
            throw new IllegalStateException(
                    classpath + " is missing: build bench first (./mvnw package -pl bench -am)");
        }
        String classes = root.resolve("bench/target/classes") + ":"
                + Files.readString(classpath).trim();
        for (App app : App.values()) {
            // the clients' libraries log through SLF4J to logback: warnings only, as in the apps
            List<String> java = List.of(
                    "-Dproject.root=" + root,
                    "-Dlogback.configurationFile=floor-logback.xml",
                    "-cp",
                    classes,
                    Floor.class.getName(),
                    app.serviceName());
            floor.put(
                    app,
                    AppProcess.startJava(
                            app, logDir.resolve("floor"), stack.ports().of(app), stack.appEnvironment(app), java));
            floor.get(app).awaitReady(Duration.ofMinutes(2));
        }
    }

    /** Seconds from starting the stack to the first purchase completed end to end. */
    private double firstPurchase(long stackStart) throws Exception {
        executor.start(new LoadPlan(1, 120, 1));
        for (LoadReport report = executor.report(); report.completed() == 0; report = executor.report()) {
            if (report.done()) {
                throw new IllegalStateException("the first purchase did not complete: " + report);
            }
            Thread.sleep(50);
        }
        double seconds = secondsSince(stackStart);
        LOG.info("first purchase completed {} s after the stack started", seconds);
        return seconds;
    }

    private void runBlock() throws Exception {
        // each block starts with no mail held in this JVM's heap beside the broker (bench/README.md, "Why the rules")
        stack.infrastructure().mail().forgetReceived();
        WarmUp warmUp = warmUp();
        LOG.info("block {} ({}): warm-up met {} after {} s", block, mode, warmUp.met(), warmUp.seconds());
        if (options.paritySeconds > 0 && !parity.containsKey(mode)) {
            parity.put(mode, countIo());
        }
        double max = searchMaximum();
        base = Double.isNaN(base) ? max : base;
        double rate = Math.max(1, Math.round(base * options.commonShare));
        scenarios.add(
                run(COMMON, rate, options.fixedSeconds, " (" + Math.round(options.commonShare * 100) + " % of max)"));
        // the resident memory of the stack (not the span sink) as the common rate's run ends
        Map<String, List<Long>> groups = groups();
        groups.remove(Processes.SPAN_SINK);
        double stackResident = Processes.residentMiB(
                groups.values().stream().flatMap(List::stream).toList());
        blocks.add(new Block(block, mode, warmUp, max, stackResident));
    }

    /**
     * Windows at the warm-up rate until the apps' CPU per purchase stops falling ({@link WarmUp#stoppedFalling}) or
     * time is up. A window not sustained (a cold JIT falls behind) lowers the rate and starts the comparison over.
     */
    private WarmUp warmUp() throws Exception {
        List<Scenario> windows = new ArrayList<>();
        List<Double> costsAtThisRate = new ArrayList<>();
        long began = System.nanoTime();
        double rate = options.warmupRate;
        boolean met = false;
        while (!met && secondsSince(began) + options.warmupWindowSeconds <= options.warmupSeconds) {
            Scenario window = run("warm-up", rate, options.warmupWindowSeconds, "");
            windows.add(window);
            if (window.sustained()) {
                costsAtThisRate.add(window.cpuMs().apps());
                met = WarmUp.stoppedFalling(costsAtThisRate, options.warmupMedianOf, options.warmupTolerance);
            } else {
                rate = Math.max(1, Math.round(rate / options.searchFactor));
                costsAtThisRate.clear();
                LOG.info("warm-up: {}, going on at {}/s", window.verdict(), rate);
            }
        }
        return new WarmUp(met, secondsSince(began), windows);
    }

    /** The I/O of one purchase, counted on the servers around a short run at 5/s: the pipeline's and the floor's. */
    private Parity countIo() throws Exception {
        settle();
        Map<String, Double> before = servers.snapshot();
        LoadReport counted = run("parity", 5, options.paritySeconds, "").load();
        settle();
        long purchases = counted.completed();
        Parity io = new Parity(
                purchases,
                counted.failed() + counted.inFlight(),
                IoCounts.perPurchase(before, servers.snapshot(), purchases));
        LOG.info("I/O per purchase ({}): {}", mode, io);
        return io;
    }

    /** Steps from the start rate up by the search factor until one is not sustained: the last that was. */
    private double searchMaximum() throws Exception {
        double max = 0;
        for (double rate = options.searchStart;
                rate <= options.searchMax;
                rate = Math.round(rate * options.searchFactor)) {
            Scenario step = run(SEARCH, rate, options.searchStepSeconds, "");
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
    private Scenario run(String kind, double rate, int seconds, String note) throws Exception {
        settle();
        String name = Report.number(rate) + "/s" + note;
        LOG.info("block {} ({}): {} {} for {} s", block, mode, kind, name, seconds);
        Map<String, List<Long>> groups = groups();
        Map<String, Double> cpuBefore = Processes.cpuMillis(groups);
        long began = System.nanoTime();
        executor.start(new LoadPlan(rate, seconds, 0));
        boolean backlog = false;
        LoadReport report = executor.report();
        while (!report.done()) {
            Thread.sleep(1000);
            // keeping up, the summed lag of the three groups saw-tooths up to ~15 s worth of purchases (each commits
            // every 5 s): only beyond 20 s worth is it running away (bench/README.md, "Why the rules")
            if (!backlog && secondsSince(began) < seconds && servers.lag() > Math.max(500, rate * 20)) {
                LOG.info("runaway backlog after {} s: stopping early", Math.round(secondsSince(began)));
                backlog = true;
                executor.stop();
            }
            report = executor.report();
        }
        Map<String, Double> perProcess =
                IoCounts.perPurchase(cpuBefore, Processes.cpuMillis(groups), report.completed());
        double apps = Arrays.stream(App.values())
                .mapToDouble(a -> perProcess.get(a.serviceName()))
                .sum();
        double servers = Processes.SERVERS.stream().mapToDouble(perProcess::get).sum();
        Cpu cpu = new Cpu(Processes.round2(apps), Processes.round2(servers));
        double completedRate = completedRate(report);
        List<String> problems = problems(report, rate, completedRate, backlog);
        String verdict = problems.isEmpty() ? "sustained" : String.join("; ", problems);
        LOG.info("  {}: apps {}, servers {} ms per purchase; {}", name, cpu.apps(), cpu.servers(), verdict);
        return new Scenario(
                name, kind, mode, block, rate, completedRate, problems.isEmpty(), verdict, cpu, perProcess, report);
    }

    /** Completions per second while sending, leaving out the first fifth (the pipeline filling up). */
    static double completedRate(LoadReport report) {
        long from = (long) Math.floor(report.sendingSeconds() * 0.2);
        long to = (long) Math.floor(report.sendingSeconds());
        long steady = report.seconds().stream()
                .filter(s -> s.second() >= from && s.second() < to)
                .mapToLong(LoadReport.Second::completed)
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.settleTimeout);
        while (!(executor.report().idle() && servers.lag() == 0)) {
            if (System.nanoTime() > deadline) {
                LOG.warn("the pipeline has not drained after {} s: going on", options.settleTimeout);
                return;
            }
            Thread.sleep(1000);
        }
    }

    private static double secondsSince(long nanoTime) {
        return Processes.round2((System.nanoTime() - nanoTime) / 1e9);
    }

    /** Every process by group: each app's (or floor process's), the servers', the span sink's. */
    private Map<String, List<Long>> groups() {
        Map<String, Long> apps = new LinkedHashMap<>();
        for (App app : App.values()) {
            apps.put(app.serviceName(), floor.getOrDefault(app, stack.app(app)).pid());
        }
        return Processes.groups(
                apps, stack.ports().postgres(), sink.server().orElseThrow().pid());
    }

    private static Results.Machine machine(String loadAtStart) throws IOException {
        return new Results.Machine(
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/cpuinfo")).replaceAll("(?s).*?model name\\s*:\\s*([^\\n]*).*", "$1"),
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
