package io.github.camelotel.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code ./run-local} runs, from its arguments and environment: which apps (all but those left out, so a
 * developer runs one from Maven or an IDE against the rest) and how many instances of each, whether the apps load
 * their routes from a folder on disk and reload a file when it is saved, where the stack keeps its files and whether
 * their data outlives it, and whether it starts its trace UI ({@link TraceSettings#startsZipkin}).
 *
 * @param apps the apps the stack starts
 * @param instances how many instances of an app to run ({@link #INSTANCES}); an app not named runs once
 * @param routesDir the routes folder every app loads from (ROUTES_DIR), or null for the routes in the jars
 * @param home the stack's folder ({@link #HOME_VARIABLE})
 * @param keepData whether the servers' data is kept between runs ({@link #KEEP_DATA_VARIABLE})
 * @param zipkin whether to start the Zipkin server
 * @param help whether to print {@link #USAGE} and start nothing
 */
record StackOptions(
        Set<App> apps,
        Map<App, Integer> instances,
        Path routesDir,
        Path home,
        boolean keepData,
        boolean zipkin,
        boolean help) {

    /** Apps to leave out, as {@code --without} takes them: service names, comma-separated, or {@code all}. */
    static final String WITHOUT_VARIABLE = "LOCAL_STACK_WITHOUT";
    /** {@code true} for {@code --live-routes}, or a folder for {@code --live-routes=<folder>}. */
    static final String LIVE_ROUTES_VARIABLE = "LOCAL_STACK_LIVE_ROUTES";
    /**
     * How many instances of an app to run, e.g. {@code app2-consumer=2,app4-worker=2}: the Kafka consumers among them
     * share their topic's partitions (4) as one group, as replicas do in a cluster. The first instance listens on the
     * app's port, the others on free ports (logs under {@code <log dir>/instances/}).
     */
    static final String INSTANCES = "LOCAL_STACK_INSTANCES";
    /** Where the stack keeps logs, data, mails and server binaries; {@code <project root>/target/local-stack} if unset. */
    static final String HOME_VARIABLE = "LOCAL_STACK_HOME";
    /** {@code true}: the servers' data outlives the stack, and the next start carries on with it. */
    static final String KEEP_DATA_VARIABLE = "LOCAL_STACK_KEEP_DATA";

    static final String USAGE = """
            usage: ./run-local [--without <app>[,<app>...]]... [--infra-only] [--live-routes[=<folder>]]
              --without <apps>      start every app but these (executor, app1-api, app2-consumer, app3-api,
                                    app4-worker); the welcome text prints the command that runs each against
                                    the stack. Also: %s=<apps>
              --infra-only          start the servers only (Kafka, PostgreSQL, Redis, S3, SMTP, Zipkin, the
                                    OAuth2 authorization server); the same as --without all
              --live-routes         every app loads its routes from routes/ on disk and reloads a file on save;
                                    =<folder> for another copy of routes/. Also: %s=true or =<folder>
            """.formatted(WITHOUT_VARIABLE, LIVE_ROUTES_VARIABLE);

    static StackOptions parse(List<String> args, Map<String, String> env, Path projectRoot) {
        EnumSet<App> without = EnumSet.noneOf(App.class);
        String liveRoutes = env.get(LIVE_ROUTES_VARIABLE);
        if (env.containsKey(WITHOUT_VARIABLE)) {
            without.addAll(apps(env.get(WITHOUT_VARIABLE), WITHOUT_VARIABLE));
        }
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--infra-only")) {
                without.addAll(EnumSet.allOf(App.class));
            } else if (arg.equals("--without")) {
                if (i + 1 == args.size()) {
                    throw new IllegalArgumentException(
                            "--without needs the apps to leave out, e.g. --without app3-api");
                }
                without.addAll(apps(args.get(++i), "--without"));
            } else if (arg.startsWith("--without=")) {
                without.addAll(apps(arg.substring("--without=".length()), "--without"));
            } else if (arg.equals("--live-routes")) {
                liveRoutes = "true";
            } else if (arg.startsWith("--live-routes=")) {
                liveRoutes = arg.substring("--live-routes=".length());
            } else {
                throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        Path home = Path.of(env.getOrDefault(
                HOME_VARIABLE, projectRoot.resolve("target/local-stack").toString()));
        return new StackOptions(
                EnumSet.complementOf(without),
                parseInstances(env.get(INSTANCES)),
                routesDir(liveRoutes, projectRoot),
                home,
                Boolean.parseBoolean(env.get(KEEP_DATA_VARIABLE)),
                TraceSettings.startsZipkin(env),
                help);
    }

    /** The apps a list names, e.g. {@code app3-api,executor}, or all of them for {@code all}. */
    static Set<App> apps(String list, String option) {
        if (list.isBlank()) {
            return EnumSet.noneOf(App.class);
        }
        if (list.trim().equals("all")) {
            return EnumSet.allOf(App.class);
        }
        Set<App> apps = EnumSet.noneOf(App.class);
        for (String name : list.split(",")) {
            apps.add(App.named(name.trim())
                    .orElseThrow(() -> new IllegalArgumentException(option + ": no app '" + name.trim() + "' (apps: "
                            + Arrays.stream(App.values()).map(App::serviceName).collect(Collectors.joining(", "))
                            + ", or all)")));
        }
        return apps;
    }

    private static Path routesDir(String liveRoutes, Path projectRoot) {
        if (liveRoutes == null || liveRoutes.isBlank() || liveRoutes.equals("false")) {
            return null;
        }
        Path dir = (liveRoutes.equals("true") ? projectRoot.resolve("routes") : Path.of(liveRoutes))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(dir.resolve("common"))) {
            throw new IllegalArgumentException("--live-routes: " + dir + " is no routes folder (it has no common/)");
        }
        return dir;
    }

    /** The counts of {@link #INSTANCES}' syntax ({@code <service name>=<count>,...}); an app not named runs once. */
    static Map<App, Integer> parseInstances(String spec) {
        Map<App, Integer> counts = new EnumMap<>(App.class);
        if (spec == null || spec.isBlank()) {
            return counts;
        }
        for (String entry : spec.split(",")) {
            String[] nameAndCount = entry.trim().split("=", -1);
            if (nameAndCount.length != 2) {
                throw new IllegalArgumentException(INSTANCES + ": '" + entry.trim() + "' is not <app>=<count>");
            }
            String name = nameAndCount[0].trim();
            App app = App.named(name).orElseThrow(() -> new IllegalArgumentException(INSTANCES + ": no app " + name));
            int count;
            try {
                count = Integer.parseInt(nameAndCount[1].trim());
            } catch (NumberFormatException e) {
                count = 0;
            }
            if (count < 1) {
                throw new IllegalArgumentException(
                        INSTANCES + ": " + name + " needs a count of 1 or more, not '" + nameAndCount[1].trim() + "'");
            }
            if (counts.put(app, count) != null) {
                throw new IllegalArgumentException(INSTANCES + ": " + name + " is named twice");
            }
        }
        return counts;
    }
}
