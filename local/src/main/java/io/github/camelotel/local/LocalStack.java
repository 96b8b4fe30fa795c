package io.github.camelotel.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine without Docker: the {@link Infrastructure} servers and the five apps as separate
 * JVMs, wired together through the environment variables the apps read. {@code ./run-local} runs {@link #main};
 * the end-to-end tests start the same stack on free ports with a {@link SpanSink}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    /** The executor's line per purchase (routes/executor/send-purchase.camel.yaml). */
    static final Pattern PURCHASE_LINE = Pattern.compile("purchase \\S+ trace_id=\\S+ .*$");

    private final Ports ports;
    private final Path projectRoot;
    private final Path logDir;
    private final Map<String, String> environment;
    private final Map<App, AppProcess> apps = new EnumMap<>(App.class);
    private final Map<App, Duration> startupTimes = new EnumMap<>(App.class);
    private Map<String, String> overrides = Map.of();
    private boolean keepData;
    private Infrastructure infrastructure;
    private SpanSink spanSink;

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
        ports.requireFree();
        try {
            clearLogs();
            infrastructure = Infrastructure.start(ports, logDir, keepData);
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
        apps.values().forEach(AppProcess::requestStop);
        for (AppProcess process : apps.values()) {
            process.close();
        }
        apps.clear();
        this.overrides = Map.copyOf(overrides);
        startApps();
    }

    private void startApps() throws Exception {
        List<App> backends = List.of(App.APP3, App.APP4, App.APP2, App.APP1);
        for (App app : backends) {
            startApp(app);
        }
        for (App app : backends) {
            awaitReady(app);
        }
        startApp(App.EXECUTOR);
        awaitReady(App.EXECUTOR);
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

    Map<String, String> appEnvironment(App app) {
        Map<String, String> env = new HashMap<>(infrastructure.appEnvironment());
        env.put("EXECUTOR_PORT", String.valueOf(ports.executor()));
        env.put("APP1_PORT", String.valueOf(ports.app1()));
        env.put("APP2_PORT", String.valueOf(ports.app2()));
        env.put("APP3_PORT", String.valueOf(ports.app3()));
        env.put("APP4_PORT", String.valueOf(ports.app4()));
        env.put("APP1_URL", "http://localhost:" + ports.app1());
        env.put("APP3_URL", "http://localhost:" + ports.app3());
        if (spanSink != null) {
            env.put("OTEL_TRACES_EXPORTER", "otlp");
            env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            env.put("OTEL_EXPORTER_OTLP_ENDPOINT", spanSink.endpoint());
            env.put("OTEL_BSP_SCHEDULE_DELAY", "200");
        }
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

    public AppProcess app(App app) {
        return apps.get(app);
    }

    /** How long each app took to answer UP on /actuator/health, at its latest start. */
    public Map<App, Duration> startupTimes() {
        return Map.copyOf(startupTimes);
    }

    @Override
    public void close() {
        apps.values().forEach(AppProcess::requestStop);
        apps.values().forEach(process -> {
            try {
                process.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        apps.clear();
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (spanSink != null) {
            spanSink.close();
        }
    }

    /** Keeps the servers' data between runs when {@code true} ({@link #keepData}). */
    public static final String KEEP_DATA_VARIABLE = "LOCAL_STACK_KEEP_DATA";
    /** Where the stack keeps logs, data, mails and server binaries; {@code <project root>/target/local-stack} if unset. */
    public static final String HOME_VARIABLE = "LOCAL_STACK_HOME";

    /**
     * {@code ./run-local}: starts everything, prints each purchase the executor sends, stops all on Ctrl-C or SIGTERM
     * (this JVM's one shutdown hook stops apps first, then the servers). Ports: {@link Ports#fromEnvironment()}.
     */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("project.root", "."));
        Path home = Path.of(System.getenv().getOrDefault(HOME_VARIABLE, root.resolve("target/local-stack").toString()));
        LocalStack stack = new LocalStack(Ports.fromEnvironment(), root, home.resolve("logs"), Map.of())
                .keepData(Boolean.parseBoolean(System.getenv(KEEP_DATA_VARIABLE)));
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
        printWelcome(stack);
        followPurchases(stack.app(App.EXECUTOR).log());
        stopped.await();
    }

    private static void printWelcome(LocalStack stack) {
        Ports p = stack.ports();
        LOG.info("""

                The local stack is up. Ctrl-C stops everything.
                  app1-api       http://localhost:{}/Message  and  /Message/Post-Message
                  app3-api       http://localhost:{}/orders/<order id>  and  /orders/<order id>/audit
                  metrics        http://localhost:<port>/actuator/prometheus  (ports {}..{})
                  PostgreSQL     {}  (user {})
                  Kafka          {}   Redis  localhost:{}
                  invoices       {}/{}/<order id>.html  (open in a browser; the bucket's listing: {}/{})
                  mails          {}  (one .eml file per mail: open it with a mail client; SMTP localhost:{})
                  app logs       {}
                Each purchase the executor sends is printed below with its trace ID; grep a trace ID in the logs
                to follow it through every app.
                """, p.app1(), p.app3(), p.executor(), p.app4(), stack.infrastructure().jdbcUrl(), Infrastructure.DB_USER,
                stack.infrastructure().kafkaBootstrapServers(), p.redis(),
                stack.infrastructure().s3Endpoint(), Infrastructure.INVOICES_BUCKET,
                stack.infrastructure().s3Endpoint(), Infrastructure.INVOICES_BUCKET,
                stack.infrastructure().mail().mailDir(), p.smtp(), stack.app(App.EXECUTOR).log().getParent());
    }

    /** Echoes the executor's one line per purchase to the console, as they are written. */
    private static void followPurchases(Path executorLog) {
        Thread follower = new Thread(() -> {
            try (BufferedReader reader = Files.newBufferedReader(executorLog, StandardCharsets.UTF_8)) {
                while (!Thread.currentThread().isInterrupted()) {
                    String line = reader.readLine();
                    if (line == null) {
                        Thread.sleep(200);
                    } else {
                        Matcher purchase = PURCHASE_LINE.matcher(line);
                        if (purchase.find()) {
                            System.out.println(purchase.group());
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the stack is stopping
            }
        }, "purchase-follower");
        follower.setDaemon(true);
        follower.start();
    }
}
