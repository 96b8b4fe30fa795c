package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine without Docker: the {@link Infrastructure} servers and the five apps as separate
 * JVMs, wired together through the environment variables the apps read, and (optionally) a {@link ZipkinServer} as
 * the trace UI. {@code ./run-local} runs {@link #main}; the end-to-end tests start the same stack on free ports with a
 * {@link SpanSink} and Zipkin.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The executor's line per purchase (routes/executor/send-purchase.camel.yaml). */
    static final Pattern PURCHASE_LINE = Pattern.compile("purchase \\S+ trace_id=(\\S+) .*$");
    /** ./run-local's switch for its trace UI: {@code on} (the default) or {@code off}. */
    static final String TRACE_UI = "LOCAL_TRACE_UI";
    static final String EXPORTERS = "OTEL_TRACES_EXPORTER";
    static final String ZIPKIN_ENDPOINT = "OTEL_EXPORTER_ZIPKIN_ENDPOINT";
    static final String BATCH_DELAY = "OTEL_BSP_SCHEDULE_DELAY";

    private final Ports ports;
    private final Path projectRoot;
    private final Path logDir;
    private final Map<String, String> environment;
    private final Map<App, AppProcess> apps = new EnumMap<>(App.class);
    private final Map<App, Duration> startupTimes = new EnumMap<>(App.class);
    /** Instances beyond the first of an app ({@link StackOptions#INSTANCES}), each on a free port of its own. */
    private final Map<App, List<AppProcess>> moreInstances = new EnumMap<>(App.class);
    private Map<App, Integer> instances = Map.of();
    private Map<String, String> overrides = Map.of();
    private boolean keepData;
    private Infrastructure infrastructure;
    private SpanSink spanSink;
    private boolean withZipkin;
    private EnumSet<App> started = EnumSet.allOf(App.class);
    private Path routesDir;
    private StackHome home;

    /**
     * @param environment extra variables for every app (they win over the stack's own), e.g. EXECUTOR_INTERVAL_MS
     */
    public LocalStack(Ports ports, Path projectRoot, Path logDir, Map<String, String> environment) {
        this.ports = ports;
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
        this.logDir = logDir.toAbsolutePath().normalize();
        this.environment = environment;
    }

    /** Sends every app's spans to an in-memory {@link SpanSink} (instead of what OTEL_* in this environment say). */
    public LocalStack withSpanSink() throws IOException {
        return withSpanSink(SpanSink.start(0));
    }

    /** Sends every app's spans to the given sink, e.g. a counting one for a benchmark; it is closed with the stack. */
    public LocalStack withSpanSink(SpanSink sink) {
        spanSink = sink;
        return this;
    }

    /** Runs this many instances of each app named (the others once), from {@link #start} on. */
    public LocalStack withInstances(Map<App, Integer> counts) {
        instances = Map.copyOf(counts);
        return this;
    }

    /** Starts one more instance of the app, on a free port, and waits until it is ready. */
    public AppProcess startInstance(App app) throws Exception {
        int port = Ports.freePort();
        List<AppProcess> more = moreInstances.computeIfAbsent(app, a -> new ArrayList<>());
        Map<String, String> env = appEnvironment(app);
        env.put(app == App.EXECUTOR ? "EXECUTOR_PORT" : app.name() + "_PORT", String.valueOf(port));
        AppProcess process = AppProcess.start(app, projectRoot,
                logDir.resolve("instances").resolve(app.serviceName() + "-" + (more.size() + 2)), port, env);
        more.add(process);
        Duration startup = process.awaitReady(START_TIMEOUT);
        LOG.info("{} instance {} ready on http://localhost:{} in {} ms", app.serviceName(), more.size() + 1, port,
                startup.toMillis());
        return process;
    }

    /** Every running instance of the app: the first, then those of {@link #startInstance}. */
    public List<AppProcess> instances(App app) {
        List<AppProcess> all = new ArrayList<>();
        all.add(apps.get(app));
        moreInstances.getOrDefault(app, List.of()).stream().filter(AppProcess::isAlive).forEach(all::add);
        return all;
    }

    private void stopMoreInstances() {
        moreInstances.values().forEach(list -> list.forEach(AppProcess::requestStop));
        for (List<AppProcess> list : moreInstances.values()) {
            for (AppProcess process : list) {
                try {
                    process.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        moreInstances.clear();
    }

    /** Starts a Zipkin server (the trace UI) with the servers, and has every app export its spans to it too. */
    public LocalStack withZipkin() {
        withZipkin = true;
        return this;
    }

    /** Starts only these apps; each app left out gets its command and env file ({@link AppCommand}). */
    public LocalStack withApps(Set<App> apps) {
        started = apps.isEmpty() ? EnumSet.noneOf(App.class) : EnumSet.copyOf(apps);
        return this;
    }

    /** Has every app load its routes from this folder on disk and reload a file when it changes (ROUTES_DIR); null: the jars'. */
    public LocalStack withRoutesDir(Path routes) {
        routesDir = routes;
        return this;
    }

    /**
     * Keeps the servers' data (orders, cache, invoices, topics) when the stack stops, and carries on with it at the next
     * start; by default every start begins empty (see {@link Infrastructure}).
     */
    public LocalStack keepData(boolean keep) {
        keepData = keep;
        return this;
    }

    /**
     * Starts the servers and the apps; if any of them fails to start, stops what did start. Fails at once with a
     * {@link Ports.PortBusyException} if one of its ports is taken.
     */
    public LocalStack start() throws Exception {
        home = StackHome.take(logDir.getParent());
        try {
            home.endLeftovers(ports, LOG::info);
            ports.requireFree(withZipkin, started);
            clearLogs();
            infrastructure = Infrastructure.start(ports, logDir, keepData, withZipkin);
            for (App app : leftOut()) {
                AppCommand.writeEnvFile(home.path(), app, AppCommand.settings(app, appEnvironment(app)));
            }
            startApps();
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Stops all five apps and starts them again with {@code overrides} added to their environment (winning over
     * everything else, until the next call), as after a configuration change; the servers keep running.
     */
    public void restartApps(Map<String, String> overrides) throws Exception {
        stopApps();
        this.overrides = Map.copyOf(overrides);
        startApps();
    }

    /** Stops all five apps (the servers keep running), e.g. for other processes to take their ports. */
    public void stopApps() throws InterruptedException {
        stopMoreInstances();
        apps.values().forEach(AppProcess::requestStop);
        for (AppProcess process : apps.values()) {
            process.close();
        }
        apps.clear();
    }

    private void startApps() throws Exception {
        List<App> backends = Stream.of(App.APP3, App.APP4, App.APP2, App.APP1).filter(started::contains).toList();
        for (App app : backends) {
            startApp(app);
        }
        for (App app : backends) {
            awaitReady(app);
        }
        for (var count : instances.entrySet()) {
            for (int i = 1; started.contains(count.getKey()) && i < count.getValue(); i++) {
                startInstance(count.getKey());
            }
        }
        if (started.contains(App.EXECUTOR)) {
            startApp(App.EXECUTOR);
            awaitReady(App.EXECUTOR);
        }
    }

    /** The apps this stack does not start, for the user to run ({@link #handStartCommand}). */
    public Set<App> leftOut() {
        return EnumSet.complementOf(started);
    }

    /** The shell command that runs an app against this stack: {@code KEY=value … ./mvnw -f <app> spring-boot:run}. */
    public String handStartCommand(App app) {
        return AppCommand.command(app, AppCommand.settings(app, appEnvironment(app)));
    }

    /** The folder this stack owns (logs, data, server binaries, the env files of the apps left out). */
    public Path home() {
        return logDir.getParent();
    }

    private void clearLogs() throws IOException {
        for (App app : App.values()) {
            Files.deleteIfExists(logDir.resolve(app.serviceName() + ".log"));
        }
    }

    private void startApp(App app) throws IOException {
        apps.put(app, AppProcess.start(app, projectRoot, logDir, ports.of(app), appEnvironment(app)));
    }

    private void awaitReady(App app) throws InterruptedException {
        Duration startup = apps.get(app).awaitReady(START_TIMEOUT);
        startupTimes.put(app, startup);
        LOG.info("{} ready on http://localhost:{} in {} ms (log: {})", app.serviceName(), ports.of(app),
                startup.toMillis(), apps.get(app).log());
    }

    /** Restarts one app, as after a crash ({@code crash = true}: killed) or a deployment (stopped gracefully). */
    public void restart(App app, boolean crash) throws Exception {
        stop(app, crash);
        startApp(app);
        awaitReady(app);
    }

    public void stop(App app, boolean crash) throws InterruptedException {
        AppProcess process = apps.get(app);
        if (crash) {
            process.kill();
        } else {
            process.close();
        }
    }

    /** The environment an app of this stack runs with: where the servers and the other apps are. */
    public Map<String, String> appEnvironment(App app) {
        Map<String, String> env = new HashMap<>(infrastructure.appEnvironment());
        env.put("EXECUTOR_PORT", String.valueOf(ports.executor()));
        env.put("APP1_PORT", String.valueOf(ports.app1()));
        env.put("APP2_PORT", String.valueOf(ports.app2()));
        env.put("APP3_PORT", String.valueOf(ports.app3()));
        env.put("APP4_PORT", String.valueOf(ports.app4()));
        env.put("APP1_URL", "http://localhost:" + ports.app1());
        env.put("APP3_URL", "http://localhost:" + ports.app3());
        if (routesDir != null) {
            env.put("ROUTES_DIR", routesDir.toString());
        }
        env.putAll(traceEnvironment(System.getenv(), spanSink == null ? null : spanSink.endpoint(),
                zipkin() == null ? null : zipkin().spansEndpoint()));
        env.putAll(environment);
        env.putAll(overrides);
        return env;
    }

    public Ports ports() {
        return ports;
    }

    public Infrastructure infrastructure() {
        return infrastructure;
    }

    public SpanSink spanSink() {
        return spanSink;
    }

    /** The trace UI, or null when the stack runs without it. */
    public ZipkinServer zipkin() {
        return infrastructure == null ? null : infrastructure.zipkin();
    }

    /**
     * Where the apps send their spans, as OTEL_* variables added to their environment. With a span sink (tests,
     * benchmarks) the stack's own receivers, whatever this environment says (OTLP's protocol is the platform's
     * default, http/protobuf). Otherwise ({@code ./run-local}) the user's variables win: the stack only names Zipkin
     * as the exporter when {@code OTEL_TRACES_EXPORTER} is unset.
     *
     * @param user the environment the apps inherit
     * @param otlpEndpoint the span sink, or null
     * @param zipkinEndpoint the Zipkin server's spans endpoint, or null
     */
    static Map<String, String> traceEnvironment(Map<String, String> user, String otlpEndpoint, String zipkinEndpoint) {
        Map<String, String> env = new HashMap<>();
        if (otlpEndpoint != null) {
            env.put(EXPORTERS, zipkinEndpoint == null ? "otlp" : "otlp,zipkin");
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
            env.put(BATCH_DELAY, "200");
        } else if (zipkinEndpoint != null && !user.containsKey(EXPORTERS)) {
            env.put(EXPORTERS, "zipkin");
            if (!user.containsKey(BATCH_DELAY)) {
                env.put(BATCH_DELAY, "1000"); // a purchase's trace is in the UI a second after its line, not 5 s
            }
        }
        if (zipkinEndpoint != null) {
            env.put(ZIPKIN_ENDPOINT, zipkinEndpoint);
        }
        return env;
    }

    /**
     * Whether {@code ./run-local} starts Zipkin: unless {@code LOCAL_TRACE_UI=off}, or the user's own OTEL_* send
     * the spans elsewhere (an exporter list without zipkin, or a Zipkin endpoint of their own).
     */
    static boolean startsZipkin(Map<String, String> user) {
        String traceUi = user.getOrDefault(TRACE_UI, "on");
        if (!traceUi.equals("on") && !traceUi.equals("off")) {
            throw new IllegalArgumentException(TRACE_UI + " is on or off, not " + traceUi);
        }
        String exporters = user.get(EXPORTERS);
        return traceUi.equals("on") && !user.containsKey(ZIPKIN_ENDPOINT)
                && (exporters == null || List.of(exporters.split(",")).stream().map(String::trim).anyMatch("zipkin"::equals));
    }

    /** The welcome text's line on traces: where they go, and how to change it. */
    static String tracesLine(Map<String, String> user, ZipkinServer zipkin) {
        if (zipkin != null) {
            return zipkin.uiUrl() + "  (Zipkin; each purchase line below links to its trace; " + TRACE_UI + "=off: none)";
        }
        String why = "off".equals(user.get(TRACE_UI)) ? TRACE_UI + "=off"
                : user.containsKey(ZIPKIN_ENDPOINT) ? "your " + ZIPKIN_ENDPOINT + " is set"
                : "add zipkin to " + EXPORTERS + " to get it";
        String exporters = user.get(EXPORTERS);
        return (exporters == null ? "not exported" : "exported as your " + EXPORTERS + "=" + exporters + " says")
                + "; no trace UI (" + why + ")";
    }

    public AppProcess app(App app) {
        return apps.get(app);
    }

    /** How long each app took to answer UP on /actuator/health, at its latest start. */
    public Map<App, Duration> startupTimes() {
        return Map.copyOf(startupTimes);
    }

    @Override
    public void close() {
        long start = System.nanoTime();
        stopMoreInstances();
        apps.values().forEach(AppProcess::requestStop);
        apps.values().forEach(process -> {
            try {
                process.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!apps.isEmpty()) {
            LOG.info("apps stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
        }
        apps.clear();
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (spanSink != null) {
            spanSink.close();
        }
        if (home != null) {
            try {
                for (App app : leftOut()) {
                    Files.deleteIfExists(AppCommand.envFile(home.path(), app));
                }
                home.close();
            } catch (IOException e) {
                LOG.warn("releasing {} failed: {}", home.path(), e.toString());
            }
            home = null;
        }
    }

    /** Keeps the servers' data between runs when {@code true} ({@link #keepData}). */
    public static final String KEEP_DATA_VARIABLE = "LOCAL_STACK_KEEP_DATA";
    /** Where the stack keeps logs, data, mails and server binaries; {@code <project root>/target/local-stack} if unset. */
    public static final String HOME_VARIABLE = "LOCAL_STACK_HOME";

    /**
     * {@code ./run-local}: starts what {@link StackOptions} say (everything by default), prints each purchase the
     * executor sends, stops all it started on Ctrl-C or SIGTERM (this JVM's one shutdown hook stops apps first, then
     * the servers). Ports: {@link Ports#fromEnvironment()}.
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
        StackOptions options;
        try {
            options = StackOptions.parse(List.of(args), System.getenv(), root);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(StackOptions.USAGE);
            return;
        }
        Path home = Path.of(System.getenv().getOrDefault(HOME_VARIABLE, root.resolve("target/local-stack").toString()));
        LocalStack stack = new LocalStack(Ports.fromEnvironment(), root, home.resolve("logs"), Map.of())
                .keepData(Boolean.parseBoolean(System.getenv(KEEP_DATA_VARIABLE)))
                .withInstances(StackOptions.parseInstances(System.getenv(StackOptions.INSTANCES)))
                .withApps(options.apps())
                .withRoutesDir(options.routesDir());
        if (startsZipkin(System.getenv())) {
            stack.withZipkin();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long start = System.nanoTime();
            LOG.info("stopping the local stack");
            stack.close();
            LOG.info("local stack stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start();
        } catch (Ports.PortBusyException e) {
            System.err.println("local stack not started: " + e.getMessage());
            System.exit(1);
        }
        Welcome.print(stack);
        if (stack.app(App.EXECUTOR) != null) {
            Welcome.followPurchases(stack.app(App.EXECUTOR).log(), stack.zipkin());
        }
        stopped.await();
    }
}
