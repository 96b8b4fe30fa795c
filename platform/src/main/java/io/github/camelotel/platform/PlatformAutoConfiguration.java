package io.github.camelotel.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Beans that routes of every app reference by name. */
@AutoConfiguration(after = TelemetryAutoConfiguration.class)
public class PlatformAutoConfiguration {

    @Bean
    public ErrorResponses errors(ObjectMapper objectMapper, PurchaseTracing tracing) {
        return new ErrorResponses(objectMapper, tracing);
    }

    @Bean
    public Failures failures() {
        return new Failures();
    }

    @Bean
    public DeadLetters deadLetters(PurchaseTracing tracing, Environment environment) {
        return new DeadLetters(tracing, environment.getProperty("spring.application.name", "application"));
    }
}
