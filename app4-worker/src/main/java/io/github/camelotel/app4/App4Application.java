package io.github.camelotel.app4;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Consumes topic Purchase2: caches the order in Redis, stores its invoice, e-mails the customer. Its flow is routes/app4-worker/. */
@SpringBootApplication
public class App4Application {

    public static void main(String[] args) {
        SpringApplication.run(App4Application.class, args);
    }
}
