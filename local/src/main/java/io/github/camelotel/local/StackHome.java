package io.github.camelotel.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The folder a stack owns (logs, data, server binaries: {@code target/local-stack} for ./run-local): one running
 * stack at a time, and what an earlier run of it left behind.
 * <p>
 * A server outlives its stack only when its supervisor was killed too (SIGKILL to the supervisor itself, or a run
 * older than the supervisors' own session). Such a server is this stack's when its program lies in this home (the
 * PostgreSQL and Redis binaries are extracted to {@code <home>/servers}) or its command line carries
 * {@link #marker}(home) (the Java servers); and it is a leftover when no stack holds this home's lock, which the
 * kernel releases however the holder died. Anything else on a port stays untouched.
 */
final class StackHome implements AutoCloseable {

    /** The servers that run as processes of their own, which can be left behind; Kafka and SMTP live in the stack. */
    static final List<String> SEPARATE_SERVERS = List.of("PostgreSQL", "Redis", "S3", "Zipkin", "Authorization server");

    private static final String MARKER = "-Dlocal.stack.home=";

    private final Path home;
    private final FileChannel channel;
    private final FileLock lock;

    private StackHome(Path home, FileChannel channel, FileLock lock) {
        this.home = home;
        this.channel = channel;
        this.lock = lock;
    }

    /** The JVM option that names the stack's home on a Java server's command line. */
    static String marker(Path home) {
        return MARKER + home.toAbsolutePath().normalize();
    }

    /**
     * Takes {@code home} for this stack, failing with a {@link Ports.PortBusyException} when another stack runs in it.
     */
    static StackHome take(Path home) throws IOException {
        Path normalized = home.toAbsolutePath().normalize();
        Files.createDirectories(normalized);
        FileChannel channel =
                FileChannel.open(normalized.resolve("stack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldHere) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new Ports.PortBusyException("another local stack runs in " + normalized
                    + ": stop it, or give this one a folder of its own with " + StackOptions.HOME_VARIABLE
                    + "=<folder>");
        }
        return new StackHome(normalized, channel, lock);
    }

    Path path() {
        return home;
    }

    /**
     * Ends every server an earlier run of this stack left on one of {@code ports}' servers, and says so in one line
     * each; waits until its port is free.
     */
    void endLeftovers(Ports ports, Consumer<String> say) throws InterruptedException {
        for (Map.Entry<String, Integer> server : ports.byServer().entrySet()) {
            if (!SEPARATE_SERVERS.contains(server.getKey())) {
                continue;
            }
            Optional<ProcessHandle> leftover =
                    PortHolder.pid(server.getValue()).flatMap(ProcessHandle::of).filter(this::owns);
            if (leftover.isPresent()) {
                end(leftover.get());
                say.accept(
                        "ended " + server.getKey() + " (pid " + leftover.get().pid() + ") on port " + server.getValue()
                                + ", left running by an earlier run of this stack in " + home);
                awaitFree(server.getValue());
            }
        }
    }

    /** Whether the process is a server of this home: its program lies in it, or its command line names it. */
    boolean owns(ProcessHandle process) {
        Path proc = Path.of("/proc", String.valueOf(process.pid()));
        try {
            if (Files.readSymbolicLink(proc.resolve("exe")).startsWith(home)) {
                return true;
            }
        } catch (IOException | SecurityException | UnsupportedOperationException goneOrNotOurs) {
            // not readable: decided by the command line alone
        }
        try {
            String commandLine = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            return Arrays.asList(commandLine.split("\0")).contains(marker(home));
        } catch (IOException goneOrNotLinux) {
            return false;
        }
    }

    private static void end(ProcessHandle process) throws InterruptedException {
        process.destroy();
        Instant deadline = Instant.now().plus(ServerProcess.STOP_TIMEOUT);
        while (process.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static void awaitFree(int port) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!Ports.isFree(port) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
