package io.github.camelotel.local;

import java.nio.file.Path;
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
                  auth server    {}  (OAuth2; clients {}, {})
                  a token        {}
                  customers      {} log in (client {}, e.g. an app's /api-docs Authorize) with the password in {}
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
                stack.auth().issuerUri(),
                String.join(", ", AuthServer.CLIENTS),
                AuthServer.CUSTOMER_CLIENT,
                tokenCommand(stack),
                String.join(", ", AuthServer.CUSTOMERS),
                AuthServer.CUSTOMER_CLIENT,
                shown(stack.auth().customerPasswordFile(), stack.projectRoot()),
                stack.home().resolve("logs"),
                routesLine(stack),
                leftOutText(stack));
    }

    /**
     * The {@code curl} that gets the operator's token: it reads the secret from its file, as the welcome text must
     * show no secret (it is printed, and stdout is often logged).
     */
    static String tokenCommand(LocalStack stack) {
        AuthServer auth = stack.auth();
        return "curl -s -u \"" + AuthServer.OPERATOR + ":$(cat "
                + AppCommand.quoted(shown(auth.operatorSecretFile(), stack.projectRoot()))
                + ")\" -d grant_type=client_credentials --data-urlencode 'scope=" + AuthServer.OPERATOR_SCOPES + "' "
                + auth.tokenEndpoint();
    }

    /** A file as the user can type it in the project's root, where ./run-local runs: relative when inside it. */
    static String shown(Path file, Path projectRoot) {
        return file.startsWith(projectRoot) ? projectRoot.relativize(file).toString() : file.toString();
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
