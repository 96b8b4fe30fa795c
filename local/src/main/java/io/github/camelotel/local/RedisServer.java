package io.github.camelotel.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Redis, the binary shipped in embedded-redis's Maven Central jar, run by the stack as a {@link ServerProcess} with
 * its working folder (and, when the stack keeps its data, its append-only file) in a folder the stack owns.
 */
final class RedisServer implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final ServerProcess process;

    private RedisServer(ServerProcess process) {
        this.process = process;
    }

    /** @param persistent whether writes survive a restart (append-only file in {@code dataDir}) */
    static RedisServer start(int port, Path dataDir, Path binariesDir, Path log, boolean persistent) throws Exception {
        Files.createDirectories(dataDir);
        ServerProcess process = ServerProcess.start(
                "redis",
                List.of(
                        binary(binariesDir).toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        dataDir.toString(),
                        "--save",
                        "",
                        "--appendonly",
                        persistent ? "yes" : "no"),
                log,
                "TERM");
        process.awaitReady(START_TIMEOUT, () -> ping(port));
        return new RedisServer(process);
    }

    private static boolean ping(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[7];
            return socket.getInputStream().readNBytes(answer, 0, 7) == 7
                    && new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    /** The jar's redis-server for this platform, copied once into {@code dir}. */
    private static Path binary(Path dir) throws IOException {
        boolean mac = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac");
        boolean arm = System.getProperty("os.arch").contains("aarch64")
                || System.getProperty("os.arch").contains("arm");
        String name = mac
                ? (arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64")
                : (arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64");
        Path binary = dir.resolve(name);
        if (!Files.isExecutable(binary)) {
            Files.createDirectories(dir);
            Path partial = dir.resolve(name + ".partial");
            try (InputStream in = RedisServer.class.getResourceAsStream("/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("embedded-redis has no " + name);
                }
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            partial.toFile().setExecutable(true, false);
            Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return binary;
    }

    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
