package io.github.camelotel.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports by name: the apps' own defaults, an offset for a second stack, single ports changed. */
class PortsTest {

    @Test
    void defaultsAreWhatTheAppsAndDockerComposeExpect() {
        Ports ports = Ports.defaults();
        assertThat(ports.byServer())
                .containsExactly(
                        Map.entry("S3", 9000),
                        Map.entry("Kafka", 9092),
                        Map.entry("Kafka controller", 9093),
                        Map.entry("PostgreSQL", 5432),
                        Map.entry("Redis", 6379),
                        Map.entry("SMTP", 1025),
                        Map.entry("Zipkin", 9411),
                        Map.entry("Authorization server", 8180),
                        Map.entry("app3-api", 8083),
                        Map.entry("app4-worker", 8084),
                        Map.entry("app2-consumer", 8082),
                        Map.entry("app1-api", 8081),
                        Map.entry("executor", 8080));
        assertThat(ports.postgres()).isEqualTo(ports.of(Ports.Server.POSTGRES)).isEqualTo(5432);
        assertThat(ports.app3()).isEqualTo(ports.of(App.APP3)).isEqualTo(8083);
    }

    @Test
    void anOffsetMovesEveryPort() {
        Ports moved = Ports.defaults().plus(10_000);
        assertThat(moved.postgres()).isEqualTo(15432);
        assertThat(moved.executor()).isEqualTo(18080);
        assertThat(moved.kafkaController()).isEqualTo(19093);
        assertThat(moved.auth()).isEqualTo(18180);
    }

    @Test
    void singlePortsChangeByName() {
        Ports ports = Ports.defaults().with(Ports.Server.REDIS, 16379).with(App.APP2, 18082);
        assertThat(ports.redis()).isEqualTo(16379);
        assertThat(ports.app2()).isEqualTo(18082);
        assertThat(ports.with(Ports.Server.REDIS, 6379).with(App.APP2, 8082)).isEqualTo(Ports.defaults());
    }

    @Test
    void freePortsAreThirteenDifferentOnes() {
        assertThat(Ports.free().byServer().values())
                .hasSize(13)
                .doesNotHaveDuplicates()
                .allMatch(port -> port >= Ports.FIRST_PORT && port < Ports.LAST_PORT);
    }

    @Test
    void everyServerAndAppHasAPort() {
        assertThatThrownBy(() -> new Ports(
                        Map.of(Ports.Server.POSTGRES, 5432), Ports.defaults().apps()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a port for every server and app");
    }
}
