package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The apps run with the JVM options written once in the root pom, as their images do. */
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

    private static List<String> rootPomProperty(String name) throws Exception {
        Path pom = Path.of(System.getProperty("project.root", "..")).resolve("pom.xml");
        Matcher options = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
                .matcher(Files.readString(pom));
        assertThat(options.find()).isTrue();
        return Arrays.stream(options.group(1).split(",")).map(String::trim).toList();
    }
}
