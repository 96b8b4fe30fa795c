package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine without Docker: the {@link Infrastructure} servers, the {@link AuthServer} and the
 * five apps as separate JVMs, wired together through the environment variables the apps read, and (optionally) a
 * {@link ZipkinServer} as the trace UI. {@code ./run-local} runs it ({@link LocalStackMain}); the end-to-end tests start the same stack on free
 * ports with a {@link SpanSink} and Zipkin.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** The apps' settings of OAuth2: the issuer (every app), and the client id and secret of the calling apps. */
    public static final String OAUTH2_ISSUER_URI = "OAUTH2_ISSUER_URI";

    public static final String OAUTH2_CLIENT_ID = "OAUTH2_CLIENT_ID";
    public static final String OAUTH2_CLIENT_SECRET = "OAUTH2_CLIENT_SECRET";

    private final Ports ports;
    private final Path projectRoot;
    private final Path logDir;
    private final Map<String, String> environment;
    private final AppInstances apps;
    private Map<App, Integer> instances = Map.of();
    private Map<String, String> overrides = Map.of();
    private boolean keepData;
    private Infrastructure infrastructure;
    private AuthServer auth;
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
        this.apps = new AppInstances(this.projectRoot, this.logDir, ports, this::appEnvironment);
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
        return apps.startMore(app);
    }

    /** Every running instance of the app: the first, then those of {@link #startInstance}. */
    public List<AppProcess> instances(App app) {
        return apps.all(app);
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
            for (App app : App.values()) {
                Files.deleteIfExists(logDir.resolve(app.serviceName() + ".log"));
            }
            // a JVM of its own, like S3 and Zipkin: it starts while the other servers do
            auth = AuthServer.start(projectRoot, ports.auth(), ports.apps().values(), logDir);
            infrastructure = Infrastructure.start(ports, logDir, keepData, withZipkin);
            auth.awaitReady();
            LOG.info("authorization server on {}", auth.issuerUri());
            for (App app : leftOut()) {
                AppCommand.writeEnvFile(home.path(), app, AppCommand.settings(app, appEnvironment(app)));
            }
            apps.startAll(started, instances);
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
        apps.startAll(started, instances);
    }

    /**
     * Writes the class data archive of every app that records one (the first start of a new build) now, rather than
     * {@link ClassDataSharing#RECORD_AFTER} after it was ready; answers whether any did, so that a restart maps them.
     */
    public boolean recordClassData() {
        boolean any = false;
        for (App app : started) {
            any |= apps.first(app).recordClassData();
        }
        return any;
    }

    /** Stops all five apps (the servers keep running), e.g. for other processes to take their ports. */
    public void stopApps() {
        apps.stopAll();
    }

    /** The apps this stack does not start, for the user to run ({@link #handStartCommand}). */
    public Set<App> leftOut() {
        return EnumSet.complementOf(started);
    }

    /** The shell command that runs an app against this stack: {@code KEY=value … ./mvnw -f <app> spring-boot:run}. */
    public String handStartCommand(App app) {
        return AppCommand.command(app, AppCommand.settings(app, appEnvironment(app)), home());
    }

    /** The project's root, where the apps' jars are built. */
    public Path projectRoot() {
        return projectRoot;
    }

    /** The folder this stack owns (logs, data, server binaries, the env files of the apps left out). */
    public Path home() {
        return logDir.getParent();
    }

    /** Restarts one app, as after a crash ({@code crash = true}: killed) or a deployment (stopped gracefully). */
    public void restart(App app, boolean crash) throws Exception {
        apps.restart(app, crash);
    }

    public void stop(App app, boolean crash) throws InterruptedException {
        apps.stop(app, crash);
    }

    /** The environment an app of this stack runs with: where the servers and the other apps are. */
    public Map<String, String> appEnvironment(App app) {
        Map<String, String> env = new HashMap<>(infrastructure.appEnvironment());
        for (App each : App.values()) {
            env.put(each.portVariable(), String.valueOf(ports.of(each)));
        }
        env.put("APP1_URL", "http://localhost:" + ports.app1());
        env.put("APP3_URL", "http://localhost:" + ports.app3());
        env.put(OAUTH2_ISSUER_URI, auth.issuerUri());
        if (AuthServer.CALLERS.contains(app)) {
            env.put(OAUTH2_CLIENT_ID, app.serviceName());
            env.put(OAUTH2_CLIENT_SECRET, auth.secret(app.serviceName()));
        }
        if (routesDir != null) {
            env.put("ROUTES_DIR", routesDir.toString());
        }
        env.putAll(TraceSettings.environment(
                System.getenv(),
                spanSink == null ? null : spanSink.endpoint(),
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

    /** The authorization server, with this run's client secrets and customer password. */
    public AuthServer auth() {
        return auth;
    }

    /** Access tokens from this stack's authorization server: a client's or a demo customer's. */
    public StackTokens tokens() {
        return auth.tokens();
    }

    public SpanSink spanSink() {
        return spanSink;
    }

    /** The trace UI, or null when the stack runs without it. */
    public ZipkinServer zipkin() {
        return infrastructure == null ? null : infrastructure.zipkin();
    }

    public AppProcess app(App app) {
        return apps.first(app);
    }

    @Override
    public void close() {
        apps.close();
        if (infrastructure != null) {
            infrastructure.close();
        }
        if (auth != null) {
            try {
                long start = System.nanoTime();
                auth.close();
                LOG.info("authorization server stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            auth = null;
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
}
