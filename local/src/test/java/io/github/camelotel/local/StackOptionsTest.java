package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./run-local's options as README writes them: which apps it leaves out and how many instances of each it runs,
 * where live routes load from, where the stack keeps its files and whether their data outlives it.
 */
class StackOptionsTest {

    @TempDir
    Path root;

    StackOptions parse(Map<String, String> env, String... args) {
        return StackOptions.parse(List.of(args), env, root);
    }

    @Test
    void everythingByDefault() {
        StackOptions options = parse(Map.of());
        assertThat(options.apps()).isEqualTo(EnumSet.allOf(App.class));
        assertThat(options.instances()).isEmpty();
        assertThat(options.routesDir()).isNull();
        assertThat(options.home()).isEqualTo(root.resolve("target/local-stack"));
        assertThat(options.keepData()).isFalse();
        assertThat(options.zipkin()).isTrue();
        assertThat(options.help()).isFalse();
    }

    @Test
    void fromTheEnvironment() {
        StackOptions options = parse(Map.of(
                "LOCAL_STACK_INSTANCES",
                "app2-consumer=2",
                "LOCAL_STACK_HOME",
                "/tmp/stack",
                "LOCAL_STACK_KEEP_DATA",
                "true",
                "LOCAL_TRACE_UI",
                "off"));
        assertThat(options.instances()).isEqualTo(Map.of(App.APP2, 2));
        assertThat(options.home()).isEqualTo(Path.of("/tmp/stack"));
        assertThat(options.keepData()).isTrue();
        assertThat(options.zipkin()).isFalse();
    }

    @Test
    void leavesOutTheAppsNamedRepeatedOrAsAList() {
        assertThat(parse(Map.of(), "--without", "app3-api").apps())
                .doesNotContain(App.APP3)
                .hasSize(4);
        assertThat(parse(Map.of(), "--without", "app3-api", "--without", "executor")
                        .apps())
                .containsExactlyInAnyOrder(App.APP1, App.APP2, App.APP4);
        assertThat(parse(Map.of(), "--without=app3-api,executor").apps())
                .containsExactlyInAnyOrder(App.APP1, App.APP2, App.APP4);
        assertThat(parse(Map.of("LOCAL_STACK_WITHOUT", "app2-consumer"), "--without", "app4-worker")
                        .apps())
                .containsExactlyInAnyOrder(App.EXECUTOR, App.APP1, App.APP3);
    }

    @Test
    void infrastructureOnly() {
        assertThat(parse(Map.of(), "--infra-only").apps()).isEmpty();
        assertThat(parse(Map.of(), "--without", "all").apps()).isEmpty();
        assertThat(parse(Map.of("LOCAL_STACK_WITHOUT", "all")).apps()).isEmpty();
    }

    @Test
    void liveRoutesFromTheProjectsFolderOrAnother() throws Exception {
        Files.createDirectories(root.resolve("routes/common"));
        assertThat(parse(Map.of(), "--live-routes").routesDir()).isEqualTo(root.resolve("routes"));
        assertThat(parse(Map.of("LOCAL_STACK_LIVE_ROUTES", "true")).routesDir()).isEqualTo(root.resolve("routes"));
        Path copy = Files.createDirectories(root.resolve("copy/common")).getParent();
        assertThat(parse(Map.of(), "--live-routes=" + copy).routesDir()).isEqualTo(copy);
        assertThat(parse(Map.of("LOCAL_STACK_LIVE_ROUTES", copy.toString())).routesDir())
                .isEqualTo(copy);
        assertThatThrownBy(() -> parse(Map.of(), "--live-routes=" + root.resolve("nothing")))
                .hasMessageContaining("is no routes folder");
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> parse(Map.of(), "--without", "app5")).hasMessageContaining("no app 'app5'");
        assertThatThrownBy(() -> parse(Map.of(), "--without")).hasMessageContaining("needs the apps");
        assertThatThrownBy(() -> parse(Map.of(), "--with-app3"))
                .hasMessageContaining("unknown option --with-app3")
                .hasMessageContaining("usage: ./run-local");
        assertThat(parse(Map.of(), "--help").help()).isTrue();
        assertThatThrownBy(() -> parse(Map.of("LOCAL_STACK_INSTANCES", "app5=2")))
                .hasMessageContaining("no app app5");
        assertThatThrownBy(() -> parse(Map.of("LOCAL_TRACE_UI", "no")))
                .hasMessage("LOCAL_TRACE_UI is on or off, not no");
    }

    /** LOCAL_STACK_INSTANCES as README's table writes it: {@code app2-consumer=2,app4-worker=2}, unset for one each. */
    @Test
    void instancesNameAppsByTheirServiceNameWithACountEach() {
        assertThat(StackOptions.parseInstances("app2-consumer=2,app4-worker=2"))
                .isEqualTo(Map.of(App.APP2, 2, App.APP4, 2));
        assertThat(StackOptions.parseInstances(" app2-consumer = 3 , app4-worker=1 "))
                .isEqualTo(Map.of(App.APP2, 3, App.APP4, 1));
        assertThat(StackOptions.parseInstances(null)).as("unset: one of each").isEmpty();
        assertThat(StackOptions.parseInstances(" ")).isEmpty();
    }

    @Test
    void instancesRefuseWhatTheyCannotRun() {
        assertThatThrownBy(() -> StackOptions.parseInstances("app5=2")).hasMessageContaining("no app app5");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2=2"))
                .as("the service name, not the short one")
                .hasMessageContaining("no app app2");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer"))
                .hasMessageContaining("is not <app>=<count>");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer=2=3"))
                .hasMessageContaining("is not <app>=<count>");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer=0")).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer=two"))
                .hasMessageContaining("1 or more, not 'two'");
        assertThatThrownBy(() -> StackOptions.parseInstances("app4-worker=2,app4-worker=3"))
                .hasMessageContaining("named twice");
    }
}
