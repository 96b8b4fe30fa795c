package io.github.camelotel.local;

import java.util.Arrays;
import java.util.Optional;

/** The five apps, in the order the stack starts them: what a purchase needs first comes first. */
public enum App {
    APP3("app3-api"),
    APP4("app4-worker"),
    APP2("app2-consumer"),
    APP1("app1-api"),
    EXECUTOR("executor");

    private final String serviceName;

    App(String serviceName) {
        this.serviceName = serviceName;
    }

    /** The module, jar, Spring application and OpenTelemetry service name. */
    public String serviceName() {
        return serviceName;
    }

    /** The variable its application.yaml takes its port from, e.g. {@code APP1_PORT}. */
    public String portVariable() {
        return name() + "_PORT";
    }

    /** The app of this service name, e.g. {@code app2-consumer}. */
    public static Optional<App> named(String serviceName) {
        return Arrays.stream(values())
                .filter(app -> app.serviceName.equals(serviceName))
                .findFirst();
    }
}
