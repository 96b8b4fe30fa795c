package io.github.camelotel.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where each server and app of the local stack listens (the Kafka broker picks its own free port): s3 is the
 * S3-compatible server that stands in for MinIO, smtp the mail server, zipkin the trace UI (Zipkin's own default).
 */
public record Ports(int postgres, int redis, int s3, int smtp, int zipkin, int executor, int app1, int app2, int app3,
        int app4) {

    /** The ports the apps' own defaults expect (and docker-compose.yml uses), so tools and docs work unchanged. */
    public static Ports defaults() {
        return new Ports(5432, 6379, 9000, 1025, 9411, 8080, 8081, 8082, 8083, 8084);
    }

    /** Free ports, for tests that must not collide with a running stack. */
    public static Ports free() {
        return new Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
                freePort(), freePort());
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
