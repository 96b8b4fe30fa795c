package io.github.camelotel.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * One load run: its pacing, the purchases it has in flight, and what became of them, in total and per second.
 *
 * <p>A purchase's end-to-end latency runs from the moment it was due to be sent (its slot in the schedule, so a
 * sender that falls behind shows as latency instead of hiding it) to the moment app4-worker announced it complete
 * (the timestamp of its PurchaseCompleted record). A purchase is failed when app1-api did not accept it on both
 * paths; failed purchases are not waited for. Thread-safe: the pacer, the senders and the completion consumer
 * each run on their own threads.
 */
public final class LoadRun {

    public enum State {
        RUNNING,
        DRAINING,
        DONE
    }

    /** Latencies above an hour are recorded as an hour. */
    private static final long MAX_LATENCY_MS = TimeUnit.HOURS.toMillis(1);

    private final LoadPlan plan;
    private final int concurrency;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final Histogram latencies = new Histogram(MAX_LATENCY_MS, 3);
    private final List<Second> seconds = new ArrayList<>();
    private long slots;
    /** Slots handed to the senders; a purchase still queued for a sender is not yet sent, nor in flight. */
    private long dispatched;

    private long sent;
    private long failed;
    private long completed;
    private volatile boolean stopRequested;
    private volatile State state = State.RUNNING;
    private long sendingEndedMillis;
    private long doneMillis;
    private String lastFailure = "";
    // for the current rates of the progress line
    private long lastProgressNanos = startNanos;
    private long lastProgressSent;
    private long lastProgressCompleted;

    /** The counts of one second of the run (by when purchases were due and when they completed). */
    private static final class Second {
        long sent;
        long failed;
        long completed;
        final IntCountsHistogram latencies = new IntCountsHistogram(MAX_LATENCY_MS, 2);
    }

    public LoadRun(LoadPlan plan, int concurrency) {
        this.plan = plan;
        this.concurrency = concurrency;
    }

    public LoadPlan plan() {
        return plan;
    }

    public State state() {
        return state;
    }

    /**
     * Waits for the next purchase's slot and answers when it was due (epoch milliseconds), or -1 when the run has
     * sent all it should (count or duration reached, or stopped).
     */
    public long awaitNextSlot() {
        long index;
        synchronized (this) {
            if (stopRequested || state != State.RUNNING || (plan.count() > 0 && slots >= plan.count())) {
                return -1;
            }
            index = slots++;
        }
        long dueNanos = plan.unthrottled() ? System.nanoTime() - startNanos : (long) (index * 1e9 / plan.rate());
        if (plan.durationSeconds() > 0 && dueNanos >= TimeUnit.SECONDS.toNanos(plan.durationSeconds())) {
            return -1;
        }
        long wait;
        while ((wait = startNanos + dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (stopRequested) {
                return -1;
            }
        }
        synchronized (this) {
            dispatched++;
        }
        return startMillis + TimeUnit.NANOSECONDS.toMillis(dueNanos);
    }

    /** A purchase is about to be sent; it was due at {@code dueMillis}. */
    public synchronized void sending(String orderId, long dueMillis) {
        inFlight.put(orderId, dueMillis);
        sent++;
        second(dueMillis).sent++;
    }

    /** app1-api refused or could not be reached on one of the paths: the purchase will not complete. */
    public synchronized void failed(String orderId, String outcome) {
        Long due = inFlight.remove(orderId);
        if (due != null) {
            failed++;
            second(due).failed++;
            lastFailure = outcome;
        }
    }

    /** app4-worker completed the order at {@code completedMillis}; orders not sent by this run are ignored. */
    public synchronized void completed(String orderId, long completedMillis) {
        Long due = inFlight.remove(orderId);
        if (due == null) {
            return;
        }
        long latency = Math.min(Math.max(completedMillis - due, 0), MAX_LATENCY_MS);
        completed++;
        latencies.recordValue(latency);
        Second second = second(completedMillis);
        second.completed++;
        second.latencies.recordValue(latency);
    }

    private Second second(long epochMillis) {
        int index = (int) Math.max(0, (epochMillis - startMillis) / 1000);
        while (seconds.size() <= index) {
            seconds.add(new Second());
        }
        return seconds.get(index);
    }

    public void stop() {
        stopRequested = true;
    }

    /** All purchases are sent: from now on the run only waits for the ones in flight. */
    public synchronized void sendingEnded() {
        if (state == State.RUNNING) {
            state = State.DRAINING;
            sendingEndedMillis = System.currentTimeMillis();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for every purchase handed to the senders to be sent and then to complete or
     * fail, then ends the run.
     */
    public void drain(long timeoutMillis) throws InterruptedException {
        sendingEnded();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!settled() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        synchronized (this) {
            state = State.DONE;
            doneMillis = System.currentTimeMillis();
        }
    }

    private synchronized boolean settled() {
        return sent >= dispatched && inFlight.isEmpty();
    }

    /** One line on how the run is going: counts, rates since the last line, latency percentiles so far. */
    public synchronized String progress() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastProgressNanos) / 1e9);
        double sentRate = (sent - lastProgressSent) / seconds;
        double completedRate = (completed - lastProgressCompleted) / seconds;
        lastProgressNanos = now;
        lastProgressSent = sent;
        lastProgressCompleted = completed;
        return String.format(
                Locale.ROOT,
                "load %s %s after %d s: sent=%d completed=%d failed=%d in-flight=%d rate=%.1f/s completed-rate=%.1f/s p50=%d ms p99=%d ms%s",
                state.name().toLowerCase(Locale.ROOT),
                plan,
                TimeUnit.NANOSECONDS.toSeconds(now - startNanos),
                sent,
                completed,
                failed,
                inFlight.size(),
                sentRate,
                completedRate,
                percentile(latencies, 50),
                percentile(latencies, 99),
                failed > 0 ? " last-failure=" + lastFailure : "");
    }

    /** The whole run (JSON for GET /load): plan, state, counts, latency percentiles, and per second. */
    public synchronized LoadReport report() {
        List<LoadReport.Second> perSecond = new ArrayList<>();
        for (Second second : seconds) {
            perSecond.add(new LoadReport.Second(
                    perSecond.size(), second.sent, second.completed, second.failed, latency(second.latencies)));
        }
        long sendingMillis = (sendingEndedMillis == 0 ? System.currentTimeMillis() : sendingEndedMillis) - startMillis;
        return new LoadReport(
                state.name().toLowerCase(Locale.ROOT),
                plan,
                concurrency,
                startMillis,
                sendingEndedMillis == 0 ? null : sendingEndedMillis,
                doneMillis == 0 ? null : doneMillis,
                sendingMillis / 1000.0,
                sent,
                completed,
                failed,
                inFlight.size(),
                lastFailure,
                latency(latencies),
                perSecond);
    }

    private static LoadReport.Latency latency(AbstractHistogram histogram) {
        boolean none = histogram.getTotalCount() == 0;
        return new LoadReport.Latency(
                percentile(histogram, 50),
                percentile(histogram, 95),
                percentile(histogram, 99),
                none ? 0 : histogram.getMaxValue(),
                none ? 0 : Math.round(histogram.getMean() * 10) / 10.0);
    }

    private static long percentile(AbstractHistogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }
}
