package io.github.camelotel.app2;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Consumes topic Purchase and records each payment through app3-api. Its flow is routes/app2-consumer/. */
@SpringBootApplication
public class App2Application {

    public static void main(String[] args) {
        SpringApplication.run(App2Application.class, args);
    }
}
