package io.github.camelotel.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlatformEnvironmentTest {

    @Test
    void loadsPackagedRoutesOfTheAppAndTheCommonOnes() {
        assertThat(PlatformEnvironment.routeSettings("app1-api", null))
                .containsExactly(java.util.Map.entry(
                        "camel.main.routes-include-pattern",
                        "classpath:routes/common/*.camel.yaml,classpath:routes/app1-api/*.camel.yaml"));
    }

    @Test
    void loadsAndReloadsRoutesFromDiskWhenRoutesDirIsSet() {
        var settings = PlatformEnvironment.routeSettings("app3-api", "/src/project/routes/");

        assertThat(settings)
                .containsEntry(
                        "camel.main.routes-include-pattern",
                        "file:/src/project/routes/common/*.camel.yaml,file:/src/project/routes/app3-api/*.camel.yaml")
                .containsEntry("camel.main.routes-reload-enabled", "true")
                .containsEntry("camel.main.routes-reload-directory", "/src/project/routes/app3-api")
                .containsEntry("camel.main.routes-reload-remove-all-routes", "false");
    }
}
