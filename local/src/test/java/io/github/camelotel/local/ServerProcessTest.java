package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor passes the stack's stop on at once; a busy port is named with the process that holds it. */
class ServerProcessTest {

    @TempDir
    Path dir;

    @Test
    void stopReachesTheServerAndWaitsForIt() throws Exception {
        // a "server" that stops on SIGTERM only through its trap, as a real one does through its handler
        ServerProcess server = ServerProcess.start(
                "sleeper",
                List.of("bash", "-c", "trap 'echo stopping; exit 0' TERM; while true; do sleep 0.1; done"),
                dir.resolve("sleeper.log"),
                "TERM");
        ProcessHandle process = await("the server's process")
                .atMost(Duration.ofSeconds(10))
                .until(server::server, Optional::isPresent)
                .orElseThrow();
        server.stop();
        assertThat(process.isAlive()).isFalse();
        assertThat(server.isAlive()).isFalse();
        // its trap ran: it stopped on the signal passed on, not on the kill that follows STOP_TIMEOUT
        assertThat(Files.readAllLines(server.log())).contains("stopping");
    }

    @Test
    void aBusyPortNamesItsHolder() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Ports busy = Ports.free().with(Ports.Server.POSTGRES, taken.getLocalPort());
            assertThatThrownBy(() -> busy.requireFree(true, Set.of(App.values())))
                    .isInstanceOf(Ports.PortBusyException.class)
                    .hasMessageContaining("port " + taken.getLocalPort() + " (PostgreSQL) is in use by pid "
                            + ProcessHandle.current().pid());
        }
    }
}
