package io.github.camelotel.platform.sql;

import org.apache.camel.CamelContext;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * In the apps with camel-sql (the platform depends on it optionally): every {@code sql:} endpoint of the routes
 * parses its statement's named parameters once ({@link ParsedOnceStatements}), unless the route gives its own
 * {@code prepareStatementStrategy} (camel-sql's default is none: the producer creates one). camel-sql has no component-wide option for it, so it is set here, once, as each
 * endpoint is registered.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.apache.camel.component.sql.SqlEndpoint")
public class SqlAutoConfiguration {

    @Bean
    public CamelContextConfiguration sqlStatementsParsedOnce() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camelContext) {
                camelContext.getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
                    if (endpoint instanceof SqlEndpoint sql && sql.getPrepareStatementStrategy() == null) {
                        sql.setPrepareStatementStrategy(new ParsedOnceStatements(sql.getSeparator()));
                    }
                    return endpoint;
                });
            }

            @Override
            public void afterApplicationStart(CamelContext camelContext) {}
        };
    }
}
