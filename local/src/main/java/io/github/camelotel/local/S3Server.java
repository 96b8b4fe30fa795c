package io.github.camelotel.local;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * An S3-compatible server in place of MinIO (which cannot run without Docker here): S3Proxy with its filesystem
 * backend, whose jar comes from Maven Central (the build copies it to {@code local/target/servers/s3proxy.jar}), as a
 * {@link ServerProcess} with its output in {@code <log dir>/s3.log}. It serves path-style S3 over plain HTTP on
 * localhost:{@code port}, accepts any credentials, and keeps each bucket as a folder (one file per object) under
 * the store folder it is given (which the stack owns: it deletes it, if it does, after the server stopped). A stored object is readable at
 * {@code http://localhost:<port>/<bucket>/<key>}, a bucket's listing at {@code http://localhost:<port>/<bucket>}.
 * <p>
 * Not S3Mock: its PUT costs CPU in proportion to the objects a bucket holds (4.5 ms with 1,000 invoices, 15.7 ms with
 * 6,000, measured here), so a benchmark slowed down as it ran; S3Proxy's stays flat (below 1 ms).
 */
public final class S3Server implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final int port;
    private final Path storeDir;
    private final ServerProcess process;

    private S3Server(int port, Path storeDir, ServerProcess process) {
        this.port = port;
        this.storeDir = storeDir;
        this.process = process;
    }

    /** Starts the server without waiting for it; {@link #awaitReady()} waits. */
    public static S3Server start(int port, Path storeDir, Path logDir) throws IOException {
        Path jar = serverJar("s3proxy.jar");
        Path buckets = Files.createDirectories(storeDir.resolve("buckets"));
        Properties settings = new Properties();
        settings.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        settings.setProperty("s3proxy.authorization", "none"); // any credentials, and anonymous reads for a browser
        settings.setProperty("jclouds.provider", "filesystem");
        settings.setProperty("jclouds.filesystem.basedir", buckets.toString());
        settings.setProperty("jclouds.identity", "local"); // required by jclouds, not checked
        settings.setProperty("jclouds.credential", "local");
        Path settingsFile = storeDir.resolve("s3proxy.properties");
        try (var out = Files.newOutputStream(settingsFile)) {
            settings.store(out, "S3Proxy for the local stack");
        }
        // a small heap: it streams each object to disk
        List<String> command =
                new ArrayList<>(ServerProcess.javaCommand(logDir.getParent(), jar, List.of("-Xms16m", "-Xmx64m")));
        command.add("--properties");
        command.add(settingsFile.toString());
        return new S3Server(port, storeDir, ServerProcess.start("s3", command, logDir.resolve("s3.log"), "TERM"));
    }

    /** A server's jar beside this module's classes or jar, e.g. {@code local/target/servers/s3proxy.jar}. */
    static Path serverJar(String name) {
        try {
            Path codeSource = Path.of(S3Server.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path jar = codeSource.getParent().resolve("servers").resolve(name);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        jar + " is missing: build the local module first (./mvnw package -DskipTests)");
            }
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the server answers S3 requests (ListBuckets). */
    public void awaitReady() throws InterruptedException {
        HttpRequest listBuckets = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .timeout(Duration.ofSeconds(5))
                .build();
        process.awaitReady(
                START_TIMEOUT,
                () -> HTTP.send(listBuckets, HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    /** How many objects bucket {@code bucket} holds (files in the server's store). */
    public long objectCount(String bucket) throws IOException {
        Path folder = storeDir.resolve("buckets").resolve(bucket);
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    public Path log() {
        return process.log();
    }

    /** A graceful stop (SIGTERM), then a kill if the server has not stopped in time. */
    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
