package io.github.camelotel.platform.faults;

import io.github.camelotel.platform.tracing.ExchangeTracing;
import io.github.camelotel.platform.tracing.TracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Bean {@code faults}, the fault points routes mark: in every app, so a route reads the same everywhere; it injects
 * nothing unless {@code FAULTS} says so.
 */
@AutoConfiguration(after = TracingAutoConfiguration.class)
public class FaultsAutoConfiguration {

    @Bean
    public Faults faults(ExchangeTracing tracing, Environment environment) {
        return new Faults(tracing, environment.getProperty("faults", ""));
    }
}
