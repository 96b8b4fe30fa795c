package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM of a new build records its class data archive while it runs, and the next JVM maps it: with a JVM of the
 * JDK's own (no app to build), started with the options {@link ClassDataSharing} gives.
 */
class ClassDataSharingTest {

    @TempDir
    Path folder;

    @Test
    void aRunningJvmRecordsTheArchiveOnceAndTheNextStartMapsIt() throws Exception {
        Path archive = folder.resolve("classes.jsa");
        ClassDataSharing first = new ClassDataSharing(null, archive, folder.resolve("first.jsa.recording"));
        assertThat(first.records()).isTrue();

        Process recording = idleJvm(first.jvmOptions());
        try {
            assertThat(first.record(recording.toHandle())).isTrue();
            assertThat(archive).isRegularFile();
            long written = Files.getLastModifiedTime(archive).toMillis();
            assertThat(first.record(recording.toHandle())).as("once").isTrue();
            assertThat(Files.getLastModifiedTime(archive).toMillis()).isEqualTo(written);
            assertThat(folder.resolve("first.jsa.recording")).doesNotExist();
        } finally {
            recording.destroyForcibly().waitFor();
        }

        ClassDataSharing next = new ClassDataSharing(null, archive, folder.resolve("next.jsa.recording"));
        assertThat(next.records()).isFalse();
        assertThat(next.jvmOptions()).containsExactly("-XX:SharedArchiveFile=" + archive);
        List<String> mapping = new ArrayList<>(next.jvmOptions());
        mapping.add("-Xshare:on"); // fails to start unless the archive maps
        Process mapped = idleJvm(mapping);
        mapped.getOutputStream().close();
        assertThat(mapped.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mapped.exitValue()).as("a JVM mapping the archive").isZero();
    }

    @Test
    void aJvmThatIsGoneRecordsNothing() throws Exception {
        Path archive = folder.resolve("classes.jsa");
        ClassDataSharing sharing = new ClassDataSharing(null, archive, folder.resolve("gone.jsa.recording"));
        Process stopped = idleJvm(sharing.jvmOptions());
        stopped.destroyForcibly().waitFor();

        assertThat(sharing.record(stopped.toHandle())).isFalse();
        assertThat(archive).doesNotExist();
        assertThat(new ClassDataSharing(null, archive, folder.resolve("again.jsa.recording")).records())
                .as("the next start records again")
                .isTrue();
    }

    /**
     * {@link IdleMain} in a JVM with {@code options}, from a jar as the apps run (an archive holds classes from jars
     * only), once its main has started.
     */
    private Process idleJvm(List<String> options) throws Exception {
        Path jar = folder.resolve("idle.jar");
        if (!Files.exists(jar)) {
            String entry = IdleMain.class.getName().replace('.', '/') + ".class";
            try (InputStream in = IdleMain.class.getClassLoader().getResourceAsStream(entry);
                    JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new JarEntry(entry));
                in.transferTo(out);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", jar.toString(), IdleMain.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.getInputStream().read()).as("IdleMain's line").isNotNegative();
        return process;
    }

    /** Prints a line and waits for its standard input to close. */
    public static final class IdleMain {
        public static void main(String[] args) throws Exception {
            System.out.println("started");
            System.in.read();
        }
    }
}
