package io.github.camelotel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Settings every app shares, written once: the defaults in {@code platform-defaults.properties} (lowest
 * precedence, so an app's {@code application.yaml} or an environment variable wins) and where routes load from.
 *
 * <p>Routes load from the classpath ({@code routes/common} and {@code routes/<app name>}, packaged from the
 * top-level {@code routes/} folder). With {@code ROUTES_DIR} set to that folder on disk they load from there
 * instead and are reloaded when a file changes, so an edited route takes effect without a rebuild.
 */
public class PlatformEnvironment implements EnvironmentPostProcessor {

    static final String DEFAULTS = "platform-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new PropertiesPropertySourceLoader()
                    .load("platform-defaults", new ClassPathResource(DEFAULTS))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEFAULTS, e);
        }
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "platform-routes",
                        routeSettings(
                                environment.getProperty("spring.application.name"),
                                environment.getProperty("routes.dir"))));
    }

    static Map<String, Object> routeSettings(String appName, String routesDir) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (routesDir == null || routesDir.isBlank()) {
            settings.put(
                    "camel.main.routes-include-pattern",
                    "classpath:routes/common/*.camel.yaml,classpath:routes/" + appName + "/*.camel.yaml");
            return settings;
        }
        String dir = routesDir.replaceAll("/+$", "");
        settings.put(
                "camel.main.routes-include-pattern",
                "file:" + dir + "/common/*.camel.yaml,file:" + dir + "/" + appName + "/*.camel.yaml");
        settings.put("camel.main.routes-reload-enabled", "true");
        settings.put("camel.main.routes-reload-directory", dir + "/" + appName);
        settings.put("camel.main.routes-reload-pattern", "*.camel.yaml");
        // Only the routes of the saved file are replaced: Camel's default removes every route first and failed to add
        // the executor's back (duplicate route id of its platform-http route).
        settings.put("camel.main.routes-reload-remove-all-routes", "false");
        return settings;
    }
}
