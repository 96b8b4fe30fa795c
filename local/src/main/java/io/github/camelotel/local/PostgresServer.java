package io.github.camelotel.local;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL from zonky's Maven Central binaries, run by the stack itself as a {@link ServerProcess} (the
 * {@code postgres} binary in the foreground, stopped with SIGINT, its fast shutdown) in a data folder the stack owns.
 * Not zonky's EmbeddedPostgres: it starts the server through {@code pg_ctl}, which leaves it in a session of its own
 * that nothing stops when the stack is killed, so the next start found it on the port.
 */
final class PostgresServer implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofMinutes(1);
    private static final String SUPERUSER = "postgres";

    private final int port;
    private final Path dataDir;
    private final Path log;
    private final Path binaries;
    private ServerProcess process;

    private PostgresServer(int port, Path dataDir, Path log, Path binaries) {
        this.port = port;
        this.dataDir = dataDir;
        this.log = log;
        this.binaries = binaries;
    }

    /**
     * Starts PostgreSQL on localhost:{@code port} with its data in {@code dataDir} (initialised first if it is new),
     * and creates {@code user} and its database {@code database} unless they exist.
     */
    static PostgresServer start(
            int port, Path dataDir, Path binariesDir, Path log, String database, String user, String password)
            throws Exception {
        PostgresServer server = new PostgresServer(port, dataDir, log, binaries(binariesDir));
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            server.initdb();
        }
        server.startServer();
        try (Connection admin = server.connect("postgres");
                Statement sql = admin.createStatement()) {
            if (!sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + user + "'")
                    .next()) {
                sql.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + password + "'");
            }
            if (!sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")
                    .next()) {
                sql.execute("CREATE DATABASE " + database + " OWNER " + user);
            }
        }
        return server;
    }

    /** zonky's PostgreSQL binaries for this platform, extracted once into {@code dir}. */
    private static Path binaries(Path dir) throws IOException {
        Path done = dir.resolve(".extracted");
        if (Files.exists(done)) {
            return dir;
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "Darwin" : "Linux";
        String arch = ArchUtils.normalize(System.getProperty("os.arch"));
        Folders.deleteRecursively(dir);
        Files.createDirectories(dir);
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch);
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(archive))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("unexpected entry " + entry.getName() + " in the PostgreSQL archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().setExecutable((entry.getMode() & 0100) != 0, false);
                }
            }
        }
        Files.createFile(done);
        return dir;
    }

    private void initdb() throws IOException, InterruptedException {
        Folders.deleteRecursively(dataDir);
        Files.createDirectories(dataDir.getParent());
        Files.createDirectories(log.getParent());
        Process initdb = new ProcessBuilder(
                        command("initdb", "-A", "trust", "-U", SUPERUSER, "-D", dataDir.toString(), "-E", "UTF-8"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!initdb.waitFor(2, TimeUnit.MINUTES) || initdb.exitValue() != 0) {
            initdb.destroyForcibly();
            throw new IllegalStateException("initdb failed; see " + log);
        }
    }

    private void startServer() throws IOException, InterruptedException {
        // TCP on localhost only and no Unix socket: nothing to collide with another PostgreSQL on this machine
        process = ServerProcess.start(
                "postgres",
                command(
                        "postgres",
                        "-D",
                        dataDir.toString(),
                        "-p",
                        String.valueOf(port),
                        "-F",
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        "unix_socket_directories=",
                        "-c",
                        "synchronous_commit=off",
                        "-c",
                        "max_connections=300",
                        "-c",
                        "timezone=UTC"),
                log,
                "INT");
        process.awaitReady(START_TIMEOUT, () -> {
            try (Connection ignored = connect("postgres")) {
                return true;
            }
        });
    }

    /**
     * A PostgreSQL binary with its arguments; as root, inside a user namespace (unshare -U, which execs it: same pid),
     * since PostgreSQL refuses to run as root (as zonky does it).
     */
    private List<String> command(String binary, String... arguments) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("bin").resolve(binary).toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, SUPERUSER, "");
    }

    /** Stops the server (fast shutdown: open connections are closed) and starts it again on the same data. */
    void restart() throws IOException, InterruptedException {
        process.stop();
        startServer();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.stop();
        }
    }
}
