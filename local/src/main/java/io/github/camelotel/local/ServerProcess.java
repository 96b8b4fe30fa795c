package io.github.camelotel.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server of the stack (PostgreSQL, Redis, the S3 server, any other) as a child process that cannot outlive the
 * stack: {@link #start} runs the server's command under a small bash supervisor, which
 * <ul>
 *   <li>puts the server in a process group of its own ({@code set -m}) and ignores SIGINT/SIGHUP itself, so a Ctrl-C
 *       in the terminal reaches only the stack, which then stops apps first and servers after them, in order;</li>
 *   <li>passes the stack's stop request (SIGTERM to the supervisor) on to the server as the server's own stop signal
 *       (PostgreSQL's fast shutdown is SIGINT) and exits when the server does, so the stack waits for the server;</li>
 *   <li>polls the stack's pid once a second and stops the server when the stack is gone, however it died (kill -9
 *       included), then exits.</li>
 * </ul>
 * The supervisor runs in a session of its own ({@code setsid}), outside the stack's process group: whatever kills
 * the stack's whole group (an IDE's stop button, a CI runner, {@code kill -9 -- -<pgid>}, a closed terminal) does not
 * kill the supervisor with it, so it is still there to see the stack gone and stop its server.
 * <p>
 * Why a supervisor per server: Java cannot ask the kernel to signal a child when its parent dies (no
 * prctl(PR_SET_PDEATHSIG)) nor start it in a new session, and native servers cannot watch a PARENT_PID as the apps do
 * (platform's ParentProcessWatch); ten lines of bash can, need nothing that is not on every machine the stack runs on,
 * and go away with their server, so there is no reaper to keep alive or to clean up.
 */
public final class ServerProcess {

    /** How long a server may take to stop on its stop signal before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private static final String SUPERVISOR = """
            stack=$1 signal=$2; shift 2
            trap '' INT HUP
            set -m
            "$@" &
            server=$!
            trap 'stopping=1; kill -s "$signal" "$server" 2>/dev/null' TERM
            while [ -z "$stopping" ] && kill -0 "$stack" 2>/dev/null && kill -0 "$server" 2>/dev/null; do
              sleep 1 & wait $!
            done
            if [ -z "$stopping" ] && kill -0 "$server" 2>/dev/null; then
              echo "supervisor: the local stack (pid $stack) is gone: stopping pid $server with SIG$signal"
              kill -s "$signal" "$server"
              for _ in $(seq 20); do kill -0 "$server" 2>/dev/null || break; sleep 1; done
              kill -s KILL "$server" 2>/dev/null
            fi
            wait "$server"
            """;

    /**
     * Runs the rest of a command line as the leader of a new session: util-linux's setsid, or Perl's POSIX::setsid
     * where there is none (macOS). A child of this JVM is no process group leader, so setsid execs in place: the
     * supervisor keeps the pid this JVM knows.
     */
    static final List<String> NEW_SESSION = onPath("setsid")
            ? List.of("setsid")
            : List.of("perl", "-MPOSIX", "-e", "POSIX::setsid(); exec @ARGV or die $!");

    private final String name;
    private final Process supervisor;
    private final Path log;

    private ServerProcess(String name, Process supervisor, Path log) {
        this.name = name;
        this.supervisor = supervisor;
        this.log = log;
    }

    /**
     * Starts {@code command} with its output appended to {@code log}.
     *
     * @param stopSignal the signal that stops the server gracefully, without "SIG": TERM for most, INT for PostgreSQL
     */
    public static ServerProcess start(String name, List<String> command, Path log, String stopSignal)
            throws IOException {
        return start(name, command, log, stopSignal, Map.of());
    }

    /**
     * {@link #start(String, List, Path, String)} with {@code environment} added to the server's: the way to hand it a
     * secret, which on the command line anyone on the machine could read ({@code ps}); the environment only its user.
     */
    public static ServerProcess start(
            String name, List<String> command, Path log, String stopSignal, Map<String, String> environment)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> supervised = new ArrayList<>(NEW_SESSION);
        supervised.addAll(List.of(
                "bash",
                "-c",
                SUPERVISOR,
                "supervisor-" + name,
                String.valueOf(ProcessHandle.current().pid()),
                stopSignal));
        supervised.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(supervised)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process supervisor = builder.start();
        return new ServerProcess(name, supervisor, log);
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    /**
     * The command line of a server that is a Java program: the apps' JVM options for a quick start (each server here
     * stands in for a real one, so its start matters more than its steady state), and the stack's home
     * ({@link StackHome#marker}), by which a later start knows the server as its own if this one outlives it.
     */
    static List<String> javaCommand(Path home, Path jar) {
        return javaCommand(home, jar, List.of());
    }

    /** {@link #javaCommand(Path, Path)} with {@code jvmOptions} after the apps' (so they win, e.g. a smaller -Xmx). */
    static List<String> javaCommand(Path home, Path jar, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AppProcess.JVM_OPTIONS);
        command.addAll(AppProcess.QUICK_START_JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add(StackHome.marker(home));
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return supervisor.isAlive();
    }

    /** The server's own process (the supervisor's child), once it has started. */
    public Optional<ProcessHandle> server() {
        return supervisor
                .children()
                .filter(child -> !child.info().command().orElse("").endsWith("/sleep")) // the supervisor's timer
                .findFirst();
    }

    /** Fails with the server's log when it has exited, e.g. while the stack waits for it to be ready. */
    public void requireAlive() {
        if (!supervisor.isAlive()) {
            throw new IllegalStateException(name + " exited with " + supervisor.exitValue() + "; see " + log);
        }
    }

    /** Waits until {@code ready} answers true, failing at once if the server exits and after {@code timeout}. */
    public void awaitReady(Duration timeout, ReadyCheck ready) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            requireAlive();
            try {
                if (ready.ready()) {
                    return;
                }
            } catch (Exception notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " is not ready after " + timeout + "; see " + log);
    }

    /** A check that the server answers, e.g. a request or a connection; an exception counts as not yet. */
    @FunctionalInterface
    public interface ReadyCheck {
        boolean ready() throws Exception;
    }

    /** A graceful stop with the server's stop signal, then a kill if it has not stopped within {@link #STOP_TIMEOUT}. */
    public void stop() throws InterruptedException {
        if (!supervisor.isAlive()) {
            return;
        }
        Optional<ProcessHandle> server = server();
        supervisor.destroy(); // SIGTERM: the supervisor passes the server's stop signal on
        if (!supervisor.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            server.ifPresent(ProcessHandle::destroyForcibly);
            supervisor.destroyForcibly();
            supervisor.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
