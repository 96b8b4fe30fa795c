package io.github.camelotel.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Follows the executor's log as it is written and echoes its one line per purchase, with its trace's link. */
final class PurchaseFollower {

    /** The executor's line per purchase (routes/executor/send-purchase.camel.yaml). */
    static final Pattern PURCHASE_LINE = Pattern.compile("purchase \\S+ trace_id=(\\S+) .*$");

    private PurchaseFollower() {}

    /**
     * What to echo for one log line: the purchase's part of it and its trace's link, or nothing for any other line.
     *
     * @param traceLink the trace UI's page of a trace ID, or null without a trace UI
     */
    static Optional<String> echo(String logLine, UnaryOperator<String> traceLink) {
        Matcher purchase = PURCHASE_LINE.matcher(logLine);
        if (!purchase.find()) {
            return Optional.empty();
        }
        return Optional.of(purchase.group() + (traceLink == null ? "" : "  " + traceLink.apply(purchase.group(1))));
    }

    /** Follows {@code log} on a daemon thread, from its start, until the thread is interrupted or the JVM exits. */
    static Thread follow(Path log, UnaryOperator<String> traceLink, Consumer<String> out) {
        Thread follower = new Thread(
                () -> {
                    try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                        while (!Thread.currentThread().isInterrupted()) {
                            String line = reader.readLine();
                            if (line == null) {
                                Thread.sleep(200); // a file has no change notification that a reader could block on
                            } else {
                                echo(line, traceLink).ifPresent(out);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        // the stack is stopping
                    }
                },
                "purchase-follower");
        follower.setDaemon(true);
        follower.start();
        return follower;
    }
}
