package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the apps' processes are started with; starting them is the end-to-end tests' part (ScaleOutIT). */
class AppInstancesTest {

    @Test
    void whatAPurchaseNeedsFirstStartsFirstAndTheExecutorLast() {
        assertThat(AppInstances.startOrder(EnumSet.allOf(App.class)))
                .containsExactly(App.APP3, App.APP4, App.APP2, App.APP1, App.EXECUTOR);
        assertThat(AppInstances.startOrder(Set.of(App.EXECUTOR, App.APP1))).containsExactly(App.APP1, App.EXECUTOR);
        assertThat(AppInstances.startOrder(Set.of())).isEmpty();
    }

    @Test
    void aFurtherInstanceHasALogFolderAndAPortOfItsOwn() {
        Path logs = Path.of("/stack/logs");
        assertThat(AppInstances.logDir(logs, App.APP2, 2)).isEqualTo(Path.of("/stack/logs/instances/app2-consumer-2"));
        assertThat(AppInstances.logDir(logs, App.APP4, 3)).isEqualTo(Path.of("/stack/logs/instances/app4-worker-3"));

        Map<String, String> app = Map.of("APP2_PORT", "8082", "APP3_URL", "http://localhost:8083");
        assertThat(AppInstances.withPort(app, App.APP2, 23456))
                .isEqualTo(Map.of("APP2_PORT", "23456", "APP3_URL", "http://localhost:8083"));
        assertThat(AppInstances.withPort(Map.of(), App.EXECUTOR, 23457)).isEqualTo(Map.of("EXECUTOR_PORT", "23457"));
    }

    @Test
    void everyAppStopsOnceAndAfterTheAppsThatCallIt() {
        List<App> order = AppInstances.STOP_WAVES.stream().flatMap(Set::stream).toList();
        assertThat(order).containsExactlyInAnyOrder(App.values());
        // the calls of a purchase: executor → app1 → app3, app2 → app3
        assertThat(order.indexOf(App.EXECUTOR)).isLessThan(order.indexOf(App.APP1));
        assertThat(wave(App.APP1)).isLessThan(wave(App.APP3));
        assertThat(wave(App.APP2)).isLessThan(wave(App.APP3));
        assertThat(wave(App.EXECUTOR)).isLessThan(wave(App.APP1));
    }

    private static int wave(App app) {
        for (int i = 0; i < AppInstances.STOP_WAVES.size(); i++) {
            if (AppInstances.STOP_WAVES.get(i).contains(app)) {
                return i;
            }
        }
        throw new AssertionError(app + " in no wave");
    }

    @Test
    void noneRunsBeforeTheStart() throws Exception {
        AppInstances apps = new AppInstances(Path.of("."), Path.of("logs"), Ports.defaults(), app -> Map.of());
        assertThat(apps.first(App.APP1)).isNull();
        apps.stopAll();
        apps.close();
    }
}
