package io.github.camelotel.bench;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.camelotel.bench.ExecutorClient.LoadReport;
import io.github.camelotel.bench.Results.Block;
import io.github.camelotel.bench.Results.Headline;
import io.github.camelotel.bench.Results.Parity;
import io.github.camelotel.bench.Results.Run;
import io.github.camelotel.bench.Results.Scenario;
import io.github.camelotel.bench.Results.WarmUp;
import io.github.camelotel.bench.Results.Window;
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

    static final String PARITY = "parity";
    /** Tracing off: Camel's tracer disabled, no exporter. */
    static final Map<String, String> TRACING_OFF =
            Map.of("CAMEL_OPENTELEMETRY_ENABLED", "false", "OTEL_TRACES_EXPORTER", "none");

    private final Options options;
    private final Path root;
    private final Path logDir;

    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, Parity> parity = new LinkedHashMap<>();
    private final Map<String, Double> firstMax = new LinkedHashMap<>();
    private Map<String, Double> rssAtCommon = Map.of();
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
        double minutes = Processes.round2((System.currentTimeMillis() - began.toEpochMilli()) / 60000.0);
        Run results = new Run(
                began.toString(),
                minutes,
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

    /** Seconds from starting the stack to the first purchase completed end to end. */
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
        WarmUp warmUp = warmUp();
        LOG.info("block {} ({}): start-up {}, warm-up {}", block, mode, startup, warmUp);
        if (options.paritySeconds > 0 && !parity.containsKey(mode)) {
            parity.put(mode, countIo(block, mode));
        }
        double max = searchMaximum(block, mode);
        firstMax.putIfAbsent(mode, max);
        // every mode runs at shares of the first block's maximum (tracing on's by default, the slowest mode), so the
        // modes compare at the same rates
        base = Double.isNaN(base) ? max : base;
        rssAtCommon = Map.of();
        for (double share : options.shares()) {
            double rate = Math.max(1, Math.round(base * share));
            String name = Report.number(rate) + "/s (" + Math.round(share * 100) + " % of max)";
            run(name, share == options.commonShare ? COMMON : FIXED, mode, block, rate, options.fixedSeconds);
        }
        for (double rate : options.fixedRates) {
            run(Report.number(rate) + "/s", FIXED, mode, block, rate, options.fixedSeconds);
        }
        double stackRss = rssAtCommon.entrySet().stream()
                .filter(e -> !e.getKey().equals(Processes.SPAN_SINK))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        blocks.add(new Block(block, mode, startup, warmUp, max, rssAtCommon, Processes.round2(stackRss)));
    }

    /**
     * Warms the running processes at a fixed rate until the apps' CPU per purchase stops falling (a window within
     * the tolerance of the one before, at the same rate) or the warm-up's time is up. A cold stack whose JIT is still
     * compiling falls behind: then the rate is lowered and the windows start over, instead of giving up.
     */
    private WarmUp warmUp() throws Exception {
        settle();
        List<Long> apps = pids(App.values());
        List<Window> windows = new ArrayList<>();
        long began = System.nanoTime();
        long end = began + SECONDS.toNanos(options.warmupSeconds);
        double rate = options.warmupRate;
        boolean met = false;
        while (!met && System.nanoTime() < end - SECONDS.toNanos(options.warmupWindowSeconds)) {
            executor.start(rate, Math.max(1, NANOSECONDS.toSeconds(end - System.nanoTime())), 0);
            double previous = Double.NaN;
            double cpu = Processes.cpuSeconds(apps);
            long completed = 0;
            long windowEnd = System.nanoTime() + SECONDS.toNanos(options.warmupWindowSeconds);
            boolean behind = false;
            while (!met && !behind && System.nanoTime() < end) {
                Thread.sleep(1000);
                behind = lag.total() > Math.max(500, rate * 20); // as a runaway backlog in run()
                if (System.nanoTime() >= windowEnd) {
                    long done = executor.report().completed();
                    double cpuNow = Processes.cpuSeconds(apps);
                    double perPurchase = done == completed ? 0 : (cpuNow - cpu) * 1000 / (done - completed);
                    double at = (System.nanoTime() - began) / 1e9;
                    windows.add(
                            new Window(Processes.round2(at), rate, done - completed, Processes.round2(perPurchase)));
                    met = perPurchase > 0 && perPurchase >= previous * (1 - options.warmupTolerance);
                    previous = perPurchase > 0 ? perPurchase : Double.NaN;
                    cpu = cpuNow;
                    completed = done;
                    windowEnd += SECONDS.toNanos(options.warmupWindowSeconds);
                }
            }
            executor.stopAndWait();
            if (behind) {
                rate = Math.max(1, Math.round(rate / options.searchFactor));
                LOG.info("warm-up: the stack fell behind, going on at {}/s", rate);
                settle();
            }
        }
        return new WarmUp(met, Processes.round2((System.nanoTime() - began) / 1e9), windows);
    }

    /**
     * The I/O of one purchase, counted on the servers around a short run at 5/s: the parity of the pipeline and the
     * floor. PostgreSQL publishes its table statistics up to 10 s late, hence the waits.
     */
    private Parity countIo(int block, String mode) throws Exception {
        settle();
        Thread.sleep(11_000);
        Map<String, Double> before =
                IoCounts.snapshot(stack.infrastructure(), stack.ports().redis());
        Scenario counted = run("I/O count", PARITY, mode, block, 5, options.paritySeconds);
        settle();
        Thread.sleep(11_000);
        Map<String, Double> after =
                IoCounts.snapshot(stack.infrastructure(), stack.ports().redis());
        Parity io = new Parity(
                counted.load().completed(),
                counted.load().failed() + counted.load().inFlight(),
                IoCounts.perPurchase(before, after, counted.load().completed()));
        LOG.info("I/O per purchase ({}): {}", mode, io);
        return io;
    }

    /** Raises the rate by the search factor until a step is not sustained, then halves the gap a few times. */
    private double searchMaximum(int block, String mode) throws Exception {
        // a repeat starts two steps below its mode's first maximum instead of climbing from the start rate again
        Double known = firstMax.get(mode);
        double rate = known == null || known <= 0
                ? options.searchStartRate
                : Math.max(options.searchStartRate, Math.round(known / options.searchFactor / options.searchFactor));
        double good = 0;
        double bad = Double.NaN;
        while (rate <= options.searchMaxRate && Double.isNaN(bad)) {
            if (step(block, mode, rate)) {
                good = rate;
                rate = Math.round(rate * options.searchFactor);
            } else {
                bad = rate;
            }
        }
        while (good == 0 && !Double.isNaN(bad) && bad > 1) { // too fast from the start: down until one is sustained
            bad = Math.max(1, Math.round(bad / options.searchFactor));
            good = step(block, mode, bad) ? bad : 0;
        }
        for (int i = 0; i < options.searchRefinements && !Double.isNaN(bad) && bad > good; i++) {
            double middle = Math.round((good + bad) / 2);
            if (middle - good < Math.max(2, good * 0.05)) {
                break;
            }
            if (step(block, mode, middle)) {
                good = middle;
            } else {
                bad = middle;
            }
        }
        LOG.info("block {} ({}): maximum sustained {}/s", block, mode, good);
        return good;
    }

    private boolean step(int block, String mode, double rate) throws Exception {
        return run(Report.number(rate) + "/s", SEARCH, mode, block, rate, options.searchStepSeconds)
                .sustained();
    }

    /** One load run: starts it, samples the lag every second, stops it early on a runaway backlog, measures it. */
    private Scenario run(String name, String kind, String mode, int block, double rate, int seconds) throws Exception {
        settle();
        LOG.info("block {} ({}): {} {} for {} s", block, mode, kind, name, seconds);
        Map<String, List<Long>> groups = groups();
        Map<String, Double> cpuBefore = cpu(groups);
        long[] machineBefore = Processes.machineJiffies();
        long spansBefore = sink.received();
        Instant from = Instant.now();
        long began = System.nanoTime();
        executor.start(rate, seconds, 0);
        List<double[]> lags = new ArrayList<>(); // {seconds since the start, summed lag}
        double sendingEnds = seconds;
        boolean stoppedEarly = false;
        LoadReport report = executor.report();
        while (!report.done()) {
            Thread.sleep(1000);
            double elapsed = (System.nanoTime() - began) / 1e9;
            long total = lag.total();
            lags.add(new double[] {elapsed, total});
            // keeping up, the summed lag of the three groups saw-tooths up to ~15 s worth of purchases (each commits
            // every 5 s): only beyond 20 s worth is it running away (bench/README.md, "Why the rules")
            if (!stoppedEarly && elapsed < sendingEnds && total > Math.max(500, rate * 20)) {
                LOG.info("backlog of {} records after {} s: stopping early", total, Math.round(elapsed));
                stoppedEarly = true;
                sendingEnds = elapsed;
                executor.stop();
            }
            report = executor.report();
        }
        double wall = (System.nanoTime() - began) / 1e9;
        Map<String, Double> cpuAfter = cpu(groups);
        if (kind.equals(COMMON)) {
            rssAtCommon = new LinkedHashMap<>();
            groups.forEach((group, pids) -> rssAtCommon.put(group, Processes.rssMiB(pids)));
        }
        long[] machineAfter = Processes.machineJiffies();
        long completed = report.completed();
        Map<String, Double> perPurchase = new LinkedHashMap<>();
        double stackCores = 0;
        for (String group : groups.keySet()) {
            double used = cpuAfter.get(group) - cpuBefore.get(group);
            stackCores += used / wall;
            perPurchase.put(group, completed == 0 ? 0 : Processes.round2(used * 1000 / completed));
        }
        double apps = Arrays.stream(App.values())
                .mapToDouble(a -> perPurchase.get(a.serviceName()))
                .sum();
        double servers =
                Processes.SERVERS.stream().mapToDouble(perPurchase::get).sum();
        Instant to = Instant.now();
        double gc = pids(App.values()).stream()
                .mapToDouble(pid -> Processes.gcPauseMs(logDir, pid, from, to))
                .sum();
        double jiffies = machineAfter[1] - machineBefore[1];
        double machineCores = jiffies <= 0
                ? 0
                : (machineAfter[0] - machineBefore[0])
                        / jiffies
                        * Runtime.getRuntime().availableProcessors();
        double completedRate = completedRate(report);
        List<String> problems = problems(
                report,
                rate,
                completedRate,
                stoppedEarly,
                median(lags, sendingEnds * 0.25, sendingEnds * 0.5),
                median(lags, sendingEnds * 0.75, sendingEnds));
        Scenario scenario = new Scenario(
                name,
                kind,
                mode,
                block,
                rate,
                completedRate,
                problems.isEmpty(),
                problems.isEmpty() ? "sustained" : String.join("; ", problems),
                Processes.round2(apps),
                Processes.round2(servers),
                perPurchase.get(Processes.SPAN_SINK),
                perPurchase,
                completed == 0 ? 0 : Processes.round2(gc / completed),
                Processes.round2(Math.max(0, machineCores - stackCores)),
                completed == 0 ? 0 : Processes.round2((sink.received() - spansBefore) / (double) completed),
                report);
        LOG.info("  {}: apps {}, servers {} ms per purchase; {}", name, apps, servers, scenario.verdict());
        if (!kind.equals(PARITY)) {
            scenarios.add(scenario);
        }
        return scenario;
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

    /**
     * Why a step is not sustained (none: sustained): failed or lost purchases, a backlog that ran away, sending or
     * completing under 95 % of the rate, a consumer lag or a latency that grew while sending.
     */
    static List<String> problems(
            LoadReport report,
            double rate,
            double completedRate,
            boolean stoppedEarly,
            double lagSecondQuarter,
            double lagLastQuarter) {
        List<String> problems = new ArrayList<>();
        double sendRate = report.sent() / Math.max(0.001, report.sendingSeconds());
        if (report.failed() + report.inFlight() > 0) {
            problems.add(report.failed() + " failed, " + report.inFlight() + " not completed");
        }
        if (stoppedEarly) {
            problems.add("stopped early: backlog");
        }
        if (sendRate < 0.95 * rate || completedRate < 0.95 * rate) {
            problems.add("sent " + Report.number(Processes.round2(sendRate)) + "/s, completed "
                    + Report.number(completedRate) + "/s");
        }
        // the groups commit every 5 s, so two short quarters' medians can land on different teeth: allow 8 s worth
        // (a lower bar judged steps unsustained that completed every purchase in time: bench/README.md)
        if (lagLastQuarter > lagSecondQuarter + Math.max(50, rate * 8)) {
            problems.add("consumer lag growing (" + Math.round(lagSecondQuarter) + " -> " + Math.round(lagLastQuarter)
                    + ")");
        }
        double early = meanP50(report, 0.25, 0.5);
        double late = meanP50(report, 0.75, 1.0);
        if (late > 2 * early + 50) {
            problems.add("latency growing (p50 " + Math.round(early) + " -> " + Math.round(late) + " ms)");
        }
        return problems;
    }

    private static double meanP50(LoadReport report, double from, double to) {
        return report.seconds().stream()
                .filter(s -> s.latencyMs().p50() > 0)
                .filter(s -> s.second() / Math.max(1, report.sendingSeconds()) >= from
                        && s.second() / Math.max(1, report.sendingSeconds()) < to)
                .mapToLong(s -> s.latencyMs().p50())
                .average()
                .orElse(0);
    }

    private static double median(List<double[]> lags, double from, double to) {
        double[] totals = lags.stream()
                .filter(l -> l[0] >= from && l[0] <= to)
                .mapToDouble(l -> l[1])
                .sorted()
                .toArray();
        return totals.length == 0 ? 0 : totals[totals.length / 2];
    }

    /** Waits until the executor is idle and every consumer group has caught up. */
    private void settle() throws Exception {
        long deadline = System.nanoTime() + SECONDS.toNanos(options.settleTimeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (executor.report().idle() && lag.total() == 0) {
                return;
            }
            Thread.sleep(1000);
        }
        LOG.warn("the pipeline has not drained after {} s: going on", options.settleTimeoutSeconds);
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
