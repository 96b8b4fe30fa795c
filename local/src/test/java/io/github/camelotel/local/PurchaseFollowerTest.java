package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./run-local's console: each purchase line of the executor's log, with its trace's link when there is a trace UI. */
class PurchaseFollowerTest {

    static final String PURCHASE = "2026-12-04 08:00:00.000  INFO [executor,4bf92f3577b34da6a3ce929d0e0e4736] "
            + "send-purchase : purchase ORD-1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 sync=200 async=202";

    @TempDir
    Path dir;

    @Test
    void echoesPurchaseLinesOnly() {
        assertThat(PurchaseFollower.echo(PURCHASE, null))
                .contains("purchase ORD-1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 sync=200 async=202");
        assertThat(PurchaseFollower.echo(PURCHASE, id -> "http://localhost:9411/zipkin/traces/" + id))
                .contains("purchase ORD-1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736 sync=200 async=202"
                        + "  http://localhost:9411/zipkin/traces/4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(PurchaseFollower.echo("Started ExecutorApplication in 3.2 seconds", null))
                .isEmpty();
    }

    @Test
    void followsTheLogAsItIsWritten() throws Exception {
        Path log = Files.writeString(dir.resolve("executor.log"), "starting\n" + PURCHASE + "\n");
        BlockingQueue<String> console = new LinkedBlockingQueue<>();
        Thread follower = PurchaseFollower.follow(log, null, console::add);
        try {
            assertThat(console.poll(10, TimeUnit.SECONDS)).startsWith("purchase ORD-1 ");
            Files.writeString(log, PURCHASE.replace("ORD-1", "ORD-2") + "\n", StandardOpenOption.APPEND);
            assertThat(console.poll(10, TimeUnit.SECONDS)).startsWith("purchase ORD-2 ");
            assertThat(follower.isDaemon()).as("it does not keep the JVM alive").isTrue();
        } finally {
            follower.interrupt();
        }
        follower.join(10_000);
        assertThat(follower.isAlive()).isFalse();
        assertThat(console).isEmpty();
    }
}
