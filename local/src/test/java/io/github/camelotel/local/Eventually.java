package io.github.camelotel.local;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Polls until a check passes (no exception, non-null answer) or the timeout ends; then rethrows its failure. */
final class Eventually {

    private Eventually() {
    }

    static <T> T await(Duration timeout, Callable<T> check) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Throwable last;
            try {
                T answer = check.call();
                if (answer != null) {
                    return answer;
                }
                last = new AssertionError("no answer yet");
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("still failing after " + timeout + ": " + last.getMessage(), last);
            }
            Thread.sleep(250);
        }
    }

    static void await(Duration timeout, Runnable assertion) throws Exception {
        await(timeout, () -> {
            assertion.run();
            return Boolean.TRUE;
        });
    }
}
