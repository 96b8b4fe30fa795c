package io.github.camelotel.platform.dev;

import io.github.camelotel.platform.faults.Faults;
import io.github.camelotel.platform.faults.FaultsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Development-only beans, each created only when its property is set: the local stack sets {@code PARENT_PID} for
 * the apps it starts, and a developer or test sets {@code FAULTS_ADMIN_ENABLED=true}. A deployed app sets neither
 * and has none of them.
 */
@AutoConfiguration(after = FaultsAutoConfiguration.class)
public class DevelopmentAutoConfiguration {

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
}
