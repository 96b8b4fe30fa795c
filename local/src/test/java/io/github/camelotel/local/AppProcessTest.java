package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The apps run with the JVM options written once in the root pom, as their images do. */
class AppProcessTest {

    @Test
    void jvmOptionsAreTheRootPomsAppJvmOptions() throws Exception {
        Path pom = Path.of(System.getProperty("project.root", "..")).resolve("pom.xml");
        Matcher options = Pattern.compile("<app\\.jvm\\.options>([^<]+)</app\\.jvm\\.options>")
                .matcher(Files.readString(pom));
        assertThat(options.find()).isTrue();
        assertThat(AppProcess.JVM_OPTIONS)
                .isEqualTo(Arrays.stream(options.group(1).split(","))
                        .map(String::trim)
                        .toList())
                .contains("-Xmx256m");
    }
}
