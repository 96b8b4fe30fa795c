package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./run-local's answers that start nothing, and the stack it builds from its options. */
class LocalStackMainTest {

    @TempDir
    Path root;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(Map<String, String> env, String... args) throws Exception {
        return LocalStackMain.run(
                List.of(args),
                env,
                root,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheUsage() throws Exception {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(StackOptions.USAGE);
        assertThat(root.resolve("target")).as("nothing started").doesNotExist();
    }

    @Test
    void aWrongOptionSaysWhatIsWrongAndExitsWith2() throws Exception {
        assertThat(run(Map.of(), "--with-app3")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unknown option --with-app3");
        err.reset();
        assertThat(run(Map.of("LOCAL_STACK_INSTANCES", "app2-consumer=0"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("LOCAL_STACK_INSTANCES: app2-consumer needs a count");
        assertThat(out.size()).isZero();
        assertThat(root.resolve("target")).doesNotExist();
    }

    @Test
    void theStackIsWhatTheOptionsSay() {
        Path home = root.resolve("stack");
        StackOptions options =
                StackOptions.parse(List.of("--without", "app3-api"), Map.of("LOCAL_STACK_HOME", home.toString()), root);
        LocalStack stack = LocalStackMain.stack(options, root);
        assertThat(stack.leftOut()).containsExactly(App.APP3);
        assertThat(stack.home()).isEqualTo(home);
        assertThat(stack.ports()).isEqualTo(Ports.fromEnvironment());
    }
}
