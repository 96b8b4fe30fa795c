package io.github.camelotel.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

/**
 * Where each server and app of the local stack listens, by name: {@link #defaults()}, {@link #free()}, or either
 * with single ports changed through {@link #with(Server, int)} and {@link #with(App, int)}.
 *
 * @param servers the port of every {@link Server}
 * @param apps the port of every {@link App}
 */
public record Ports(Map<Server, Integer> servers, Map<App, Integer> apps) {

    /** The servers of the stack, in the order it starts them. */
    public enum Server {
        /** The S3-compatible server that stands in for MinIO. */
        S3("S3"),
        KAFKA("Kafka"),
        /** The Kafka broker's KRaft controller listener. */
        KAFKA_CONTROLLER("Kafka controller"),
        POSTGRES("PostgreSQL"),
        REDIS("Redis"),
        /** The mail server. */
        SMTP("SMTP"),
        /** The trace UI (on Zipkin's own default port). */
        ZIPKIN("Zipkin"),
        /** The OAuth2 authorization server, on the port of the apps' default issuer (and of compose's Keycloak). */
        AUTH("Authorization server");

        private final String label;

        Server(String label) {
            this.label = label;
        }

        /** The name the stack's messages give it. */
        public String label() {
            return label;
        }
    }

    /**
     * An environment variable: a number added to every {@link #defaults()} port, e.g. 10000 for a second stack beside
     * the first (5432 becomes 15432), as the lifecycle test does.
     */
    public static final String OFFSET_VARIABLE = "LOCAL_STACK_PORT_OFFSET";

    public Ports {
        if (!servers.keySet().containsAll(Set.of(Server.values()))
                || !apps.keySet().containsAll(Set.of(App.values()))) {
            throw new IllegalArgumentException("a port for every server and app, not " + servers + " " + apps);
        }
        servers = Map.copyOf(servers);
        apps = Map.copyOf(apps);
    }

    /** The ports the apps' own defaults expect (and docker-compose.yml uses), so tools and docs work unchanged. */
    public static Ports defaults() {
        return new Ports(
                Map.of(
                        Server.POSTGRES,
                        5432,
                        Server.REDIS,
                        6379,
                        Server.S3,
                        9000,
                        Server.SMTP,
                        1025,
                        Server.ZIPKIN,
                        9411,
                        Server.KAFKA,
                        9092,
                        Server.KAFKA_CONTROLLER,
                        9093,
                        Server.AUTH,
                        8180),
                Map.of(App.EXECUTOR, 8080, App.APP1, 8081, App.APP2, 8082, App.APP3, 8083, App.APP4, 8084));
    }

    /** {@link #defaults()}, each plus {@link #OFFSET_VARIABLE} when it is set. */
    public static Ports fromEnvironment() {
        String offset = System.getenv().getOrDefault(OFFSET_VARIABLE, "").trim();
        return offset.isEmpty() ? defaults() : defaults().plus(Integer.parseInt(offset));
    }

    /** Free ports, for tests that must not collide with a running stack. */
    public static Ports free() {
        return defaults().map(port -> freePort());
    }

    /** Every port plus {@code offset}. */
    public Ports plus(int offset) {
        return map(port -> port + offset);
    }

    /** These ports, with {@code server} on {@code port}. */
    public Ports with(Server server, int port) {
        Map<Server, Integer> changed = new EnumMap<>(servers);
        changed.put(server, port);
        return new Ports(changed, apps);
    }

    /** These ports, with {@code app} on {@code port}. */
    public Ports with(App app, int port) {
        Map<App, Integer> changed = new EnumMap<>(apps);
        changed.put(app, port);
        return new Ports(servers, changed);
    }

    private Ports map(IntUnaryOperator change) {
        Map<Server, Integer> newServers = new EnumMap<>(Server.class);
        servers.forEach((server, port) -> newServers.put(server, change.applyAsInt(port)));
        Map<App, Integer> newApps = new EnumMap<>(App.class);
        apps.forEach((app, port) -> newApps.put(app, change.applyAsInt(port)));
        return new Ports(newServers, newApps);
    }

    public int of(Server server) {
        return servers.get(server);
    }

    public int of(App app) {
        return apps.get(app);
    }

    // shorthands of of(...), for the one port a caller wants

    public int postgres() {
        return of(Server.POSTGRES);
    }

    public int redis() {
        return of(Server.REDIS);
    }

    public int s3() {
        return of(Server.S3);
    }

    public int smtp() {
        return of(Server.SMTP);
    }

    public int zipkin() {
        return of(Server.ZIPKIN);
    }

    public int auth() {
        return of(Server.AUTH);
    }

    public int kafka() {
        return of(Server.KAFKA);
    }

    public int kafkaController() {
        return of(Server.KAFKA_CONTROLLER);
    }

    public int executor() {
        return of(App.EXECUTOR);
    }

    public int app1() {
        return of(App.APP1);
    }

    public int app2() {
        return of(App.APP2);
    }

    public int app3() {
        return of(App.APP3);
    }

    public int app4() {
        return of(App.APP4);
    }

    /** Each port with what listens on it, in the order the stack starts them: the servers, then the apps. */
    public Map<String, Integer> byServer() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Server server : Server.values()) {
            ports.put(server.label(), of(server));
        }
        for (App app : App.values()) {
            ports.put(app.serviceName(), of(app));
        }
        return ports;
    }

    /**
     * Fails with a {@link PortBusyException} naming the first port something already listens on (and, where this
     * machine tells, which process): the stack never talks to a server it did not start.
     *
     * @param withZipkin whether the stack starts Zipkin, so its port must be free too
     * @param apps the apps the stack starts: the port of an app left out is the user's, who may run it there already
     */
    public void requireFree(boolean withZipkin, Set<App> apps) {
        Set<Integer> leftOut = Arrays.stream(App.values())
                .filter(app -> !apps.contains(app))
                .map(this::of)
                .collect(Collectors.toSet());
        byServer().forEach((server, port) -> {
            if ((withZipkin || port != zipkin()) && !leftOut.contains(port) && !isFree(port)) {
                throw new PortBusyException("port " + port + " (" + server + ") is in use"
                        + PortHolder.of(port).map(holder -> " by " + holder).orElse("")
                        + ": stop it, or run on other ports with " + OFFSET_VARIABLE + "=<n>");
            }
        });
    }

    /** Whether nothing listens on {@code port} (on any address). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** A port of the stack is taken: the message says which and by whom, in one line. */
    public static final class PortBusyException extends IllegalStateException {
        PortBusyException(String message) {
            super(message);
        }
    }

    /** Below Linux's ephemeral range (32768+), where the broker's own port and outgoing connections could take it. */
    static final int FIRST_PORT = 20_000;

    static final int LAST_PORT = 32_000;
    private static final AtomicInteger NEXT =
            new AtomicInteger(FIRST_PORT + new Random().nextInt(LAST_PORT - FIRST_PORT));

    /** A port nothing listens on now, handed out once per JVM. */
    static int freePort() {
        for (int tries = 0; tries < LAST_PORT - FIRST_PORT; tries++) {
            int port = FIRST_PORT + Math.floorMod(NEXT.getAndIncrement() - FIRST_PORT, LAST_PORT - FIRST_PORT);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port between " + FIRST_PORT + " and " + LAST_PORT);
    }
}
