package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start ends a server an earlier run of the same stack left on its port, says so in one line, and touches nothing
 * else: not a process of another home on another of its ports, not a stack that still runs in the home.
 */
class StackHomeTest {

    static final String LISTENER = """
            public class Listen {
                public static void main(String[] args) throws Exception {
                    try (var socket = new java.net.ServerSocket(Integer.parseInt(args[0]))) {
                        socket.accept();
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void endsOnlyItsOwnLeftovers() throws Exception {
        Path home = dir.resolve("home");
        Path source = Files.writeString(dir.resolve("Listen.java"), LISTENER);
        Ports ports = Ports.free();
        Process leftover = listen(source, ports.postgres(), StackHome.marker(home));
        Process someoneElses = listen(source, ports.redis(), StackHome.marker(dir.resolve("another-home")));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Ports.isFree(ports.postgres()) || Ports.isFree(ports.redis()))
                            .as("both listening")
                            .isFalse());
            List<String> said = new ArrayList<>();
            try (StackHome stackHome = StackHome.take(home)) {
                assertThatThrownBy(() -> StackHome.take(home))
                        .isInstanceOf(Ports.PortBusyException.class)
                        .hasMessageContaining("another local stack runs in " + home);
                stackHome.endLeftovers(ports, said::add);
            }
            assertThat(said)
                    .containsExactly("ended PostgreSQL (pid " + leftover.pid() + ") on port " + ports.postgres()
                            + ", left running by an earlier run of this stack in " + home);
            assertThat(leftover.isAlive()).isFalse();
            assertThat(Ports.isFree(ports.postgres())).isTrue();
            assertThat(someoneElses.isAlive()).as("another home's server").isTrue();
        } finally {
            leftover.destroyForcibly();
            someoneElses.destroyForcibly();
        }
    }

    static Process listen(Path source, int port, String marker) throws Exception {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx32m",
                        marker,
                        source.toString(),
                        String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
