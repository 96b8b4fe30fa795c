package io.github.camelotel.platform.dev;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Development only: stops the app when the process that started it is gone. The local stack starts each app as a
 * child process and sets {@code PARENT_PID}; if the stack dies without stopping its apps (killed, or a test JVM cut
 * off), the apps stop on their own instead of lingering.
 */
final class ParentProcessWatch implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ParentProcessWatch.class);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "parent-process-watch");
        thread.setDaemon(true);
        return thread;
    });

    ParentProcessWatch(long parentPid, ConfigurableApplicationContext context) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        timer.scheduleWithFixedDelay(
                () -> {
                    if (parent.map(ProcessHandle::isAlive).orElse(false)) {
                        return;
                    }
                    LOG.warn("parent process {} is gone: stopping", parentPid);
                    timer.shutdown();
                    System.exit(SpringApplication.exit(context));
                },
                1,
                1,
                TimeUnit.SECONDS);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
