package io.github.camelotel.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
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

    /** Applies to every HTTP endpoint of the app; the limit is {@code platform.http.max-request-bytes}. */
    @Bean
    public FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimit(Environment environment) {
        long maxBytes = environment.getProperty("platform.http.max-request-bytes", Long.class, 65_536L);
        FilterRegistrationBean<RequestSizeLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeLimitFilter(maxBytes));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    public Faults faults(PurchaseTracing tracing, Environment environment) {
        return new Faults(tracing, environment.getProperty("faults", ""));
    }

    @Bean
    @ConditionalOnProperty(name = "faults.admin.enabled", havingValue = "true")
    public FaultsEndpoint faultsEndpoint(Faults faults) {
        return new FaultsEndpoint(faults);
    }

    @Bean
    @ConditionalOnProperty("parent.pid")
    ParentProcessWatch parentProcessWatch(Environment environment, ConfigurableApplicationContext context) {
        return new ParentProcessWatch(environment.getRequiredProperty("parent.pid", Long.class), context);
    }

    @Bean
    DrainRoutesBeforeCamelStops drainRoutesBeforeCamelStops(ObjectProvider<CamelContext> camel) {
        return new DrainRoutesBeforeCamelStops(camel::getObject);
    }

    @Bean
    public DeadLetters deadLetters(PurchaseTracing tracing, Environment environment) {
        return new DeadLetters(tracing, environment.getProperty("spring.application.name", "application"));
    }
}
