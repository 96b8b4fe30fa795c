package io.github.camelotel.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./run-local}: starts what {@link StackOptions} say (everything by default) on {@link Ports#fromEnvironment()},
 * prints the {@link Welcome} text and then each purchase the executor sends, and stops all it started on Ctrl-C or
 * SIGTERM (this JVM's one shutdown hook stops the apps first, then the servers).
 */
public final class LocalStackMain {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackMain.class);

    private LocalStackMain() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("project.root", "."))
                .toAbsolutePath()
                .normalize();
        int status = run(List.of(args), System.getenv(), root, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the stack until this JVM shuts down, and answers 0; or answers at once: 0 after printing the usage, 1 when
     * a port of the stack is taken, 2 when an option is wrong.
     */
    static int run(List<String> args, Map<String, String> env, Path root, PrintStream out, PrintStream err)
            throws Exception {
        StackOptions options;
        try {
            options = StackOptions.parse(args, env, root);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.print(StackOptions.USAGE);
            return 0;
        }
        LocalStack stack = stack(options, root);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            long start = System.nanoTime();
                            LOG.info("stopping the local stack");
                            stack.close();
                            LOG.info("local stack stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));
        try {
            stack.start();
        } catch (Ports.PortBusyException e) {
            err.println("local stack not started: " + e.getMessage());
            return 1;
        }
        Welcome.print(stack, env);
        if (stack.app(App.EXECUTOR) != null) {
            ZipkinServer zipkin = stack.zipkin();
            PurchaseFollower.follow(
                    stack.app(App.EXECUTOR).log(), zipkin == null ? null : zipkin::traceUrl, out::println);
        }
        stopped.await();
        return 0;
    }

    /** The stack the options describe, not started. */
    static LocalStack stack(StackOptions options, Path root) {
        LocalStack stack = new LocalStack(
                        Ports.fromEnvironment(), root, options.home().resolve("logs"), Map.of())
                .keepData(options.keepData())
                .withInstances(options.instances())
                .withApps(options.apps())
                .withRoutesDir(options.routesDir());
        return options.zipkin() ? stack.withZipkin() : stack;
    }
}
