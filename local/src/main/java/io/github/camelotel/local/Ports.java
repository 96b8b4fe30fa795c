package io.github.camelotel.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Where each server and app of the local stack listens: s3 is the S3-compatible server that stands in for MinIO, smtp
 * the mail server, zipkin the trace UI (Zipkin's own default), kafkaController the Kafka broker's KRaft controller
 * listener.
 */
public record Ports(int postgres, int redis, int s3, int smtp, int zipkin, int executor, int app1, int app2, int app3,
        int app4, int kafka, int kafkaController) {

    /**
     * An environment variable: a number added to every {@link #defaults()} port, e.g. 10000 for a second stack beside
     * the first (5432 becomes 15432), as the lifecycle test does.
     */
    public static final String OFFSET_VARIABLE = "LOCAL_STACK_PORT_OFFSET";

    /** The ports the apps' own defaults expect (and docker-compose.yml uses), so tools and docs work unchanged. */
    public static Ports defaults() {
        return new Ports(5432, 6379, 9000, 1025, 9411, 8080, 8081, 8082, 8083, 8084, 9092, 9093);
    }

    /** {@link #defaults()}, each plus {@link #OFFSET_VARIABLE} when it is set. */
    public static Ports fromEnvironment() {
        String offset = System.getenv().getOrDefault(OFFSET_VARIABLE, "").trim();
        return offset.isEmpty() ? defaults() : defaults().plus(Integer.parseInt(offset));
    }

    /** Every port plus {@code offset}. */
    public Ports plus(int offset) {
        return new Ports(postgres + offset, redis + offset, s3 + offset, smtp + offset, zipkin + offset,
                executor + offset, app1 + offset, app2 + offset, app3 + offset, app4 + offset, kafka + offset,
                kafkaController + offset);
    }

    /** Free ports, for tests that must not collide with a running stack. */
    public static Ports free() {
        return new Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
                freePort(), freePort(), freePort(), freePort());
    }

    /** Each port with what listens on it, in the order the stack starts them. */
    public Map<String, Integer> byServer() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("S3", s3);
        ports.put("Kafka", kafka);
        ports.put("Kafka controller", kafkaController);
        ports.put("PostgreSQL", postgres);
        ports.put("Redis", redis);
        ports.put("SMTP", smtp);
        ports.put("Zipkin", zipkin);
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
        Set<Integer> leftOut = Arrays.stream(App.values()).filter(app -> !apps.contains(app)).map(this::of)
                .collect(Collectors.toSet());
        byServer().forEach((server, port) -> {
            if ((withZipkin || port != zipkin) && !leftOut.contains(port) && !isFree(port)) {
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

    public int of(App app) {
        return switch (app) {
            case EXECUTOR -> executor;
            case APP1 -> app1;
            case APP2 -> app2;
            case APP3 -> app3;
            case APP4 -> app4;
        };
    }

    /** Below Linux's ephemeral range (32768+), where the broker's own port and outgoing connections could take it. */
    static final int FIRST_PORT = 20_000;
    static final int LAST_PORT = 32_000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST_PORT + new Random().nextInt(LAST_PORT - FIRST_PORT));

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
