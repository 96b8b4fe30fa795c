package io.github.camelotel.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing, counting and percentiles of one load run, without Camel. */
class LoadRunTest {

    @Test
    void pacesSlotsAtTheRateUntilTheCountIsReached() {
        LoadRun run = new LoadRun(new LoadPlan(200, 0, 10), 4);
        List<Long> slots = new ArrayList<>();
        long slot;
        while ((slot = run.awaitNextSlot()) >= 0) {
            slots.add(slot);
        }
        assertThat(slots).hasSize(10);
        // 200/s: one slot every 5 ms, so the tenth is due 45 ms after the first (the clock reads whole milliseconds)
        assertThat(slots.get(9) - slots.get(0)).isBetween(44L, 46L);
        assertThat(run.awaitNextSlot())
                .as("nothing more once the count is reached")
                .isEqualTo(-1);
    }

    @Test
    void endsAtTheDuration() {
        LoadRun run = new LoadRun(new LoadPlan(1000, 1, 0), 4);
        int slots = 0;
        while (run.awaitNextSlot() >= 0) {
            slots++;
        }
        assertThat(slots).isEqualTo(1000);
    }

    @Test
    void measuresFromWhenEachPurchaseWasDueToWhenItCompleted() throws Exception {
        LoadRun run = new LoadRun(new LoadPlan(LoadPlan.parseRate("max"), 0, 100), 4);
        for (int i = 0; i < 100; i++) {
            long due = run.awaitNextSlot();
            run.sending("o-" + i, due);
            run.completed("o-" + i, due + 1 + i); // 1 .. 100 ms
        }
        run.sending("refused", System.currentTimeMillis());
        run.failed("refused", "sync=201 async=503");
        run.completed("not-of-this-run", System.currentTimeMillis());
        run.drain(1000);

        LoadReport report = run.report();
        assertThat(report.done()).isTrue();
        assertThat(report.sent()).isEqualTo(101);
        assertThat(report.completed()).isEqualTo(100);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.inFlight()).isZero();
        assertThat(report.lastFailure()).isEqualTo("sync=201 async=503");
        assertThat(report.latencyMs().p50()).isBetween(49L, 51L);
        assertThat(report.latencyMs().p99()).isBetween(98L, 100L);
        assertThat(report.latencyMs().max()).isEqualTo(100L);
        assertThat(report.seconds().stream()
                        .mapToLong(LoadReport.Second::completed)
                        .sum())
                .isEqualTo(100);
        assertThat(run.progress())
                .startsWith("load done unthrottled for 100 purchases after")
                .contains("sent=101 completed=100 failed=1 in-flight=0")
                .contains("p50=50 ms");
    }

    @Test
    void drainsPurchasesStillQueuedForASender() throws Exception {
        LoadRun run = new LoadRun(new LoadPlan(LoadPlan.parseRate("max"), 0, 1), 4);
        long due = run.awaitNextSlot();
        Thread drainer = new Thread(() -> {
            try {
                run.drain(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        drainer.start();

        // the slot sits in the senders' queue, nothing is in flight yet: the run must stay open all along
        await("a handed-out slot not yet sent keeps the run open")
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(5))
                .until(run::state, state -> state == LoadRun.State.DRAINING);
        run.sending("queued", due);
        run.failed("queued", "sync=201 async=503");
        drainer.join(10_000);
        LoadReport report = run.report();
        assertThat(report.done()).isTrue();
        assertThat(report.sent()).isEqualTo(1);
        assertThat(report.failed()).isEqualTo(1);
    }

    @Test
    void refusesPlansWithoutAnEnd() {
        assertThatThrownBy(() -> new LoadPlan(10, 0, 0)).hasMessageContaining("durationSeconds or a count");
        assertThatThrownBy(() -> LoadPlan.parseRate("fast")).hasMessageContaining("not \"fast\"");
        assertThatThrownBy(() -> LoadPlan.parseRate("0")).hasMessageContaining("above 0");
    }
}
