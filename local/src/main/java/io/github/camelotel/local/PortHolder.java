package io.github.camelotel.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a TCP port, from Linux's /proc (the sockets in /proc/net/tcp and tcp6, the processes
 * whose file descriptors point at them); nothing on other systems or for another user's processes.
 */
final class PortHolder {

    private static final String LISTEN = "0A";

    private PortHolder() {}

    /** "pid 123 (postgres -D …)" for the process that listens on {@code port}, if this machine tells. */
    static Optional<String> of(int port) {
        return pid(port)
                .map(pid -> "pid " + pid
                        + commandLine(pid).map(cmd -> " (" + cmd + ")").orElse(""));
    }

    /** The process that listens on {@code port}, if this machine tells. */
    static Optional<Long> pid(int port) {
        Set<String> sockets = listeningSockets(port);
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
                            return Optional.of(
                                    Long.parseLong(process.getFileName().toString()));
                        }
                    }
                } catch (IOException | SecurityException goneOrNotOurs) {
                    // next process
                }
            }
        } catch (IOException noProc) {
            // not Linux
        }
        return Optional.empty();
    }

    /** The inodes ("socket:[…]") of the sockets listening on {@code port}. */
    private static Set<String> listeningSockets(int port) {
        Set<String> sockets = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line :
                        Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                    String[] fields = line.trim().split("\\s+");
                    String localAddress = fields[1];
                    int localPort = Integer.parseInt(localAddress.substring(localAddress.indexOf(':') + 1), 16);
                    if (localPort == port && LISTEN.equals(fields[3])) {
                        sockets.add("socket:[" + fields[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException noTable) {
                // not Linux, or no IPv6
            }
        }
        return sockets;
    }

    private static Optional<String> commandLine(long pid) {
        try {
            String cmd = new String(
                            Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                            StandardCharsets.UTF_8)
                    .replace('\0', ' ')
                    .trim();
            return cmd.isEmpty()
                    ? Optional.empty()
                    : Optional.of(cmd.length() > 120 ? cmd.substring(0, 120) + "…" : cmd);
        } catch (IOException gone) {
            return Optional.empty();
        }
    }
}
