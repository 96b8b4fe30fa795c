package io.github.camelotel.local;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@code ./run-local} prints once the stack is up: where everything is, and how to run the apps left out. */
final class Welcome {

    private static final Logger LOG = LoggerFactory.getLogger(Welcome.class);

    private Welcome() {}

    /** @param env the environment the apps inherit */
    static void print(LocalStack stack, Map<String, String> env) {
        Ports p = stack.ports();
        Infrastructure infra = stack.infrastructure();
        LOG.info(
                """

                The local stack is up. Ctrl-C stops everything it started.
                  app1-api       http://localhost:{}/Message  and  /Message/Post-Message
                  app3-api       http://localhost:{}/orders/<order id>  and  /orders/<order id>/audit
                  metrics        http://localhost:<port>/actuator/prometheus  (ports {}..{})
                  PostgreSQL     {}  (user {})
                  Kafka          {}   Redis  localhost:{}
                  invoices       {}/{}/<order id>.html  (open in a browser; the bucket's listing: {}/{})
                  mails          {}  (one .eml file per mail: open it with a mail client; SMTP localhost:{})
                  traces         {}
                  app logs       {}
                  routes         {}
                {}""",
                p.app1(),
                p.app3(),
                p.executor(),
                p.app4(),
                infra.jdbcUrl(),
                Infrastructure.DB_USER,
                infra.kafkaBootstrapServers(),
                p.redis(),
                infra.s3Endpoint(),
                Infrastructure.INVOICES_BUCKET,
                infra.s3Endpoint(),
                Infrastructure.INVOICES_BUCKET,
                infra.mail().mailDir(),
                p.smtp(),
                TraceSettings.tracesLine(env, stack.zipkin()),
                stack.home().resolve("logs"),
                routesLine(stack),
                leftOutText(stack));
    }

    private static String routesLine(LocalStack stack) {
        String dir = stack.appEnvironment(App.EXECUTOR).get("ROUTES_DIR");
        return dir == null
                ? "from the jars (--live-routes: from routes/ on disk, reloaded on save)"
                : dir + "  (live: a saved *.camel.yaml is reloaded by its app)";
    }

    /** For each app left out, the command that runs it against this stack; else how to follow the purchases. */
    private static String leftOutText(LocalStack stack) {
        if (stack.leftOut().isEmpty()) {
            return """
                    Each purchase the executor sends is printed below with its trace ID; grep a trace ID in the logs
                    to follow it through every app.
                    """;
        }
        StringBuilder text =
                new StringBuilder("Not started: run each from the project's root (after this build) with\n");
        for (App app : stack.leftOut()) {
            text.append("  ").append(stack.handStartCommand(app)).append('\n');
        }
        text.append("(the same settings for an IDE's run configuration: ")
                .append(AppCommand.envFile(
                                stack.home(), stack.leftOut().iterator().next())
                        .getParent())
                .append("/<app>.env; the apps you start stay yours when the stack stops)\n");
        if (stack.app(App.EXECUTOR) != null) {
            text.append("Each purchase the executor sends is printed below with its trace ID.\n");
        }
        return text.toString();
    }
}
