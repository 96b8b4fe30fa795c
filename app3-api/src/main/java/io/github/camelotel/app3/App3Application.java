package io.github.camelotel.app3;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Owns the orders: PostgreSQL writes, payment state, audit trail, cache-aside reads; publishes Purchase2. Its flow is routes/app3-api/. */
@SpringBootApplication
public class App3Application {

    public static void main(String[] args) {
        SpringApplication.run(App3Application.class, args);
    }
}
