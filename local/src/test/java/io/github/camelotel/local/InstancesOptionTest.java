package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** LOCAL_STACK_INSTANCES as README's table writes it: {@code app2-consumer=2,app4-worker=2}, unset for one each. */
class InstancesOptionTest {

    @Test
    void namesAppsByTheirServiceNameWithACountEach() {
        assertThat(StackOptions.parseInstances("app2-consumer=2,app4-worker=2"))
                .isEqualTo(Map.of(App.APP2, 2, App.APP4, 2));
        assertThat(StackOptions.parseInstances(" app2-consumer = 3 , app4-worker=1 "))
                .isEqualTo(Map.of(App.APP2, 3, App.APP4, 1));
    }

    @Test
    void unsetOrBlankMeansOneOfEach() {
        assertThat(StackOptions.parseInstances(null)).isEmpty();
        assertThat(StackOptions.parseInstances(" ")).isEmpty();
    }

    @Test
    void refusesWhatItCannotRun() {
        assertThatThrownBy(() -> StackOptions.parseInstances("app5=2")).hasMessageContaining("no app app5");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2=2")).as("the service name, not the short one")
                .hasMessageContaining("no app app2");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer")).hasMessageContaining("is not <app>=<count>");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer=2=3")).hasMessageContaining("is not <app>=<count>");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer=0")).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> StackOptions.parseInstances("app2-consumer=two")).hasMessageContaining("1 or more, not 'two'");
        assertThatThrownBy(() -> StackOptions.parseInstances("app4-worker=2,app4-worker=3")).hasMessageContaining("named twice");
    }
}
