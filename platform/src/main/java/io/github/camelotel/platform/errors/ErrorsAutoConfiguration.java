package io.github.camelotel.platform.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.camelotel.platform.tracing.ExchangeTracing;
import io.github.camelotel.platform.tracing.TracingAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The error model: beans {@code errors} (HTTP answers) and {@code failures} (retry or not), used by routes by name. */
@AutoConfiguration(after = TracingAutoConfiguration.class)
public class ErrorsAutoConfiguration {

    @Bean
    public ErrorResponses errors(ObjectMapper objectMapper, ExchangeTracing tracing) {
        return new ErrorResponses(objectMapper, tracing);
    }

    @Bean
    public Failures failures() {
        return new Failures();
    }
}
