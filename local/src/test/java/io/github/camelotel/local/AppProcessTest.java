package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apps run with the JVM options written once in the root pom, as their images do, and stop within a deadline. */
class AppProcessTest {

    @Test
    void jvmOptionsAreTheRootPomsAppJvmOptions() throws Exception {
        assertThat(AppProcess.JVM_OPTIONS)
                .isEqualTo(rootPomProperty("app.jvm.options"))
                .contains("-Xmx256m");
    }

    @Test
    void quickStartOptionsAreTheRootPomsLocalJvmOptions() throws Exception {
        assertThat(AppProcess.QUICK_START_JVM_OPTIONS)
                .isEqualTo(rootPomProperty("local.jvm.options"))
                .contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void stoppingSeveralAppsKillsThoseStillRunningAtOneSharedDeadline(@TempDir Path logs) throws Exception {
        List<AppProcess> stuck = new ArrayList<>();
        for (App app : List.of(App.APP2, App.APP4)) {
            stuck.add(AppProcess.startJava(
                    app,
                    logs,
                    0,
                    Map.of(),
                    List.of("-cp", System.getProperty("java.class.path"), IgnoresStop.class.getName())));
        }
        for (AppProcess each : stuck) { // both have installed their hook
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(each.log())
                            && Files.readString(each.log()).contains(IgnoresStop.READY));
        }

        long start = System.nanoTime();
        AppProcess.stopAll(stuck, Duration.ofSeconds(3));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(stuck).noneMatch(AppProcess::isAlive);
        assertThat(took)
                .as("one deadline for both, not one each after the other")
                .isLessThan(Duration.ofSeconds(6));
    }

    /** A JVM whose stop never finishes, as an app waiting on one that is already gone. */
    public static final class IgnoresStop {
        static final String READY = "waiting; a stop will not finish";

        public static void main(String[] args) throws Exception {
            CountDownLatch never = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            System.out.println(READY);
            never.await();
        }
    }

    private static List<String> rootPomProperty(String name) throws Exception {
        Path pom = Path.of(System.getProperty("project.root", "..")).resolve("pom.xml");
        Matcher options = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(Files.readString(pom));
        assertThat(options.find()).isTrue();
        return Arrays.stream(options.group(1).split(",")).map(String::trim).toList();
    }
}
