package io.github.camelotel.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Where each server and app of the local stack listens (the Kafka broker picks its own free port): s3 is the
 * S3-compatible server that stands in for MinIO, smtp the mail server.
 */
public record Ports(int postgres, int redis, int s3, int smtp, int executor, int app1, int app2, int app3, int app4) {

    /** The ports the apps' own defaults expect (and docker-compose.yml uses), so tools and docs work unchanged. */
    public static Ports defaults() {
        return new Ports(5432, 6379, 9000, 1025, 8080, 8081, 8082, 8083, 8084);
    }

    /** Free ports, for tests that must not collide with a running stack. */
    public static Ports free() {
        return new Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
                freePort());
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

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
