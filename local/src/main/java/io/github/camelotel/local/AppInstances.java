package io.github.camelotel.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps' processes: the first instance of each app on the app's port, with its log in the log folder, and any
 * further instances ({@link StackOptions#INSTANCES}, scale-out tests), as replicas in a cluster, each on a free port
 * of its own with its log under {@code <log dir>/instances/}.
 */
final class AppInstances {

    private static final Logger LOG = LoggerFactory.getLogger(AppInstances.class);

    /**
     * The order the apps stop in: each after the apps that call it, so that none is left waiting on one already gone
     * (app2-consumer would redeliver its purchase to a stopped app3-api until it is killed): the executor, then app1,
     * app2 and app4, then app3.
     */
    static final List<Set<App>> STOP_WAVES =
            List.of(EnumSet.of(App.EXECUTOR), EnumSet.of(App.APP1, App.APP2, App.APP4), EnumSet.of(App.APP3));

    private final Path projectRoot;
    private final Path logDir;
    private final Ports ports;
    private final Function<App, Map<String, String>> environment;
    private final Map<App, AppProcess> first = new EnumMap<>(App.class);
    private final Map<App, List<AppProcess>> more = new EnumMap<>(App.class);

    /** @param environment the environment each app runs with */
    AppInstances(Path projectRoot, Path logDir, Ports ports, Function<App, Map<String, String>> environment) {
        this.projectRoot = projectRoot;
        this.logDir = logDir;
        this.ports = ports;
        this.environment = environment;
    }

    /** Starts {@code apps} in {@link #startOrder}, with as many instances as {@code counts} say (else one). */
    void startAll(Set<App> apps, Map<App, Integer> counts) throws Exception {
        List<App> order = startOrder(apps);
        List<App> backends = order.stream().filter(app -> app != App.EXECUTOR).toList();
        for (App app : backends) {
            startFirst(app);
        }
        for (App app : backends) {
            awaitReady(app);
        }
        for (var count : counts.entrySet()) {
            for (int i = 1; apps.contains(count.getKey()) && i < count.getValue(); i++) {
                startMore(count.getKey());
            }
        }
        if (apps.contains(App.EXECUTOR)) {
            startFirst(App.EXECUTOR);
            awaitReady(App.EXECUTOR);
        }
    }

    /**
     * The order {@link #startAll} starts {@code apps} in, {@link App}'s: what a purchase needs first comes first, the
     * executor last (it starts sending purchases at once), after every other app and instance is ready.
     */
    static List<App> startOrder(Set<App> apps) {
        return Stream.of(App.values()).filter(apps::contains).toList();
    }

    /** Starts one more instance of the app, on a free port, and waits until it is ready. */
    AppProcess startMore(App app) throws Exception {
        List<AppProcess> started = more.computeIfAbsent(app, a -> new ArrayList<>());
        int number = started.size() + 2;
        int port = Ports.freePort();
        AppProcess process = AppProcess.start(
                app, projectRoot, logDir(logDir, app, number), port, withPort(environment.apply(app), app, port));
        started.add(process);
        Duration startup = process.awaitReady(LocalStack.START_TIMEOUT);
        LOG.info(
                "{} instance {} ready on http://localhost:{} in {} ms",
                app.serviceName(),
                number,
                port,
                startup.toMillis());
        return process;
    }

    /** Restarts the app's first instance, as after a crash ({@code crash}: killed) or a deployment (stopped gracefully). */
    void restart(App app, boolean crash) throws Exception {
        stop(app, crash);
        startFirst(app);
        awaitReady(app);
    }

    void stop(App app, boolean crash) throws InterruptedException {
        AppProcess process = first.get(app);
        if (crash) {
            process.kill();
        } else {
            process.close();
        }
    }

    /** The app's first instance, or null when it is not started. */
    AppProcess first(App app) {
        return first.get(app);
    }

    /** Every running instance of the app: the first, then the further ones in the order they started. */
    List<AppProcess> all(App app) {
        List<AppProcess> all = new ArrayList<>();
        all.add(first.get(app));
        more.getOrDefault(app, List.of()).stream().filter(AppProcess::isAlive).forEach(all::add);
        return all;
    }

    /**
     * Stops every instance gracefully, wave after wave of {@link #STOP_WAVES}, each side by side ({@link
     * AppProcess#stopAll}); an interrupt is kept.
     */
    void stopAll() {
        for (Set<App> wave : STOP_WAVES) {
            List<AppProcess> instances = new ArrayList<>();
            for (App app : wave) {
                if (first.containsKey(app)) {
                    instances.add(first.get(app));
                }
                instances.addAll(more.getOrDefault(app, List.of()));
            }
            AppProcess.stopAll(instances);
        }
        more.clear();
        first.clear();
    }

    /** {@link #stopAll}, saying how long it took. */
    void close() {
        long start = System.nanoTime();
        boolean anyStarted = !first.isEmpty();
        stopAll();
        if (anyStarted) {
            LOG.info("apps stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
        }
    }

    private void startFirst(App app) throws IOException {
        first.put(app, AppProcess.start(app, projectRoot, logDir, ports.of(app), environment.apply(app)));
    }

    private void awaitReady(App app) throws InterruptedException {
        Duration startup = first.get(app).awaitReady(LocalStack.START_TIMEOUT);
        LOG.info(
                "{} ready on http://localhost:{} in {} ms (log: {})",
                app.serviceName(),
                ports.of(app),
                startup.toMillis(),
                first.get(app).log());
    }

    /** The log folder of the app's instance {@code number} (the first instance's log is in {@code logDir} itself). */
    static Path logDir(Path logDir, App app, int number) {
        return logDir.resolve("instances").resolve(app.serviceName() + "-" + number);
    }

    /** The app's environment with the instance's own port. */
    static Map<String, String> withPort(Map<String, String> environment, App app, int port) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(app.portVariable(), String.valueOf(port));
        return env;
    }
}
