package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class InstancesOptionTest {

    @Test
    void namesAppsByTheirServiceNameWithACountEach() {
        assertThat(LocalStack.parseInstances("app2-consumer=2, app4-worker=3"))
                .isEqualTo(Map.of(App.APP2, 2, App.APP4, 3));
        assertThat(LocalStack.parseInstances(null)).isEmpty();
        assertThat(LocalStack.parseInstances(" ")).isEmpty();
    }

    @Test
    void refusesAnAppItDoesNotKnow() {
        assertThatThrownBy(() -> LocalStack.parseInstances("app5=2")).hasMessageContaining("no app app5");
    }
}
