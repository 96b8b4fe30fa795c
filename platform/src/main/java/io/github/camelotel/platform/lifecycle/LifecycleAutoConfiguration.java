package io.github.camelotel.platform.lifecycle;

import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/** How an app stops: the routes finish their in-flight exchanges before Camel stops. */
@AutoConfiguration
public class LifecycleAutoConfiguration {

    @Bean
    DrainRoutesBeforeCamelStops drainRoutesBeforeCamelStops(ObjectProvider<CamelContext> camel) {
        return new DrainRoutesBeforeCamelStops(camel::getObject);
    }
}
