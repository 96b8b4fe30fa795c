package io.github.camelotel.app4;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Consumes topic Purchase2: caches the order in Redis, stores its invoice, e-mails the customer. Its flow is routes/app4-worker/. */
@SpringBootApplication
public class App4Application {

    /** Jakarta Mail's stream provider: Angus Mail's, the one on the class path. */
    static final String STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    public static void main(String[] args) {
        // Named, Jakarta Mail does not look it up with a ServiceLoader scan of the whole class path for every body
        // part of every mail, a scan that dominated app4's CPU per order (measured in bench/results/tuning/README.md).
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", STREAM_PROVIDER);
        }
        SpringApplication.run(App4Application.class, args);
    }
}
