package io.github.camelotel.app1;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The public API: validates a purchase, stores it through app3-api (sync) or publishes it to Kafka (async). Its flow is routes/app1-api/. */
@SpringBootApplication
public class App1Application {

    public static void main(String[] args) {
        SpringApplication.run(App1Application.class, args);
    }
}
