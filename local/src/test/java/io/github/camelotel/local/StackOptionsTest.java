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

/** ./run-local's options as README writes them: which apps it leaves out, and where live routes load from. */
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
        assertThat(options.routesDir()).isNull();
        assertThat(options.help()).isFalse();
    }

    @Test
    void leavesOutTheAppsNamedRepeatedOrAsAList() {
        assertThat(parse(Map.of(), "--without", "app3-api").apps()).doesNotContain(App.APP3).hasSize(4);
        assertThat(parse(Map.of(), "--without", "app3-api", "--without", "executor").apps())
                .containsExactlyInAnyOrder(App.APP1, App.APP2, App.APP4);
        assertThat(parse(Map.of(), "--without=app3-api,executor").apps())
                .containsExactlyInAnyOrder(App.APP1, App.APP2, App.APP4);
        assertThat(parse(Map.of("LOCAL_STACK_WITHOUT", "app2-consumer"), "--without", "app4-worker").apps())
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
        assertThat(parse(Map.of("LOCAL_STACK_LIVE_ROUTES", copy.toString())).routesDir()).isEqualTo(copy);
        assertThatThrownBy(() -> parse(Map.of(), "--live-routes=" + root.resolve("nothing")))
                .hasMessageContaining("is no routes folder");
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> parse(Map.of(), "--without", "app5")).hasMessageContaining("no app 'app5'");
        assertThatThrownBy(() -> parse(Map.of(), "--without")).hasMessageContaining("needs the apps");
        assertThatThrownBy(() -> parse(Map.of(), "--with-app3")).hasMessageContaining("unknown option --with-app3")
                .hasMessageContaining("usage: ./run-local");
        assertThat(parse(Map.of(), "--help").help()).isTrue();
    }
}
